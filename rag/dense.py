"""The dense half of retrieval: a FAISS inner-product index over unit vectors (so scores are cosines)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def build_faiss(embeddings: np.ndarray) -> faiss.Index:
    """An exact inner-product index over the rows of ``embeddings`` (row i is chunk i)."""
    index = faiss.IndexFlatIP(int(embeddings.shape[1]))
    if len(embeddings):
        index.add(np.ascontiguousarray(embeddings, dtype=np.float32))
    return index


def save_faiss(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_faiss(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def dense_search(index: faiss.Index, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row ids and cosine scores of the ``n`` nearest rows, best first."""
    n = min(n, index.ntotal)
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), n)
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]
