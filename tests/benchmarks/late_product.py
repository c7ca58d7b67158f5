"""The late document re-ranking through the product's own code: per-query effect of two runs, and its cost.

    # the two runs (before: default; after: --rerank late), over an index with stored sentence vectors
    rag eval --beir ../shared/data/scifact --split train --cache-dir C --out /tmp/before-train
    rag eval --beir ../shared/data/scifact --split train --cache-dir C --out /tmp/late-train --rerank late
    .venv/bin/python tests/benchmarks/late_product.py compare --split train /tmp/before-train /tmp/late-train

    # cost per query: the first N train queries ranked by default, then late with a cold document cache,
    # then late again (warm); median ms of each, and the process's peak memory
    .venv/bin/python tests/benchmarks/late_product.py cost --index-dir C/scifact-<hash> --queries 50

``compare`` scores each run file (``run.tsv``) with the product's own nDCG@10 against the split's qrels and
prints the paired per-query change (better/worse counts and a sign-flip p).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sentence_documents import sign_flip_p  # noqa: E402

from rag.evaluation.beir import load_qrels, load_queries  # noqa: E402
from rag.evaluation.metrics import ndcg_at_k  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"


def per_query(run_dir: Path, qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    ranked: dict[str, list[tuple[int, str]]] = {}
    with open(run_dir / "run.tsv", encoding="utf-8") as f:
        for query_id, doc_id, rank, _ in csv.reader(f, delimiter="\t"):
            ranked.setdefault(query_id, []).append((int(rank), doc_id))
    return {q: ndcg_at_k([d for _, d in sorted(r)], qrels.get(q, {}), 10) for q, r in ranked.items()}


def compare(args: argparse.Namespace) -> None:
    qrels = load_qrels(args.folder, args.split)
    before, after = per_query(args.before, qrels), per_query(args.after, qrels)
    if before.keys() != after.keys():
        sys.exit("The two runs rank different queries.")
    a = np.array([before[q] for q in sorted(before)])
    b = np.array([after[q] for q in sorted(before)])
    diff = b - a
    print(
        f"{args.split}: {len(a)} queries, nDCG@10 {a.mean():.4f} -> {b.mean():.4f} ({diff.mean():+.4f}; "
        f"{np.sum(diff > 0)} better, {np.sum(diff < 0)} worse; sign-flip p={sign_flip_p(diff):.3f})"
    )


def cost(args: argparse.Namespace) -> None:
    from rag.answer.pipeline import get_pipeline
    from rag.retrieve import documents
    from rag.retrieve.late_interaction import get_late_interaction
    from rag.settings import Settings

    queries = [q.text for q in load_queries(args.folder, "train")[: args.queries]]
    base = Settings.from_env()
    plain = get_pipeline(args.index_dir, base).retriever
    late = get_pipeline(args.index_dir, base.with_overrides(document_rerank="late")).retriever
    documents.rank_documents(plain, queries[0], 100)  # load the index and the query embedder first

    def timed(retriever) -> list[float]:
        out = []
        for q in queries:
            started = time.perf_counter()
            documents.rank_documents(retriever, q, 100)
            out.append((time.perf_counter() - started) * 1000)
        return out

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"default": timed(plain)}
    get_late_interaction(late.settings).query_tokens("warm up the torch model")  # its load is not a query's
    documents.rank_documents(late, "build the sentence evidence once", 1)  # nor is reading the stored vectors
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["late, cold document cache"] = timed(late)
    figures["late, warm"] = timed(late)
    for name, values in figures.items():
        print(
            f"{name:<28} median {statistics.median(values):8.1f} ms   p95 {np.percentile(values, 95):8.1f} ms"
        )
    held = get_late_interaction(late.settings)._held / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"ratio late warm / default: {statistics.median(figures['late, warm']) / statistics.median(figures['default']):.1f}x; "
        f"peak RSS {rss:.0f} MB with the index, {rss_loaded:.0f} MB with the torch model and sentence evidence, "
        f"{peak:.0f} MB at the end ({held:.0f} MB of document token vectors cached for {len(queries)} queries)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", type=Path, default=SCIFACT, help="the BEIR folder")
    sub = ap.add_subparsers(required=True)
    p = sub.add_parser("compare", help="per-query nDCG@10 of two rag eval --beir output folders")
    p.add_argument("--split", default="test")
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.set_defaults(func=compare)
    p = sub.add_parser("cost", help="ms per query, default and late, and memory")
    p.add_argument("--index-dir", type=Path, required=True)
    p.add_argument("--queries", type=int, default=50)
    p.set_defaults(func=cost)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
