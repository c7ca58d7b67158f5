"""One question's exact (flat) FAISS search with FAISS's OpenMP threads against one thread, at two sizes.

    nice .venv/bin/python tests/benchmarks/bench_dense_threads.py --sizes 11292 100000

FAISS splits one question's scan of a flat index over its threads; when other processes keep the cores busy,
the threads' spin-waits cost far more than the scan. ``dense.dense_search`` therefore searches on one thread
(``dense.one_thread``). Prints the median milliseconds of each, and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import faiss
import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[11292, 100_000])
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    print(
        f"load average {os.getloadavg()[0]:.1f}; FAISS {faiss.__version__}, {faiss.omp_get_max_threads()} threads"
    )
    threads = faiss.omp_get_max_threads()
    rng = np.random.default_rng(0)
    for n in args.sizes:
        x = rng.standard_normal((n, args.dim)).astype(np.float32)
        faiss.normalize_L2(x)
        index = faiss.IndexFlatIP(args.dim)
        index.add(x)
        figures = {}
        for name, count in ((f"{threads} threads", threads), ("1 thread", 1)):
            faiss.omp_set_num_threads(count)
            times = []
            for i in range(args.repeats):
                t = time.perf_counter()
                index.search(x[i : i + 1], args.k)
                times.append((time.perf_counter() - t) * 1000)
            figures[name] = statistics.median(times)
        faiss.omp_set_num_threads(threads)
        shown = ", ".join(f"{name} {ms:.2f} ms" for name, ms in figures.items())
        print(f"{n:>9,} vectors: {shown}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
