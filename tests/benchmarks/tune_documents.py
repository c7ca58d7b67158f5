"""Choose how documents are ranked (``rag.retrieve.documents``) by measurement on SciFact's *train* queries.

    .venv/bin/python tests/benchmarks/tune_documents.py               # train grid, then test for the record
    .venv/bin/python tests/benchmarks/tune_documents.py --sentences   # also best-sentence dense (slow: embeds
                                                                      # every sentence of the corpus)

Scores every query against every document once (dense cosine of each chunk, BM25 of each chunk, BM25 of each
whole document, title and text), then scores each ranking offline: nDCG@10 against the qrels. The choice is
made on train (printed first); test is printed after it, for the record only. Uses the index
``tune_retrieval.py`` builds (``.cache/beir/scifact-c200o40``); whole-document BM25 is built here in memory
the way ``rag index`` writes ``bm25_documents/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from rag.evaluation.beir import load_qrels, load_queries  # noqa: E402
from rag.index import lexical  # noqa: E402
from rag.index.build import build_index  # noqa: E402
from rag.index.embedding import get_embedder  # noqa: E402
from rag.index.sentences import split_sentences  # noqa: E402
from rag.index.store import current_generation, load_index  # noqa: E402
from rag.retrieve.documents import BM25_WEIGHT  # noqa: E402
from rag.settings import Settings  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
DEPTH = 300  # chunks each retriever returns, as `rag eval --beir` asks for 100 documents
DISCOUNT = 1 / np.log2(np.arange(2, 12))


def ndcg10(scores: np.ndarray, relevant: np.ndarray) -> float:
    """Mean nDCG@10 of each row's ranking (``scores``: queries x documents) against graded ``relevant``."""
    top = np.argpartition(-scores, 10, axis=1)[:, :10]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, 1), axis=1, kind="stable"), 1)
    dcg = (np.take_along_axis(relevant, top, 1) * DISCOUNT).sum(1)
    idcg = (-np.sort(-relevant, axis=1)[:, :10] * DISCOUNT).sum(1)
    return float(np.mean(np.where(idcg > 0, dcg / np.maximum(idcg, 1e-9), 0)))


def per_document_max(values: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.full((values.shape[0], n_docs), -np.inf, np.float32)
    np.maximum.at(out.T, owner, values.T)
    return out


def top_minmax(values: np.ndarray, n: int = DEPTH) -> np.ndarray:
    """Min-max over each row's top ``n``, 0 below it: the product's convex fusion."""
    lo = -np.partition(-values, n - 1, axis=1)[:, n - 1 : n]
    hi = values.max(1, keepdims=True)
    return np.where(values >= lo, (values - lo) / np.where(hi > lo, hi - lo, 1), 0).astype(np.float32)


def z_all(values: np.ndarray) -> np.ndarray:
    spread = values.std(1, keepdims=True)
    return (values - values.mean(1, keepdims=True)) / np.where(spread > 0, spread, 1)


def z_found(values: np.ndarray, found: np.ndarray) -> np.ndarray:
    """z over the entries ``found``; the others get the lowest z found (as ``rank_documents`` does)."""
    count = found.sum(1, keepdims=True)
    mean = np.where(found, values, 0).sum(1, keepdims=True) / count
    spread = np.sqrt(np.where(found, (values - mean) ** 2, 0).sum(1, keepdims=True) / count)
    spread = np.where(spread > 0, spread, 1)
    low = np.where(found, values, np.inf).min(1, keepdims=True)
    return np.where(found, (values - mean) / spread, (low - mean) / spread)


def full_bm25(model, queries: list[str]) -> np.ndarray:
    return np.stack([lexical.bm25_scores(model, q) for q in queries])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", action="store_true", help="also the best sentence's cosine (slow)")
    ap.add_argument("--index-dir", type=Path, help="a SciFact index (default: tune_retrieval.py's)")
    args = ap.parse_args()
    settings = Settings()
    default_dir = ROOT / ".cache" / "beir" / f"scifact-c{settings.chunk_tokens}o{settings.chunk_overlap}"
    index_dir = args.index_dir or default_dir
    if current_generation(index_dir) is None:  # the index tune_retrieval.py builds, else built here
        build_index([SCIFACT / "corpus.jsonl"], index_dir=index_dir, settings=settings)
    index = load_index(index_dir)
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend)
    doc_ids = list(index.documents)
    position = {d: i for i, d in enumerate(doc_ids)}
    owner = np.array([position[index.chunks[r].doc_id] for r in range(len(index.chunks))])
    splits = {s: load_queries(SCIFACT, s) for s in ("train", "test")}
    relevant = {}
    for split, queries in splits.items():
        qrels = load_qrels(SCIFACT, split)
        relevant[split] = np.zeros((len(queries), len(doc_ids)), np.float32)
        for i, q in enumerate(queries):
            for d, grade in qrels[q.query_id].items():
                if d in position:
                    relevant[split][i, position[d]] = grade

    started = time.perf_counter()
    texts = [lexical.document_text(index.documents[d].title, index.documents[d].text) for d in doc_ids]
    whole = lexical.build_bm25(texts)
    print(f"whole-document BM25 of {len(texts):,} documents built in {time.perf_counter() - started:.1f} s")
    vectors = np.asarray(index.embeddings, np.float32)
    feats: dict[str, dict[str, np.ndarray]] = {}
    for split, queries in splits.items():
        texts_q = [q.text for q in queries]
        query_vectors = np.stack([embedder.embed_query(t) for t in texts_q])
        dense = query_vectors @ vectors.T
        chunk_bm25 = full_bm25(index.bm25, texts_q)
        in_depth = dense >= -np.partition(-dense, DEPTH - 1, axis=1)[:, DEPTH - 1 : DEPTH]
        dense_found = per_document_max(np.where(in_depth, dense, -np.inf), owner, len(doc_ids))
        found = np.isfinite(dense_found)
        feats[split] = {
            "product": per_document_max(
                0.5 * top_minmax(dense) + 0.5 * top_minmax(chunk_bm25), owner, len(doc_ids)
            ),
            "dense_z": z_found(np.where(found, dense_found, 0), found),
            "dense_mm": top_minmax(per_document_max(dense, owner, len(doc_ids))),
            "whole": full_bm25(whole, texts_q),
            "tokens": np.array([len(lexical.tokenize([t])[0]) for t in texts_q]),
        }
        if args.sentences:
            owners, sentences = [], []
            for d in doc_ids:
                text = index.documents[d].text
                for a, b in split_sentences(text):
                    owners.append(position[d])
                    sentences.append(text[a:b])
            if split == "train":
                t = time.perf_counter()
                sentence_vectors = embedder.embed_documents(sentences)
                print(f"{len(sentences):,} sentences embedded in {time.perf_counter() - t:.0f} s")
            feats[split]["sentence_z"] = z_all(
                per_document_max(query_vectors @ sentence_vectors.T, np.array(owners), len(doc_ids))
            )

    def row(name: str, make) -> None:
        train, test = (ndcg10(make(feats[s]), relevant[s]) for s in ("train", "test"))
        print(f"{name:<58} {train:.4f}   {test:.4f}")

    print(f"\n{'document ranking (SciFact nDCG@10)':<58} train    test (for the record)")
    row("best fused chunk (convex 0.5, min-max; before)", lambda f: f["product"])
    row("whole-document BM25 alone", lambda f: f["whole"])
    for w in (0.8, 1.0, 1.3):
        row(
            f"min-max: dense best chunk + {w} x whole-document BM25",
            lambda f, w=w: f["dense_mm"] + w * top_minmax(f["whole"]),
        )
    for w in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        mark = "  <- default" if w == BM25_WEIGHT else ""
        row(
            f"z: dense best chunk + {w} x whole-document BM25{mark}",
            lambda f, w=w: f["dense_z"] + w * z_all(f["whole"]),
        )
    for name, short_w, long_w in (("by query length: 0.7 (<= 9 terms) / 0.6", 0.7, 0.6),):
        row(
            name,
            lambda f, s=short_w, lw=long_w: (
                f["dense_z"] + np.where(f["tokens"][:, None] <= 9, s, lw) * z_all(f["whole"])
            ),
        )
    for k, m, a in ((5, 20, 0.5), (10, 20, 0.5), (10, 20, 1.0)):
        row(
            f"RM3-like: whole BM25 + {a} x {m} terms of the top {k}",
            lambda f, k=k, m=m, a=a: _expanded(f, whole, texts, k, m, a),
        )
    if args.sentences:
        for v in (0.5, 1.0, 1.6):
            row(
                f"z: + {v} x best sentence cosine",
                lambda f, v=v: f["dense_z"] + BM25_WEIGHT * z_all(f["whole"]) + v * f["sentence_z"],
            )


_TOKENS: list[list[str]] = []


def _expanded(f: dict[str, np.ndarray], whole, texts: list[str], k: int, m: int, a: float) -> np.ndarray:
    """Whole-document BM25 of the query plus ``a`` x that of ``m`` terms drawn from the ``k`` best documents
    of the default ranking (weighted by their share of each document times idf), then the default ranking."""
    if not _TOKENS:
        _TOKENS.extend(lexical.tokenize(texts))
    idf = lexical.idf_table(whole)
    matrix = lexical._term_matrix(whole)
    base = f["dense_z"] + BM25_WEIGHT * z_all(f["whole"])
    expansion = np.zeros_like(f["whole"])
    for i in range(len(base)):
        weights: Counter = Counter()
        for j in np.argsort(-base[i])[:k]:
            for term, count in Counter(_TOKENS[j]).items():
                weights[term] += count / len(_TOKENS[j]) * idf.get(term, 0.0)
        chosen = weights.most_common(m)
        columns = np.array([whole.vocab_dict[t] for t, _ in chosen])
        w = np.array([x for _, x in chosen], np.float32)
        expansion[i] = np.asarray(matrix[:, columns] @ (w / w.sum())).ravel()
    return f["dense_z"] + BM25_WEIGHT * z_all(f["whole"] + a * expansion)


if __name__ == "__main__":
    main()
