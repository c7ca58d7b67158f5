"""Which compressed codes could let an IVF search read every cell for off-topic questions, and keep recall?

    nice .venv/bin/python tests/benchmarks/bench_ann_codes.py --size 1000000 --centers ""   # off-topic, ~15 min
    nice .venv/bin/python tests/benchmarks/bench_ann_codes.py --size 200000 --specs "SQ8|512|50"

Off-topic questions (random centres, ``--centers ""``) have their nearest stored vectors scattered over every
cell (see ``rag/index/widening.py``), so their search reads most of the collection. That is affordable only if
a cell is cheap to read. This script measures, for each FAISS code (``--specs``: ``codes|nprobes|pools``),
the dense search alone: IVF over the same cells, the ``pool`` best candidates by the codes re-scored exactly
from the float32 vectors (as ``ann.search`` does), one query at a time, one thread: recall@10 against exact
search, p50/p95 ms. The data are bench_scale.py's: clouds around SciFact's chunk vectors or random centres,
SciFact's test questions as queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_scale import ROOT, SCIFACT, centers_from, percentile, synthetic_vectors  # noqa: E402

from rag.index import ann  # noqa: E402
from rag.settings import Settings  # noqa: E402

DEFAULT_SPECS = "SQ8|256,1024|50;PQ48x4fs|1024|300;RaBitQfs|1024|500;RaBitQfs4|1024|100,300"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=200_000)
    ap.add_argument("--nlist", type=int, default=0, help="IVF cells (default: ann.nlist_for(size))")
    ap.add_argument("--specs", default=DEFAULT_SPECS, help="codes|nprobe,..|pool,..; separated by ';'")
    ap.add_argument("--centers", default=str(ROOT / ".cache" / "beir" / "scifact-c200o40"))
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    from rag.evaluation.beir import load_queries
    from rag.index.embedding import get_embedder

    settings = Settings()
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend)
    queries = embedder.embed_documents([q.text for q in load_queries(SCIFACT, "test")][: args.queries])
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    rng = np.random.default_rng(0)
    centers, note = centers_from(Path(args.centers) if args.centers else None, queries.shape[1], rng)
    vectors = synthetic_vectors(args.size, centers, rng)
    truth = ann.exact_top(vectors, queries, 10)
    nlist = args.nlist or ann.nlist_for(args.size)
    print(f"{args.size:,} vectors around {note}; {len(queries)} queries; nlist {nlist}", flush=True)
    sample = vectors[np.sort(rng.choice(len(vectors), min(len(vectors), nlist * 48), replace=False))]
    coarse = faiss.IndexIVFFlat(faiss.IndexFlatIP(queries.shape[1]), queries.shape[1], nlist)
    coarse.cp.niter = 12
    coarse.train(sample)  # the same cells for every code, so only the codes differ
    centroids = coarse.quantizer.reconstruct_n(0, nlist)
    faiss.omp_set_num_threads(1)  # a question is searched on one core (the other runs its BM25 half)
    print(
        f"{'codes':<11} {'bytes':>5} {'build s':>8} {'nprobe':>6} {'pool':>5} {'recall':>7} {'p50':>7} {'p95':>7}"
    )
    for spec in args.specs.split(";"):
        codes, nprobes, pools = spec.split("|")
        started = time.perf_counter()
        index = faiss.index_factory(queries.shape[1], f"IVF{nlist},{codes}", faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(index)
        ivf.quantizer.add(centroids)
        if hasattr(faiss.downcast_index(ivf), "qb"):
            faiss.downcast_index(ivf).qb = 8  # RaBitQ: the query quantised to 8 bits (0 = float, slower)
        index.train(sample)
        index.add(vectors)
        build_s = time.perf_counter() - started
        for nprobe in (int(v) for v in nprobes.split(",")):
            ivf.nprobe = min(nprobe, nlist)
            for pool in (int(v) for v in pools.split(",")):
                times, found = [], []
                for timed in (False, True):
                    for q in queries:
                        t = time.perf_counter()
                        _, rows = index.search(q[None, :], pool)
                        rows = np.sort(rows[0][rows[0] >= 0])
                        top = rows[np.argsort(-(vectors[rows] @ q))[:10]]
                        if timed:
                            times.append((time.perf_counter() - t) * 1000)
                            found.append(np.pad(top, (0, 10 - len(top)), constant_values=-1))
                recall = ann.recall_at_10(np.array(found), truth)
                print(
                    f"{codes:<11} {ivf.code_size:>5} {build_s:>8.1f} {ivf.nprobe:>6} {pool:>5} {recall:>7.4f} "
                    f"{statistics.median(times):>7.2f} {percentile(times, 0.95):>7.2f}",
                    flush=True,
                )
        del index


if __name__ == "__main__":
    main()
