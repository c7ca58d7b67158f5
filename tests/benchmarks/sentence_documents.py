"""The best sentence's cosine as a third document evidence, from an index's stored sentence vectors.

    RAG_SENTENCE_VECTORS=1 rag index ../shared/data/scifact/corpus.jsonl --index-dir DIR
    .venv/bin/python tests/benchmarks/sentence_documents.py --features /tmp/scifact-features.npz \
        --index-dir DIR [--test]

Each document's score is the product's ranking (``document_features.py``'s cache) + w x the z (over the top
``depth`` documents) of the best cosine between the query and any sentence or clause of the document, the
texts answering scores, read from the store (``rag/index/sentence_store.py``) instead of embedded again.
A grid of w x depth on train; with ``--test``, the best train cell once on test, for the record, with a
paired sign-flip test of each split's per-query change.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from tune_document_features import document_vectors, ndcg10_rows, per_document_max, split_features, z_top  # noqa: E402

from rag.index import sentence_store  # noqa: E402
from rag.index.store import load_index  # noqa: E402


def sentence_vectors(index_dir: Path, columns: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The stored vector of every sentence and clause of every chunk, and the column of its document."""
    index = load_index(index_dir)
    store = sentence_store.load(index.path)  # the live generation's folder
    if store is None:
        sys.exit(f"{index_dir} holds no sentence vectors: build it with RAG_SENTENCE_VECTORS=1 rag index ...")
    vectors, owners = [], []
    for chunk in index.chunks:
        texts = sentence_store.chunk_sentences([chunk.text])
        found = store.lookup(texts)
        vectors += [found[t] for t in texts if t in found]
        owners += [columns[chunk.doc_id]] * sum(t in found for t in texts)
    return np.stack(vectors), np.array(owners)


def sign_flip_p(diff: np.ndarray) -> float:
    flips = np.random.default_rng(0).choice([-1, 1], size=(10_000, len(diff)))
    return float(np.mean(np.abs((flips * diff).mean(1)) >= abs(diff.mean())))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, required=True, help="document_features.py's output (.npz)")
    ap.add_argument(
        "--index-dir", type=Path, required=True, help="a SciFact index with stored sentence vectors"
    )
    ap.add_argument("--test", action="store_true", help="the best train cell on test too, for the record")
    args = ap.parse_args()
    data = np.load(args.features)
    n_docs = len(data["doc_ids"])
    vectors, owner = sentence_vectors(args.index_dir, {str(d): i for i, d in enumerate(data["doc_ids"])})
    doc_vecs = document_vectors(data["vectors"], data["owner"], n_docs)
    print(f"{len(vectors)} sentence and clause vectors")

    def evidence(g: dict[str, np.ndarray]) -> np.ndarray:
        best = per_document_max(g["q8"] @ vectors.T, owner, n_docs)
        return np.where(np.isfinite(best), best, -1.0)

    train = split_features(data, "train", doc_vecs)
    sentences = evidence(train)
    base = ndcg10_rows(train["base"], train["relevant"])
    cells = []
    for depth in (300, 1000):
        for w in (0.1, 0.2, 0.3, 0.5, 0.7, 1.0):
            rows = ndcg10_rows(train["base"] + w * z_top(sentences, depth), train["relevant"])
            cells.append((rows.mean(), w, depth, rows))
            print(f"train  w {w:<4} depth {depth:<5} {rows.mean():.4f}  (base {base.mean():.4f})")
    figure, w, depth, rows = max(cells, key=lambda c: c[0])
    diff = rows - base
    print(
        f"best on train: w {w}, depth {depth}: {base.mean():.4f} -> {figure:.4f} ({diff.mean():+.4f}; "
        f"{np.sum(diff > 0)} better, {np.sum(diff < 0)} worse; p={sign_flip_p(diff):.3f}, "
        f"not corrected for {len(cells)} cells)"
    )
    if args.test:
        test = split_features(data, "test", doc_vecs)
        before = ndcg10_rows(test["base"], test["relevant"])
        after = ndcg10_rows(test["base"] + w * z_top(evidence(test), depth), test["relevant"])
        diff = after - before
        print(
            f"the same on test: {before.mean():.4f} -> {after.mean():.4f} ({diff.mean():+.4f}; "
            f"{np.sum(diff > 0)} better, {np.sum(diff < 0)} worse; p={sign_flip_p(diff):.3f})"
        )


if __name__ == "__main__":
    main()
