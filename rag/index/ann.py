"""Approximate nearest-neighbour indexes for large collections, tuned at build time to a recall target.

IVF partitions the vectors into ``nlist`` cells around k-means centroids (trained on a sample, so building
stays practical on a laptop) and searches only the ``nprobe`` nearest cells; its vectors are stored as 8-bit
scalar codes (``ivf-sq8``, a quarter of the memory), as float32 (``ivf-flat``), or as 4-bit product-quantiser
codes read with SIMD table lookups (``ivf-pq4fs``: two dimensions per 4-bit code, 96 bytes at 384 dimensions,
about 5x faster to read than 8-bit codes), cheap enough to read every cell for questions unlike the collection.
HNSW walks a proximity graph (``efSearch`` candidates). Whatever the type, the search breadth is chosen here by
measurement: the smallest one whose recall@10 against exact search reaches ``TARGET_RECALL`` on probe queries,
and the measured recall is recorded in the index manifest.

Scores of the candidates are recomputed exactly from the stored float32 vectors (``rerank``), so an
approximate index changes which chunks are found, never the cosines reported for them.
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from collections.abc import Callable
from typing import Any

import faiss
import numpy as np

from . import widening

log = logging.getLogger(__name__)

KINDS = ("ivf-sq8", "ivf-flat", "ivf-pq4fs", "hnsw")
TARGET_RECALL = 0.98  # on probes harder than real questions (see probe_queries), so those get a margin
RERANK_POOL = 50  # an approximate search fetches at least this many candidates to re-score exactly
PROBE_QUERIES = 200
MIN_VECTORS = 1000  # fewer cannot train cells worth having; exact search of them takes microseconds
TRAIN_POINTS_PER_LIST = 48  # k-means sample: faiss wants >= 39 points per centroid
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
_SEED = 1234
# 4-bit PQ ranks coarsely: the best PQ4FS_POOL by the codes are re-scored exactly (1,000 kept 0.999 of the true
# top 10 of random directions at 1M chunks, reading every cell; tests/benchmarks/bench_ann_codes.py).
PQ4FS_POOL = 1000
# The candidate pool of each loaded index whose manifest sets one (faiss objects take no attributes).
_POOLS: weakref.WeakKeyDictionary[faiss.Index, int] = weakref.WeakKeyDictionary()


def nlist_for(n: int) -> int:
    """IVF cells for ``n`` vectors: about sqrt(n), a power of two (1,024 at a million)."""
    return int(min(65536, max(16, 2 ** round(math.log2(max(1.0, math.sqrt(n)))))))


def build(kind: str, embeddings: np.ndarray) -> tuple[faiss.Index, dict[str, Any]]:
    """An approximate inner-product index of ``kind`` over the rows of ``embeddings``, its breadth tuned.

    Returns the index and its manifest record (type, parameters, measured recall@10, build seconds).
    """
    started = time.perf_counter()
    vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
    n, dim = vectors.shape
    record: dict[str, Any] = {"type": kind}
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.add(vectors)
        record.update(m=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION)
        breadths, parameter = [16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024], "ef_search"
    elif kind in ("ivf-sq8", "ivf-flat", "ivf-pq4fs"):
        nlist = nlist_for(n)
        quantizer = faiss.IndexFlatIP(dim)
        if kind == "ivf-pq4fs":
            codes = f"PQ{dim // 2}x4fs" if dim % 2 == 0 else f"PQ{dim}x4fs"
            index = faiss.index_factory(dim, f"IVF{nlist},{codes}", faiss.METRIC_INNER_PRODUCT)
            record.update(codes=codes, rerank_pool=PQ4FS_POOL)
            configure(index, record)
        elif kind == "ivf-sq8":
            index = faiss.IndexIVFScalarQuantizer(
                quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
        else:
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = _sample(vectors, nlist * TRAIN_POINTS_PER_LIST)
        faiss.extract_index_ivf(
            index
        ).cp.niter = 12  # centroids settle well before faiss's default 25 rounds on embedding data
        index.train(sample)
        index.add(vectors)
        record.update(nlist=nlist, train_points=len(sample))
        breadths, parameter = (
            [b for b in (1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512) if b <= nlist],
            "nprobe",
        )
    else:
        raise ValueError(f"Unknown approximate index type '{kind}'; known: {', '.join(KINDS)}.")
    if kind == "ivf-pq4fs":
        # Cells are cheap to read here: one breadth that also holds for questions unlike the collection
        # (random directions), instead of widening per question.
        chosen, recall = _tune(index, vectors, parameter, sorted({*breadths, nlist}), off_topic=True)
    else:
        chosen, recall = _tune(index, vectors, parameter, breadths)
    record.update({parameter: chosen, "recall_at_10": round(recall, 4), "probe_queries": PROBE_QUERIES})
    if parameter == "nprobe" and kind != "ivf-pq4fs":
        record.update(_widening(index, vectors, chosen))
    record["build_s"] = round(time.perf_counter() - started, 2)
    log.info("Built a %s index over %d vectors: %s", kind, n, record)
    return index, record


def configure(index: faiss.Index, record: dict[str, Any]) -> None:
    """Apply the search breadth recorded at build time to a loaded index."""
    if "nprobe" in record:
        faiss.extract_index_ivf(index).nprobe = int(record["nprobe"])
        widening.configure(index, record)
    if "rerank_pool" in record:
        _POOLS[index] = int(record["rerank_pool"])
    if "ef_search" in record:
        faiss.downcast_index(index).hnsw.efSearch = int(record["ef_search"])


def search(
    index: faiss.Index,
    embeddings: np.ndarray | Callable[[np.ndarray], np.ndarray],
    queries: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and exact cosines of (about) the ``n`` nearest rows of each query, best first.

    Fetches at least ``RERANK_POOL`` candidates and re-scores them with their stored vectors: ``embeddings``
    is the array of them, or a function from sorted row ids to their vectors (``StoredIndex.vectors``).
    Rows not found are -1 with score -inf.
    """
    lookup = embeddings if callable(embeddings) else (lambda rows: np.asarray(embeddings[rows], np.float32))
    fetch = min(index.ntotal, max(n, _POOLS.get(index, RERANK_POOL)))
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    widen = widening.parameters(index)
    if widen is not None:
        margin, max_nprobe = widen
        candidates = [
            widening.widened_candidates(
                index, q[None, :], fetch, 10, lambda rows, q=q: lookup(rows) @ q, margin, max_nprobe
            )
            for q in queries
        ]
    else:
        # One thread per question: faiss would split one question's cells over OpenMP threads that spin
        # while waiting, and next to the BM25 half or other processes they slow it down many times over.
        # (The setting is the calling thread's own; index builds elsewhere keep every core.)
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            _, candidates = index.search(queries, fetch)
        finally:
            faiss.omp_set_num_threads(threads)
    ids = np.full((len(queries), n), -1, dtype=np.int64)
    scores = np.full((len(queries), n), -np.inf, dtype=np.float32)
    for q, row in enumerate(candidates):
        found = row[row >= 0]
        if not len(found):
            continue
        ordered = np.sort(found)  # sorted reads are kinder to a memory-mapped file
        exact = np.asarray(lookup(ordered), dtype=np.float32) @ queries[q]
        best = np.argsort(-exact, kind="stable")[:n]
        ids[q, : len(best)] = ordered[best]
        scores[q, : len(best)] = exact[best]
    return ids, scores


def _widening(index: faiss.Index, vectors: np.ndarray, nprobe: int) -> dict[str, Any]:
    """The widening rule's margin, measured on probes of both kinds: like the collection and unlike it."""
    queries = np.vstack([probe_queries(vectors), off_topic_probes(vectors.shape[1])])
    margin = widening.measure_margin(index, vectors, queries, exact_top(vectors, queries, 10))
    # No cap short of every cell: a question unlike every topic may need most of them to keep its recall.
    return {"widen_margin": round(margin, 4), "max_nprobe": max(nprobe, faiss.extract_index_ivf(index).nlist)}


def off_topic_probes(dim: int, count: int = PROBE_QUERIES) -> np.ndarray:
    """Random unit directions: questions unlike anything stored (off-topic or unanswerable ones)."""
    probes = np.random.default_rng(_SEED + 1).standard_normal((count, dim)).astype(np.float32)
    return np.ascontiguousarray(probes / np.linalg.norm(probes, axis=1, keepdims=True))


def probe_queries(vectors: np.ndarray, count: int = PROBE_QUERIES) -> np.ndarray:
    """Query-like probes: the normalised sum of three random stored vectors, a question between topics.

    A real question is nearer to no chunk than a chunk is to its neighbours. Measured on a million vectors
    around SciFact's chunks, these probes sit as far from their nearest stored vector as SciFact's test
    questions do (cosine 0.54 both) and are a little harder for IVF (recall 0.982 vs 0.988 at the same
    nprobe), so tuning on them leaves a margin for real questions.
    """
    rng = np.random.default_rng(_SEED)
    picks = rng.integers(0, len(vectors), size=(min(count, len(vectors)), 3))
    probes = np.asarray(vectors[picks.ravel()], dtype=np.float32).reshape(len(picks), 3, -1).sum(axis=1)
    return np.ascontiguousarray(probes / np.linalg.norm(probes, axis=1, keepdims=True), dtype=np.float32)


def recall_at_10(found: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of the exact top 10 that the approximate top 10 contains."""
    hits = [len(set(f[:10].tolist()) & set(e[:10].tolist())) for f, e in zip(found, exact, strict=True)]
    return float(np.mean(hits)) / 10.0


def _tune(
    index: faiss.Index, vectors: np.ndarray, parameter: str, breadths: list[int], *, off_topic: bool = False
) -> tuple[int, float]:
    """The smallest breadth whose recall@10 on the probes reaches ``TARGET_RECALL`` (or the widest tried).

    With ``off_topic``, random directions are probes too, and the worse of the two kinds' recalls counts.
    """
    kinds = [probe_queries(vectors)] + ([off_topic_probes(vectors.shape[1])] if off_topic else [])
    truths = [exact_top(vectors, queries, 10) for queries in kinds]
    recall = 0.0
    for breadth in breadths:
        configure(index, {parameter: breadth})
        recall = min(
            recall_at_10(search(index, vectors, queries, 10)[0], truth)
            for queries, truth in zip(kinds, truths, strict=True)
        )
        if recall >= TARGET_RECALL:
            return breadth, recall
    log.warning(
        "The %s index reached recall@10 %.3f at most (target %.2f).", parameter, recall, TARGET_RECALL
    )
    return breadths[-1], recall


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, block: int = 65536) -> np.ndarray:
    """Rows of the exact top ``k`` by inner product, best first, reading ``vectors`` block by block."""
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for start in range(0, len(vectors), block):
        scores = queries @ np.asarray(vectors[start : start + block], dtype=np.float32).T
        top = min(k, scores.shape[1])
        part = np.argpartition(-scores, top - 1, axis=1)[:, :top]
        all_scores = np.concatenate([best_scores, np.take_along_axis(scores, part, axis=1)], axis=1)
        all_ids = np.concatenate([best_ids, part + start], axis=1)
        keep = np.argsort(-all_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(all_scores, keep, axis=1)
        best_ids = np.take_along_axis(all_ids, keep, axis=1)
    return best_ids


def _sample(vectors: np.ndarray, size: int) -> np.ndarray:
    if len(vectors) <= size:
        return vectors
    rows = np.sort(np.random.default_rng(_SEED).choice(len(vectors), size=size, replace=False))
    return np.ascontiguousarray(vectors[rows])
