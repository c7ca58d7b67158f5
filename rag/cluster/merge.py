"""Merging the shards' candidates into the rankings one index would give, then fusing them as it would.

A row of a sharded index is named by one integer, ``shard << ROW_BITS | row``. Each shard returns its best
``n`` dense and BM25 candidates; the best ``n`` of their union are exactly the best ``n`` of one index over
all chunks (dense scores are cosines, BM25 scores use the collection's statistics). The min-max
normalisation of the convex fusion then sees the same lists, so the fused scores are those of one index:
normalisation is global, never per shard. No Ray here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..retrieve import fusion

ROW_BITS = 40  # up to a trillion rows per shard
Ranking = tuple[np.ndarray, np.ndarray]


def global_rows(shard: int, rows: np.ndarray) -> np.ndarray:
    return (np.int64(shard) << ROW_BITS) | np.asarray(rows, dtype=np.int64)


def split_row(row: int) -> tuple[int, int]:
    """(shard, row in the shard) of a global row."""
    return row >> ROW_BITS, row & ((1 << ROW_BITS) - 1)


def merge(per_shard: Sequence[Ranking], n: int) -> Ranking:
    """The best ``n`` of the shards' rankings (``per_shard[i]`` in shard ``i``'s rows), in global rows."""
    ids = [global_rows(i, r[0]) for i, r in enumerate(per_shard) if len(r[0])]
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    all_ids = np.concatenate(ids)
    all_scores = np.concatenate([np.asarray(r[1], dtype=np.float32) for r in per_shard if len(r[0])])
    order = np.argsort(-all_scores, kind="stable")[:n]
    return all_ids[order], all_scores[order]


fuse = fusion.fuse_rankings  # the same fusion code as one index's search (rag/retrieve/fusion.py)
