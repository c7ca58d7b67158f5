"""Combining the dense and BM25 rankings, and MMR to keep near-duplicate passages out of the top k.

Two fusions, both common in the literature: reciprocal rank fusion (ranks only) and a convex combination of
min-max normalised scores. Which one, and its weight, was chosen by measurement on SciFact's train queries
(see README, "Retrieval").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Ranking = tuple[np.ndarray, np.ndarray]  # (row ids best first, their scores)


def reciprocal_rank(rankings: Sequence[Ranking], weights: Sequence[float], k: int = 60) -> dict[int, float]:
    """score(row) = sum over rankings of weight / (k + rank), rank starting at 1."""
    fused: dict[int, float] = {}
    for (ids, _scores), weight in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ids.tolist(), start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused


def convex(rankings: Sequence[Ranking], weights: Sequence[float]) -> dict[int, float]:
    """score(row) = sum of weight * min-max normalised score; a row a ranking did not return counts 0 there."""
    fused: dict[int, float] = {}
    for (ids, scores), weight in zip(rankings, weights, strict=True):
        if len(ids) == 0:
            continue
        lo, hi = float(scores.min()), float(scores.max())
        span = hi - lo
        for row, score in zip(ids.tolist(), scores.tolist(), strict=True):
            normalised = (score - lo) / span if span > 0 else 1.0
            fused[row] = fused.get(row, 0.0) + weight * normalised
    return fused


def fuse(
    rankings: Sequence[Ranking], weights: Sequence[float], method: str, rrf_k: int = 60
) -> dict[int, float]:
    """Dispatch on ``method`` ("convex" or "rrf")."""
    if method == "rrf":
        return reciprocal_rank(rankings, weights, rrf_k)
    if method == "convex":
        return convex(rankings, weights)
    raise ValueError(f"Unknown fusion '{method}': use 'convex' or 'rrf'.")


def mmr(
    rows: Sequence[int], relevance: Sequence[float], vectors: np.ndarray, k: int, lam: float
) -> list[int]:
    """Maximal marginal relevance: pick ``k`` of ``rows`` trading relevance against similarity to those picked.

    ``vectors[i]`` is the unit vector of ``rows[i]``; ``lam`` = 1 is plain relevance order.
    """
    if not rows:
        return []
    rel = np.asarray(relevance, dtype=np.float32)
    if rel.max() > rel.min():
        rel = (rel - rel.min()) / (rel.max() - rel.min())
    sims = vectors @ vectors.T
    chosen: list[int] = []
    remaining = list(range(len(rows)))
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = sims[np.ix_(remaining, chosen)].max(axis=1)
        else:
            redundancy = np.zeros(len(remaining), dtype=np.float32)
        scores = lam * rel[remaining] - (1 - lam) * redundancy
        best = remaining[int(np.argmax(scores))]
        chosen.append(best)
        remaining.remove(best)
    return [rows[i] for i in chosen]


def fuse_rankings(
    dense_ranking: Ranking, bm25_ranking: Ranking, method: str, weight: float, rrf_k: int
) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
    """(fused, dense, BM25) scores by row, for one index's search and for a sharded index's router alike."""
    dense_scores = dict(zip(dense_ranking[0].tolist(), dense_ranking[1].tolist(), strict=True))
    bm25_scores = dict(zip(bm25_ranking[0].tolist(), bm25_ranking[1].tolist(), strict=True))
    if method == "dense":
        fused = dense_scores
    elif method == "bm25":
        fused = bm25_scores
    else:
        fused = fuse([dense_ranking, bm25_ranking], [weight, 1.0 - weight], method, rrf_k)
    return fused, dense_scores, bm25_scores
