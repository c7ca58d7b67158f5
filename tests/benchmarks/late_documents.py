"""MaxSim and the best stored sentence together, the product's ``RAG_DOCUMENT_RERANK=late``, from feature caches.

    RAG_SENTENCE_VECTORS=1 rag index ../shared/data/scifact/corpus.jsonl --index-dir DIR
    .venv/bin/python tests/benchmarks/maxsim_documents.py --features F.npz --index-dir DIR --test --save X/
    .venv/bin/python tests/benchmarks/late_documents.py --features F.npz --maxsim X/ --index-dir DIR [--test]

Score = the product's ranking + a x z(MaxSim over its top 30; the documents below are left out, as the
product re-orders only those) + b x z(best sentence or clause cosine, from the index's stored vectors, over
the top 300 documents by it). A grid of a x b on train; the best cell (what ``document_rerank.py`` uses:
a 0.5, b 0.3) with per-query better/worse and a paired sign-flip p; with ``--test``, that cell once on test.
``F.npz``: ``document_features.py``'s output; ``X/``: ``maxsim_{train,test}.npy`` from ``maxsim_documents.py``.
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
from sentence_documents import sentence_vectors, sign_flip_p  # noqa: E402
from tune_document_features import dense_found, ndcg10_rows, per_document_max, z_all, z_found, z_top  # noqa: E402

LATE = (0.0, 0.3, 0.5, 0.7, 1.0, 1.5)
SENTENCE = (0.0, 0.1, 0.2, 0.3, 0.5)
SENTENCE_DEPTH = 300


def evidences(
    data, split: str, maxsim_dir: Path, vectors: np.ndarray, owner: np.ndarray
) -> dict[str, np.ndarray]:
    g = {k[len(split) + 1 :]: data[k] for k in data.files if k.startswith(split + "_")}
    n_docs = len(data["doc_ids"])
    base = dense_found(g["dense"], g["dense1"], data["owner"]) + 0.7 * z_all(g["whole"])
    maxsim = np.load(maxsim_dir / f"maxsim_{split}.npy")
    found = ~np.isnan(maxsim)
    best = per_document_max(g["q8"] @ vectors.T, owner, n_docs)
    best = np.where(np.isfinite(best), best, -1.0)  # a document with no stored sentence
    return {
        "base": base,
        "late": z_found(np.where(found, maxsim, 0), found),
        "found": found,
        "sentence": z_top(best, SENTENCE_DEPTH),
        "relevant": g["relevant"],
    }


def rows(e: dict[str, np.ndarray], a: float, b: float) -> np.ndarray:
    score = e["base"] + b * e["sentence"]
    if a > 0:
        score = np.where(e["found"], score + a * e["late"], -1e9)
    return ndcg10_rows(score, e["relevant"])


def compare(name: str, before: np.ndarray, after: np.ndarray) -> None:
    diff = after - before
    print(
        f"{name}: {before.mean():.4f} -> {after.mean():.4f} ({diff.mean():+.4f}; {np.sum(diff > 0)} queries "
        f"better, {np.sum(diff < 0)} worse; sign-flip p={sign_flip_p(diff):.3f})",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, required=True, help="document_features.py's output (.npz)")
    ap.add_argument("--maxsim", type=Path, required=True, help="maxsim_documents.py --save's folder")
    ap.add_argument("--index-dir", type=Path, required=True, help="the SciFact index, with sentence vectors")
    ap.add_argument("--test", action="store_true", help="the best train cell once on test, for the record")
    args = ap.parse_args()
    data = np.load(args.features)
    columns = {str(d): i for i, d in enumerate(data["doc_ids"])}
    vectors, owner = sentence_vectors(args.index_dir, columns)
    print(f"{len(vectors):,} stored sentence and clause vectors", flush=True)
    train = evidences(data, "train", args.maxsim, vectors, owner)
    base = rows(train, 0.0, 0.0)
    cells = []
    for a in LATE:
        for b in SENTENCE:
            cells.append((rows(train, a, b).mean(), a, b))
            print(f"train  a {a:<4} b {b:<4} {cells[-1][0]:.4f}", flush=True)
    _, a, b = max(cells)
    compare(f"train, best of {len(cells)} cells (a {a}, b {b})", base, rows(train, a, b))
    alone = max(LATE[1:], key=lambda w: rows(train, w, 0.0).mean())
    compare(
        f"train, MaxSim alone (a {alone}; an index without sentence vectors)", base, rows(train, alone, 0.0)
    )
    if args.test:
        test = evidences(data, "test", args.maxsim, vectors, owner)
        compare(f"test (a {a}, b {b})", rows(test, 0.0, 0.0), rows(test, a, b))
        compare(f"test, MaxSim alone (a {alone})", rows(test, 0.0, 0.0), rows(test, alone, 0.0))


if __name__ == "__main__":
    main()
