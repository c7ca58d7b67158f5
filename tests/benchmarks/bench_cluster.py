"""The sharded index on a loopback Ray cluster: indexing throughput, query latency through the router, QPS.

    nice .venv/bin/python tests/benchmarks/bench_cluster.py                          # both parts, 100k chunks
    nice .venv/bin/python tests/benchmarks/bench_cluster.py --part query --sizes 100000,1000000

Part 1 (indexing): the same SciFact documents (``--docs``) indexed by the one-machine path (``build_index``)
and by the Ray job (``rag index --ray``, 2 shards) on a cluster of 1, then 2, one-CPU worker nodes (a head
with no CPUs). This machine has 2 cores shared with other work: the 2-node figure cannot beat the one-machine
path here; the per-node rate is the figure a cluster of separate machines multiplies.
Part 2 (queries): synthetic collections as in ``bench_scale.py`` (SciFact-like vectors and words), written as
2 shards with the collection's BM25 statistics and served by Ray Serve with 1 and 2 replicas per shard;
``ShardedSearcher.search`` (router fan-out, merge, fusion) against ``Retriever.search`` on one index in this
process, both over the same chunks and with query vectors embedded beforehand: p50/p95 of one search, and
queries per second with 8 concurrent clients.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "benchmarks")]

import numpy as np  # noqa: E402
import ray_cluster  # noqa: E402
from bench_scale import SCIFACT, centers_from, percentile, scifact_words, synthetic_corpus, synthetic_vectors  # noqa: E402

from rag.index import bm25_global, store  # noqa: E402
from rag.settings import Settings  # noqa: E402

CLIENTS = 8


def indexing(docs: int, work: Path) -> dict:
    from rag.cluster.indexing import build_sharded_index
    from rag.index.build import build_index

    corpus = work / "corpus.jsonl"
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as f, open(corpus, "w") as out:
        for _, line in zip(range(docs), f, strict=False):
            out.write(line)
    out: dict = {}
    t = time.perf_counter()
    local = build_index([corpus], index_dir=work / "local", progress=False)
    out["one machine"] = {"chunks": local.chunks, "seconds": round(time.perf_counter() - t, 1)}
    for workers in (1, 2):
        cluster = ray_cluster.start(workers=workers)
        try:
            settings = Settings().with_overrides(ray_address=cluster.address)
            t = time.perf_counter()
            report = build_sharded_index(
                [corpus], index_dir=work / f"ray{workers}", settings=settings, shards=2, progress=False
            )
            seconds = time.perf_counter() - t
        finally:
            import ray

            ray.shutdown()
            ray_cluster.stop(cluster)
        out[f"ray, {workers} worker node(s)"] = {
            "chunks": report.chunks,
            "seconds": round(seconds, 1),
            "per node": {k[:8]: v for k, v in report.workers.items()},
        }
    for row in out.values():
        row["chunks/s"] = round(row["chunks"] / row["seconds"], 1)
    return out


def write_sharded(n: int, work: Path, centers: np.ndarray, rng) -> tuple[Path, Path]:
    """A one-machine index and a 2-shard index of the same synthetic ``n`` chunks."""
    from rag.cluster import layout

    words, probs = scifact_words()
    documents, chunks, texts = synthetic_corpus(n, words, probs, rng)
    vectors = synthetic_vectors(n, centers, rng)
    record = {"format_version": store.FORMAT_VERSION, "embedder": {"name": "synthetic"}}
    one = work / f"one-{n}"
    store.write_generation(one, {**record, "chunk_count": n}, documents, chunks, vectors, texts)
    sharded = work / f"sharded-{n}"
    rows = [[], []]
    for i, c in enumerate(chunks):
        rows[layout.shard_of(c.doc_id, 2)].append(i)
    stats = bm25_global.merge(bm25_global.count([texts[i] for i in r]) for r in rows)
    shards = []
    for s, r in enumerate(rows):
        ids = {chunks[i].doc_id for i in r}
        gen = store.write_generation(
            layout.shard_dir(sharded, s),
            {**record, "chunk_count": len(r)},
            [d for d in documents if d.doc_id in ids],
            [chunks[i] for i in r],
            vectors[r],
            [texts[i] for i in r],
            bm25_stats=stats,
        )
        shards.append({"dir": f"shards/shard-{s:03d}", "generation": gen.name, "chunks": len(r)})
    manifest = {**record, "documents": {d.doc_id: {} for d in documents}, "shards": shards, "chunk_count": n}
    layout.write_top_generation(sharded, manifest, {})
    return one, sharded


def timed(search, texts: list[str]) -> dict:
    for text in texts[:20]:
        search(text)  # warm
    lat = []
    for text in texts:
        t = time.perf_counter()
        search(text)
        lat.append((time.perf_counter() - t) * 1000)
    done, stop = [0] * CLIENTS, threading.Event()

    def client(i: int) -> None:
        j = i
        while not stop.is_set():
            search(texts[j % len(texts)])
            done[i] += 1
            j += CLIENTS

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    time.sleep(10)
    stop.set()
    for th in threads:
        th.join()
    return {
        "p50_ms": round(statistics.median(lat), 2),
        "p95_ms": round(percentile(lat, 0.95), 2),
        "qps_8_clients": round(sum(done) / (time.perf_counter() - t), 1),
    }


def queries(sizes: list[int], work: Path, n_queries: int) -> dict:
    from rag.cluster.router import open_sharded
    from rag.evaluation.beir import load_queries
    from rag.index.embedding import get_embedder
    from rag.retrieve.retrieval import Retriever

    settings = Settings()
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend)
    texts = [q.text for q in load_queries(SCIFACT, "test")][:n_queries]
    vectors = dict(zip(texts, embedder.embed_documents(texts), strict=True))

    class Precomputed:
        dimension = embedder.dimension

        def embed_query(self, text: str) -> np.ndarray:
            return vectors[text]

    rng = np.random.default_rng(0)
    centers, _ = centers_from(ROOT / ".cache" / "beir" / "scifact-c200o40", embedder.dimension, rng)
    out: dict = {}
    cluster = ray_cluster.start(workers=2, object_store_mb=300)
    try:
        for n in sizes:
            one, sharded = write_sharded(n, work, centers, rng)
            local = Retriever(store.load_index(one), Precomputed(), settings)  # type: ignore[arg-type]
            out[n] = {"in-process, one index": timed(lambda q, r=local: r.search(q, 10), texts)}
            for replicas in (1, 2):
                s = settings.with_overrides(ray_address=cluster.address, replicas=replicas)
                searcher = open_sharded(sharded, Precomputed(), s)  # type: ignore[arg-type]
                row = timed(lambda q, r=searcher: r.search(q, 10), texts)
                # Exact (flat) indexes on both sides up to 100k chunks: the same scores; IVF above that.
                row["same top-10 scores"] = all(
                    np.allclose(
                        [h.score for h in searcher.search(q, 10)],
                        [h.score for h in local.search(q, 10)],
                        atol=1e-4,
                    )
                    for q in texts[:20]
                )
                out[n][f"router, 2 shards x {replicas} replica(s)"] = row
            print(json.dumps({n: out[n]}), flush=True)
    finally:
        import ray

        ray.shutdown()
        ray_cluster.stop(cluster)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("index", "query", "both"), default="both")
    ap.add_argument("--docs", type=int, default=400, help="SciFact documents for the indexing part")
    ap.add_argument("--sizes", default="100000", help="chunks for the query part (comma-separated)")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
        if args.part in ("index", "both"):
            print(json.dumps({"indexing": indexing(args.docs, work)}, indent=1), flush=True)
        if args.part in ("query", "both"):
            sizes = [int(s) for s in args.sizes.split(",")]
            print(json.dumps({"queries": queries(sizes, work, args.queries)}, indent=1), flush=True)
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
