"""Choose the chunk size and the dense/BM25 fusion by measurement on SciFact's *train* queries.

    .venv/bin/python tests/benchmarks/tune_retrieval.py                      # fusion grid, default chunking
    .venv/bin/python tests/benchmarks/tune_retrieval.py --chunk-tokens 128 --overlap 24 --subset 1500

For each train query the dense and BM25 chunk rankings are computed once; every fusion setting is then
scored offline (documents ranked by their best chunk, nDCG@10 against the qrels). Prints a table and writes
JSON next to the index. ``--subset N`` indexes the documents judged for the train queries plus random others
up to N, to compare chunk sizes quickly; the fusion choice is made on the full corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from rag.evaluation.beir import load_qrels, load_queries  # noqa: E402
from rag.evaluation.metrics import ndcg_at_k, recall_at_k  # noqa: E402
from rag.index.build import build_index  # noqa: E402
from rag.index.embedding import get_embedder  # noqa: E402
from rag.index.store import load_index  # noqa: E402
from rag.retrieve import fusion  # noqa: E402
from rag.retrieve.retrieval import Retriever  # noqa: E402
from rag.settings import Settings  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"


def doc_ranking(chunk_doc: list[str], scores: dict[int, float], n: int = 100) -> list[str]:
    best: dict[str, float] = {}
    for row in sorted(scores, key=scores.__getitem__, reverse=True):
        best.setdefault(chunk_doc[row], scores[row])
        if len(best) >= n:
            break
    return list(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    ap.add_argument("--overlap", type=int, default=Settings().chunk_overlap)
    ap.add_argument("--subset", type=int, default=0, help="index only this many documents (0: all)")
    ap.add_argument("--split", default="train")
    ap.add_argument("--candidates", type=int, default=300)
    args = ap.parse_args()

    settings = Settings().with_overrides(chunk_tokens=args.chunk_tokens, chunk_overlap=args.overlap)
    qrels = load_qrels(SCIFACT, args.split)
    queries = load_queries(SCIFACT, args.split)
    corpus = SCIFACT / "corpus.jsonl"
    tag = f"c{args.chunk_tokens}o{args.overlap}" + (f"s{args.subset}" if args.subset else "")
    index_dir = ROOT / ".cache" / "beir" / f"scifact-{tag}"
    if args.subset:
        judged = {d for q in qrels.values() for d in q}
        lines = corpus.read_text(encoding="utf-8").splitlines()
        keep = [ln for ln in lines if json.loads(ln)["_id"] in judged]
        others = [ln for ln in lines if json.loads(ln)["_id"] not in judged]
        random.Random(0).shuffle(others)
        keep += others[: max(0, args.subset - len(keep))]
        corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
        corpus.write_text("\n".join(keep) + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = build_index([corpus], index_dir=index_dir, settings=settings)
    print(
        f"index: {report.documents} docs, {report.chunks} chunks, {report.embedded_chunks} embedded "
        f"in {time.perf_counter() - started:.1f} s ({index_dir})"
    )

    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend)
    retriever = Retriever(load_index(index_dir), embedder, settings)
    chunk_doc = [c.doc_id for c in retriever.index.chunks]
    runs = []
    t = time.perf_counter()
    for q in queries:
        runs.append((q, retriever.dense(q.text, args.candidates), retriever.bm25(q.text, args.candidates)))
    per_query_ms = (time.perf_counter() - t) / len(queries) * 1000
    print(f"{len(queries)} {args.split} queries, dense+bm25 retrieval {per_query_ms:.1f} ms/query")

    def score(make) -> tuple[float, float]:
        ndcgs, recalls = [], []
        for q, dense, bm25 in runs:
            ranked = doc_ranking(chunk_doc, make(dense, bm25))
            ndcgs.append(ndcg_at_k(ranked, qrels[q.query_id], 10))
            recalls.append(recall_at_k(ranked, qrels[q.query_id], 100))
        return statistics.mean(ndcgs), statistics.mean(recalls)

    def as_dict(r):
        return dict(zip(r[0].tolist(), r[1].tolist(), strict=True))

    results = {"dense": score(lambda d, b: as_dict(d)), "bm25": score(lambda d, b: as_dict(b))}
    for w in np.round(np.arange(0.1, 1.0, 0.1), 2):
        results[f"convex w={w}"] = score(lambda d, b, w=w: fusion.convex([d, b], [w, 1 - w]))
    for k in (10, 60):
        for w in (0.3, 0.4, 0.5, 0.6, 0.7):
            results[f"rrf k={k} w={w}"] = score(
                lambda d, b, w=w, k=k: fusion.reciprocal_rank([d, b], [w, 1 - w], k)
            )
    print(f"\n{'method':<22} nDCG@10  Recall@100   ({args.split}, {tag})")
    for name, (ndcg, recall) in results.items():
        print(f"{name:<22} {ndcg:.4f}   {recall:.4f}")
    best = max((k for k in results if k not in ("dense", "bm25")), key=lambda k: results[k][0])
    print(f"\nbest fusion: {best} ({results[best][0]:.4f})")
    out = index_dir / f"tune-{args.split}.json"
    out.write_text(json.dumps({"settings": vars(args), "results": results, "best": best}, indent=1))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
