"""The dense half of retrieval: a FAISS inner-product index over unit vectors (so scores are cosines).

Small collections get an exact index (``flat``). Above ``exact_max_chunks`` an approximate one (``ivf-pq4fs``
by default, see ``rag/index/ann.py``) keeps search fast and memory low at millions of chunks. The choice and its
tuned parameters are recorded in the manifest (``dense_index``) and applied when the index is loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from . import ann

log = logging.getLogger(__name__)

EXACT = "flat"
AUTO = "auto"
DENSE_INDEX_KINDS = (AUTO, EXACT, *ann.KINDS)
# Measured at 1M chunks (tests/benchmarks/bench_scale.py, bench_ann_codes.py): reads every cell for an off-topic
# question in the time 8-bit codes read a fifth of them, the recall kept by re-scoring 1,000 candidates exactly.
AUTO_APPROXIMATE = "ivf-pq4fs"


def choose_kind(chunks: int, requested: str, exact_max_chunks: int) -> str:
    """The index type for a collection of ``chunks``: ``requested``, or by size when it is ``auto``.

    Raises:
        ValueError: ``requested`` is not one of ``DENSE_INDEX_KINDS``.
    """
    if requested not in DENSE_INDEX_KINDS:
        raise ValueError(
            f"Unknown dense index type '{requested}'; known: {', '.join(DENSE_INDEX_KINDS)} (RAG_DENSE_INDEX)."
        )
    if requested == AUTO:
        return EXACT if chunks <= exact_max_chunks else AUTO_APPROXIMATE
    # An approximate index needs enough vectors to train its cells; below that exact search is instant anyway.
    return EXACT if chunks < ann.MIN_VECTORS else requested


def build_faiss(embeddings: np.ndarray) -> faiss.Index:
    """An exact inner-product index over the rows of ``embeddings`` (row i is chunk i)."""
    index = faiss.IndexFlatIP(int(embeddings.shape[1]))
    if len(embeddings):
        index.add(np.ascontiguousarray(embeddings, dtype=np.float32))
    return index


def build_dense_index(
    embeddings: np.ndarray, *, kind: str = AUTO, exact_max_chunks: int = 100_000
) -> tuple[faiss.Index, dict[str, Any]]:
    """The dense index for ``embeddings`` and its manifest record (``{"type": ..., parameters...}``)."""
    chosen = choose_kind(len(embeddings), kind, exact_max_chunks)
    if chosen == EXACT:
        return build_faiss(embeddings), {"type": EXACT, "requested": kind}
    index, record = ann.build(chosen, embeddings)
    return index, {**record, "requested": kind}


def save_faiss(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_faiss(path: Path, record: dict[str, Any] | None = None) -> faiss.Index:
    """Load ``dense.faiss``, memory-mapped, with the search parameters its manifest ``record`` holds.

    Memory-mapped, an index costs RAM only for the parts searches read (the probed IVF cells).
    """
    record = record or {"type": EXACT}
    try:
        index = faiss.read_index(str(path), _mmap_flag(record["type"]))
    except RuntimeError:  # a faiss build or file system without memory-mapping for this type
        log.debug("Memory-mapping %s failed; reading it into memory.", path, exc_info=True)
        index = faiss.read_index(str(path))
    ann.configure(index, record)
    return index


def _mmap_flag(kind: str) -> int:
    if kind.startswith("ivf"):
        return faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
    if kind == EXACT:
        return faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY
    return 0  # HNSW: its graph is read into memory


def is_exact(record: dict[str, Any] | None) -> bool:
    return (record or {}).get("type", EXACT) == EXACT


def dense_search(
    index: faiss.Index,
    query: np.ndarray,
    n: int,
    *,
    rerank: np.ndarray | Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Row ids and cosine scores of the ``n`` nearest rows, best first.

    ``rerank``: for an approximate index, the stored vectors (an array, or a function from row ids to
    vectors such as ``StoredIndex.vectors``); its candidates are re-scored exactly with them.
    """
    n = min(n, index.ntotal)
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if rerank is not None:
        ids, scores = ann.search(index, rerank, query, n)
    else:
        with one_thread():
            scores, ids = index.search(query, n)
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]


@contextmanager
def one_thread() -> Iterator[None]:
    """FAISS calls in this block, from this thread, run on one OpenMP thread (the setting is per thread).

    FAISS splits the scan of a flat index over its OpenMP threads even for one query; on a busy machine their
    spin-waits cost far more than the scan (``tests/benchmarks/bench_dense_threads.py``, 2 cores at load 5-14:
    22-104 ms against 0.7-1.5 ms for 11k vectors, 152-310 against 49-108 ms for 100k).
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
