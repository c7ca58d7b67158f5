"""Per-(query, document) features of SciFact, computed once and cached, for ``tune_document_features.py``.

    .venv/bin/python tests/benchmarks/document_features.py --index-dir DIR --out /tmp/scifact-features.npz

Every query of train and test is scored against every document of a SciFact index (``rag eval --beir`` builds
one under ``--cache-dir``): the dense cosine of each chunk (the query embedded as the product embeds it, and
with the fp32 torch model), BM25 of each chunk, BM25 of each whole document (unigrams, and adjacent term pairs),
and the graded qrels. Queries x documents matrices, float32.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402
import numpy as np  # noqa: E402

from rag.evaluation.beir import load_qrels, load_queries  # noqa: E402
from rag.index import lexical  # noqa: E402
from rag.index.embedding import Embedder  # noqa: E402
from rag.index.store import load_index  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"


def pairs(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def per_document(values: np.ndarray, owner: np.ndarray, n_docs: int, k: int) -> np.ndarray:
    """The k-th best chunk value of each document (k=0 best), -inf where it has fewer chunks."""
    out = np.full((values.shape[0], n_docs), -np.inf, np.float32)
    order = np.argsort(owner, kind="stable")  # one block of columns per document, vectorised over queries
    values, owner = values[:, order], owner[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ends = np.r_[starts[1:], len(owner)]
    for s, e in zip(starts, ends, strict=True):
        block = -np.sort(-values[:, s:e], axis=1)
        if block.shape[1] > k:
            out[:, owner[s]] = block[:, k]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    index = load_index(args.index_dir)
    doc_ids = list(index.documents)
    position = {d: i for i, d in enumerate(doc_ids)}
    owner = np.array([position[index.chunks[r].doc_id] for r in range(len(index.chunks))])
    vectors = np.asarray(index.embeddings, np.float32)
    texts = [lexical.document_text(index.documents[d].title, index.documents[d].text) for d in doc_ids]
    t = time.perf_counter()
    whole = lexical.build_bm25(texts)
    tokens = lexical.tokenize(texts)
    bigram = bm25s.BM25()
    bigram.index([pairs(terms) for terms in tokens], show_progress=False)
    # BM25F-like: the title counted three times; and bm25s's Robertson variant of the same index
    title3 = lexical.build_bm25(
        [
            lexical.document_text(doc.title, f"{doc.title or ''}\n" * 2 + doc.text)
            for doc in map(index.documents.get, doc_ids)
        ]
    )
    robertson = bm25s.BM25(method="robertson")
    robertson.index(tokens, show_progress=False)
    print(f"whole-document BM25 (terms, pairs) in {time.perf_counter() - t:.1f} s")
    int8 = Embedder(backend="onnx-int8")
    fp32 = Embedder(backend="torch")
    out: dict[str, np.ndarray] = {
        "doc_ids": np.array(doc_ids),
        "owner": owner,
        "vectors": vectors,
        "doc_tokens": np.array([len(t) for t in tokens]),
    }
    for split in ("train", "test"):
        queries = load_queries(SCIFACT, split)
        qrels = load_qrels(SCIFACT, split)
        relevant = np.zeros((len(queries), len(doc_ids)), np.float32)
        for i, q in enumerate(queries):
            for d, grade in qrels[q.query_id].items():
                if d in position:
                    relevant[i, position[d]] = grade
        qtexts = [q.text for q in queries]
        t = time.perf_counter()
        q8 = np.stack([int8.embed_query(x) for x in qtexts])
        q32 = np.stack([fp32.embed_query(x) for x in qtexts])
        print(f"{split}: {len(qtexts)} queries embedded twice in {time.perf_counter() - t:.1f} s")
        dense = q8 @ vectors.T
        dense32 = q32 @ vectors.T
        chunk_bm25 = np.stack([lexical.bm25_scores(index.bm25, x) for x in qtexts])
        qtokens = lexical.tokenize(qtexts)
        bigram_scores = np.zeros_like(relevant)
        robertson_scores = np.zeros_like(relevant)
        for i, terms in enumerate(qtokens):
            present = [p for p in pairs(terms) if p in bigram.vocab_dict]
            if present:
                bigram_scores[i] = bigram.get_scores(present)
            present = [p for p in terms if p in robertson.vocab_dict]
            if present:
                robertson_scores[i] = robertson.get_scores(present)
        out |= {
            f"{split}_relevant": relevant,
            f"{split}_q8": q8,
            f"{split}_q32": q32,
            f"{split}_dense": dense.astype(np.float32),
            f"{split}_dense1": per_document(dense, owner, len(doc_ids), 0),
            f"{split}_dense2": per_document(dense, owner, len(doc_ids), 1),
            f"{split}_dense32": dense32.astype(np.float32),
            f"{split}_dense32_1": per_document(dense32, owner, len(doc_ids), 0),
            f"{split}_chunkbm25_1": per_document(chunk_bm25, owner, len(doc_ids), 0),
            f"{split}_whole": np.stack([lexical.bm25_scores(whole, x) for x in qtexts]),
            f"{split}_bigram": bigram_scores,
            f"{split}_title3": np.stack([lexical.bm25_scores(title3, x) for x in qtexts]),
            f"{split}_robertson": robertson_scores,
            f"{split}_qtokens": np.array([len(x) for x in qtokens]),
        }
    np.savez(args.out, **out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
