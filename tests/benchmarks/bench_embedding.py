"""Indexing throughput of each embedder backend on SciFact's corpus, side by side, and what it costs in quality.

    nice .venv/bin/python tests/benchmarks/bench_embedding.py                    # full corpus (~5 min here)
    nice .venv/bin/python tests/benchmarks/bench_embedding.py --limit-docs 500   # throughput only, ~1 min

The corpus is read and chunked by the product's own code (the texts ``rag index`` embeds). Every backend then
embeds the same texts, longest first as sentence-transformers orders them, in interleaved blocks (block 1:
torch then onnx, block 2: onnx then torch, ...) so that load from other processes on the machine falls on
both alike; the ratio is of the summed times. On the full corpus, each backend's vectors are then scored for
dense retrieval on SciFact's test queries (nDCG@10, documents ranked by their best chunk, exact search).
Writes the figures as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from rag.evaluation.beir import load_qrels, load_queries  # noqa: E402
from rag.evaluation.metrics import ndcg_at_k, recall_at_k  # noqa: E402
from rag.index.build import index_text  # noqa: E402
from rag.index.chunking import ChunkerSettings, chunk_document  # noqa: E402
from rag.index.embedding import BACKENDS, Embedder  # noqa: E402
from rag.ingest import load_documents  # noqa: E402
from rag.settings import Settings  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"


def chunk_corpus(limit: int, embedder: Embedder, settings: Settings) -> tuple[list[str], list[str], int]:
    """The texts ``rag index`` would embed for the corpus (or its first ``limit`` documents)."""
    documents = load_documents([SCIFACT / "corpus.jsonl"]).documents
    if limit:
        documents = documents[:limit]
    chunker = ChunkerSettings(chunk_tokens=settings.chunk_tokens, overlap_tokens=settings.chunk_overlap)
    texts, doc_ids = [], []
    for document in documents:

        def fits(text: str, document=document) -> bool:
            body = f"{document.title}\n{text}" if document.title else text
            return embedder.count_tokens([body])[0] <= embedder.max_tokens

        for chunk in chunk_document(document, chunker, fits):
            texts.append(index_text(document, chunk))
            doc_ids.append(document.doc_id)
    return texts, doc_ids, len(documents)


def dense_quality(
    vectors: np.ndarray, doc_ids: list[str], embedder: Embedder, split: str
) -> dict[str, float]:
    """nDCG@10 and Recall@100 of exact dense search, documents ranked by their best chunk."""
    qrels = load_qrels(SCIFACT, split)
    queries = [q for q in load_queries(SCIFACT, split) if q.query_id in qrels]
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    query_vectors = embedder.embed_documents([q.text for q in queries])
    _, rows = index.search(query_vectors, 300)
    ndcgs, recalls = [], []
    for query, ranked_rows in zip(queries, rows, strict=True):
        ranked: list[str] = []
        for row in ranked_rows:
            if row >= 0 and doc_ids[row] not in ranked:
                ranked.append(doc_ids[row])
        ndcgs.append(ndcg_at_k(ranked, qrels[query.query_id], 10))
        recalls.append(recall_at_k(ranked, qrels[query.query_id], 100))
    return {
        "ndcg@10": statistics.mean(ndcgs),
        "recall@100": statistics.mean(recalls),
        "queries": len(queries),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit-docs", type=int, default=0, help="only the first N documents (0: all 5,183)")
    ap.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated; the first is the baseline"
    )
    ap.add_argument("--block", type=int, default=256, help="texts per interleaved block")
    ap.add_argument("--batch-size", type=int, default=Settings().batch_size)
    ap.add_argument("--split", default="test")
    ap.add_argument(
        "--previous-export",
        default=None,
        help="also time an older onnx-int8 export folder, one text per call as before v2 (as 'previous')",
    )
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    settings = Settings()
    backends = args.backends.split(",")
    embedders = {}
    figures: dict = {"batch_size": args.batch_size, "backends": {}}
    for backend in backends:
        started = time.perf_counter()
        embedders[backend] = Embedder(settings.embedder, backend=backend, batch_size=args.batch_size)
        _ = embedders[backend].dimension  # load (and for onnx-int8, export if not cached) outside the timing
        figures["backends"][backend] = {"load_s": time.perf_counter() - started}
    if args.previous_export:
        from rag.index.onnx_backend import OnnxEncoder

        backends.append("previous")
        embedders["previous"] = Embedder(settings.embedder, backend="onnx-int8", batch_size=args.batch_size)
        embedders["previous"]._model = OnnxEncoder(Path(args.previous_export), token_budget=0)
        figures["backends"]["previous"] = {"load_s": 0.0, "folder": args.previous_export}
    texts, doc_ids, n_docs = chunk_corpus(args.limit_docs, embedders[backends[0]], settings)
    lengths = embedders[backends[0]].count_tokens(texts)
    order = np.argsort(lengths, kind="stable")[::-1]  # longest first, as sentence-transformers sorts
    print(f"{n_docs} documents, {len(texts)} chunks, median {int(np.median(lengths))} word pieces")
    seconds = dict.fromkeys(backends, 0.0)
    vectors = {b: np.zeros((len(texts), embedders[b].dimension), np.float32) for b in backends}
    for n, start in enumerate(range(0, len(order), args.block)):
        rows = order[start : start + args.block]
        block = [texts[i] for i in rows]
        for backend in backends if n % 2 == 0 else backends[::-1]:
            t = time.perf_counter()
            vectors[backend][rows] = embedders[backend].embed_documents(block)
            seconds[backend] += time.perf_counter() - t
        done = min(len(order), start + args.block)
        print(f"\r{done}/{len(order)} chunks", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    base = backends[0]
    print(f"\n{'backend':<12} {'chunks/s':>9} {'docs/s':>8} {'ratio':>6} {'cos min':>8} {'cos mean':>8}")
    for backend in backends:
        cosines = np.sum(vectors[backend] * vectors[base], axis=1)
        row = {
            "seconds": seconds[backend],
            "chunks_per_s": len(texts) / seconds[backend],
            "docs_per_s": n_docs / seconds[backend],
            "ratio": seconds[base] / seconds[backend],
            "cosine_min": float(cosines.min()),
            "cosine_mean": float(cosines.mean()),
        }
        figures["backends"][backend].update(row)
        print(
            f"{backend:<12} {row['chunks_per_s']:>9.1f} {row['docs_per_s']:>8.1f} {row['ratio']:>5.2f}x "
            f"{row['cosine_min']:>8.4f} {row['cosine_mean']:>8.4f}"
        )
    figures.update({"documents": n_docs, "chunks": len(texts), "cpu_load_avg": os.getloadavg()})
    if not args.limit_docs:
        print(f"\ndense retrieval, SciFact {args.split} (exact search):")
        for backend in backends:
            quality = dense_quality(vectors[backend], doc_ids, embedders[backend], args.split)
            figures["backends"][backend].update(quality)
            print(f"{backend:<12} nDCG@10 {quality['ndcg@10']:.4f}  Recall@100 {quality['recall@100']:.4f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
        print(f"written: {args.json}")


if __name__ == "__main__":
    main()
