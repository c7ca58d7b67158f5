"""Fusion arithmetic and MMR on small, hand-checkable inputs."""

from __future__ import annotations

import numpy as np

from rag.retrieve.fusion import convex, mmr, reciprocal_rank


def test_reciprocal_rank_rewards_agreement():
    dense = (np.array([1, 2, 3]), np.array([0.9, 0.8, 0.7]))
    bm25 = (np.array([3, 1]), np.array([12.0, 3.0]))
    fused = reciprocal_rank([dense, bm25], [0.5, 0.5], k=60)
    assert max(fused, key=fused.get) == 1  # ranked 1st and 2nd beats 3rd and 1st
    assert fused[2] < fused[3]


def test_convex_normalises_each_ranking_before_weighting():
    dense = (np.array([1, 2]), np.array([0.9, 0.1]))
    bm25 = (np.array([2, 1]), np.array([100.0, 0.0]))
    assert convex([dense, bm25], [0.8, 0.2]) == {1: 0.8, 2: 0.2}
    assert convex([dense, bm25], [0.3, 0.7])[2] > convex([dense, bm25], [0.3, 0.7])[1]


def test_mmr_skips_a_near_duplicate():
    vectors = np.array([[1.0, 0.0], [0.999, 0.045], [0.0, 1.0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert mmr([10, 11, 12], [1.0, 0.99, 0.8], vectors, k=2, lam=0.5) == [10, 12]
    assert mmr([10, 11, 12], [1.0, 0.99, 0.8], vectors, k=2, lam=1.0) == [10, 11]
