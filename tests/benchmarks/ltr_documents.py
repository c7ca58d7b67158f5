"""Linear learning-to-rank over a few per-query-normalised document features (SciFact train only).

Used by ``tune_document_features.py --ltr``. The product's top 100 documents of each query are re-ranked by
``w . x``, ``w`` learnt two ways: coordinate ascent on nDCG@10 itself, and a logistic regression on the
differences (relevant - other) of the same query's candidates, L2-regularised, its strength chosen by 5-fold
cross-validation over train queries. The CV figure is the mean nDCG@10 of the held-out folds; test (with
``--test``) is scored once, with the model fitted on all of train.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from tune_document_features import DISCOUNT, dense_found, ndcg10, second_z, z_all

CANDIDATES = 100
FEATURE_SETS = {
    "dense z, whole z": ("dense_z", "whole_z"),
    "+ pairs, 2nd chunk": ("dense_z", "whole_z", "bigram_z", "second_z"),
    "+ chunk BM25, fp32 dense": ("dense_z", "whole_z", "bigram_z", "second_z", "chunk_z", "dense32_z"),
    "+ ranks, length": (
        "dense_z",
        "whole_z",
        "bigram_z",
        "second_z",
        "chunk_z",
        "dense32_z",
        "dense_rank",
        "whole_rank",
        "length",
    ),
}


def features(g: dict[str, np.ndarray], owner: np.ndarray, doc_tokens: np.ndarray) -> dict[str, np.ndarray]:
    def rank_feature(v: np.ndarray) -> np.ndarray:
        ranks = np.argsort(np.argsort(-v, axis=1, kind="stable"), axis=1)
        return 1 / np.log2(2 + ranks)

    length = np.log(np.maximum(doc_tokens, 1)).astype(np.float32)
    return {
        "dense_z": g["dense_z"],
        "whole_z": g["whole_z"],
        "bigram_z": z_all(g["bigram"]),
        "second_z": second_z(g),
        "chunk_z": z_all(g["chunkbm25_1"]),
        "dense32_z": dense_found(g["dense32"], g["dense32_1"], owner),
        "dense_rank": rank_feature(g["dense1"]),
        "whole_rank": rank_feature(g["whole"]),
        "length": np.broadcast_to((length - length.mean()) / length.std(), g["dense1"].shape),
    }


def candidate_matrix(g, feats, names) -> tuple[np.ndarray, np.ndarray]:
    """(queries, CANDIDATES, features) and the candidates' document columns."""
    top = np.argsort(-g["base"], axis=1)[:, :CANDIDATES]
    x = np.stack([np.take_along_axis(feats[n], top, 1) for n in names], axis=2)
    return x, top


def pairs(x: np.ndarray, rel: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    diffs = []
    for q in queries:
        pos, neg = np.flatnonzero(rel[q] > 0), np.flatnonzero(rel[q] <= 0)[:50]
        if len(pos):
            diffs.append((x[q, pos][:, None, :] - x[q, neg][None, :, :]).reshape(-1, x.shape[2]))
    d = np.concatenate(diffs)
    return np.concatenate([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))]


def fit(x, rel, queries, c) -> np.ndarray:
    d, y = pairs(x, rel, queries)
    return LogisticRegression(C=c, fit_intercept=False, max_iter=2000).fit(d, y).coef_[0]


def score(x, top, w, n_docs) -> np.ndarray:
    out = np.full((x.shape[0], n_docs), -1e9, np.float32)
    np.put_along_axis(out, top, x @ w, 1)
    return out


def run_ltr(f: dict[str, dict[str, np.ndarray]], owner: np.ndarray, doc_tokens: np.ndarray) -> None:
    n_docs = f["train"]["base"].shape[1]
    feats = {s: features(f[s], owner, doc_tokens) for s in f}
    rng = np.random.default_rng(0)
    folds = rng.permutation(len(f["train"]["base"])) % 5
    print(
        f"\n{'pairwise logistic LTR over the top 100 (5-fold CV on train)':<64} CV{'       test' if 'test' in f else ''}"
    )
    for label, names in FEATURE_SETS.items():
        x = {}
        top = {}
        rel = {}
        for s in f:
            x[s], top[s] = candidate_matrix(f[s], feats[s], names)
            rel[s] = np.take_along_axis(f[s]["relevant"], top[s], 1)
        best = None
        for c in (0.001, 0.01, 0.1, 1.0):
            cv = []
            for k in range(5):
                train_q, held = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
                w = fit(x["train"], rel["train"], train_q, c)
                cv.append(
                    ndcg10(
                        score(x["train"][held], top["train"][held], w, n_docs), f["train"]["relevant"][held]
                    )
                    * len(held)
                )
            figure = sum(cv) / len(folds)
            print(f"  {label} C={c:<6} CV {figure:.4f}", flush=True)
            if best is None or figure > best[0]:
                best = (figure, c)
        w = fit(x["train"], rel["train"], np.arange(len(folds)), best[1])
        figures = f"{best[0]:.4f}"
        if "test" in f:  # fitted on all of train, scored once
            figures += f"   {ndcg10(score(x['test'], top['test'], w, n_docs), f['test']['relevant']):.4f}"
        weights = ", ".join(f"{n} {v / w[0]:.2f}" for n, v in zip(names, w, strict=True))
        print(f"{'LTR ' + label + f' (C={best[1]})':<64} {figures}   [{weights}]", flush=True)


def coordinate_ascent(x: np.ndarray, rel: np.ndarray, queries: np.ndarray, passes: int = 2) -> np.ndarray:
    """Weights that maximise nDCG@10 of ``queries`` directly, one feature at a time (the first fixed at 1)."""
    w = np.zeros(x.shape[2])
    w[:2] = (1.0, 0.7)  # the product's weights
    grid = np.round(np.arange(-0.5, 1.51, 0.1), 2)
    ideal = (-np.sort(-rel[queries], axis=1)[:, :10] * DISCOUNT[:, None].T).sum(1)

    def figure(weights: np.ndarray) -> float:
        s = x[queries] @ weights
        top = np.argsort(-s, axis=1, kind="stable")[:, :10]
        dcg = (np.take_along_axis(rel[queries], top, 1) * DISCOUNT).sum(1)
        return float(np.mean(np.where(ideal > 0, dcg / np.maximum(ideal, 1e-9), 0)))

    best = figure(w)
    for _ in range(passes):
        for j in range(1, x.shape[2]):
            for v in grid:
                trial = w.copy()
                trial[j] = v
                value = figure(trial)
                if value > best + 1e-6:
                    best, w = value, trial
    return w


def run_coordinate_ascent(
    f: dict[str, dict[str, np.ndarray]], owner: np.ndarray, doc_tokens: np.ndarray
) -> None:
    feats = {s: features(f[s], owner, doc_tokens) for s in f}
    folds = np.random.default_rng(0).permutation(len(f["train"]["base"])) % 5
    print(
        f"\n{'coordinate ascent on nDCG@10 over the top 100 (5-fold CV on train)':<64} CV{'       test' if 'test' in f else ''}"
    )
    for label, names in FEATURE_SETS.items():
        x, rel = {}, {}
        for s in f:
            x[s], top = candidate_matrix(f[s], feats[s], names)
            rel[s] = np.take_along_axis(f[s]["relevant"], top, 1)
        held_out = np.zeros(len(folds))
        for k in range(5):
            w = coordinate_ascent(x["train"], rel["train"], np.flatnonzero(folds != k))
            held = np.flatnonzero(folds == k)
            held_out[held] = _ndcg_rows(
                x["train"][held] @ w, rel["train"][held], f["train"]["relevant"][held]
            )
        w = coordinate_ascent(x["train"], rel["train"], np.arange(len(folds)))
        figures = f"{held_out.mean():.4f}"
        if "test" in f:  # fitted on all of train, scored once
            figures += f"   {_ndcg_rows(x['test'] @ w, rel['test'], f['test']['relevant']).mean():.4f}"
        weights = ", ".join(f"{n} {v:.1f}" for n, v in zip(names, w, strict=True))
        print(f"{'CA ' + label:<64} {figures}   [{weights}]", flush=True)


def _ndcg_rows(scores: np.ndarray, rel: np.ndarray, all_relevant: np.ndarray) -> np.ndarray:
    """nDCG@10 of candidate scores; the ideal counts every relevant document, found among them or not."""
    top = np.argsort(-scores, axis=1, kind="stable")[:, :10]
    dcg = (np.take_along_axis(rel, top, 1) * DISCOUNT).sum(1)
    ideal = (-np.sort(-all_relevant, axis=1)[:, :10] * DISCOUNT).sum(1)
    return np.where(ideal > 0, dcg / np.maximum(ideal, 1e-9), 0)
