"""Document-ranking ideas for SciFact, scored offline from ``document_features.py``'s cache.

    .venv/bin/python tests/benchmarks/tune_document_features.py --features /tmp/scifact-features.npz [--grid]
        [--ltr] [--test]

Train only unless ``--test`` (look at test once, after the choice, for the record). Rows: the product's
ranking (dense best chunk z + 0.7 x whole-document BM25 z), normalisation variants (z over the top k
documents, min-max, reciprocal rank), the query embedded in fp32, extra features (BM25 over adjacent term
pairs, the 2nd best chunk, the mean chunk vector), whole-document BM25 variants (title x3, Robertson),
document-level dense Rocchio over the fused top k; ``--grid``: the depth of each normaliser x BM25 weight;
``--ltr``: linear models over a few features (``ltr_documents.py``, 5-fold CV inside train).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

DEPTH = 300  # dense chunks the product reads when `rag eval --beir` asks for 100 documents
DISCOUNT = 1 / np.log2(np.arange(2, 12))


def ndcg10_rows(scores: np.ndarray, relevant: np.ndarray) -> np.ndarray:
    top = np.argpartition(-scores, 10, axis=1)[:, :10]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, 1), axis=1, kind="stable"), 1)
    dcg = (np.take_along_axis(relevant, top, 1) * DISCOUNT).sum(1)
    idcg = (-np.sort(-relevant, axis=1)[:, :10] * DISCOUNT).sum(1)
    return np.where(idcg > 0, dcg / np.maximum(idcg, 1e-9), 0)


def ndcg10(scores: np.ndarray, relevant: np.ndarray) -> float:
    return float(ndcg10_rows(scores, relevant).mean())


def z_all(values: np.ndarray) -> np.ndarray:
    spread = values.std(1, keepdims=True)
    return (values - values.mean(1, keepdims=True)) / np.where(spread > 0, spread, 1)


def z_found(values: np.ndarray, found: np.ndarray) -> np.ndarray:
    """z over the entries ``found``; the others get the lowest z found (as ``rank_documents`` does)."""
    count = np.maximum(found.sum(1, keepdims=True), 1)
    mean = np.where(found, values, 0).sum(1, keepdims=True) / count
    spread = np.sqrt(np.where(found, (values - mean) ** 2, 0).sum(1, keepdims=True) / count)
    spread = np.where(spread > 0, spread, 1)
    low = np.where(found, values, np.inf).min(1, keepdims=True)
    return np.where(found, (values - mean) / spread, (low - mean) / spread)


def z_top(values: np.ndarray, k: int) -> np.ndarray:
    """z over each row's top ``k`` documents; below them, the lowest z of the top."""
    bound = -np.partition(-values, k - 1, axis=1)[:, k - 1 : k]
    return z_found(values, values >= bound)


def minmax_top(values: np.ndarray, k: int) -> np.ndarray:
    lo = -np.partition(-values, k - 1, axis=1)[:, k - 1 : k]
    hi = values.max(1, keepdims=True)
    return np.where(values >= lo, (values - lo) / np.where(hi > lo, hi - lo, 1), 0)


def rrf(values: np.ndarray, k: float) -> np.ndarray:
    ranks = np.argsort(np.argsort(-values, axis=1, kind="stable"), axis=1)
    return 1.0 / (k + 1 + ranks)


def dense_found(dense_chunks: np.ndarray, dense_doc: np.ndarray, owner: np.ndarray, depth: int = DEPTH):
    """The product's dense z: documents found among the top ``depth`` chunks, z over them, floor below."""
    bound = -np.partition(-dense_chunks, depth - 1, axis=1)[:, depth - 1 : depth]
    found = np.zeros(dense_doc.shape, bool)
    rows, cols = np.nonzero(dense_chunks >= bound)
    found[rows, owner[cols]] = True
    return z_found(np.where(found, dense_doc, 0), found)


def document_vectors(vectors: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    sums = np.zeros((n_docs, vectors.shape[1]), np.float32)
    np.add.at(sums, owner, vectors)
    return sums / np.linalg.norm(sums, axis=1, keepdims=True)


def per_document_max(values: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.full((values.shape[0], n_docs), -np.inf, np.float32)
    np.maximum.at(out.T, owner, values.T)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, required=True, help="document_features.py's output (.npz)")
    ap.add_argument(
        "--test", action="store_true", help="also the test column (after the choice, for the record)"
    )
    ap.add_argument("--grid", action="store_true", help="normaliser depth x weight grid (train)")
    ap.add_argument("--ltr", action="store_true", help="also the learning-to-rank rows (minutes)")
    args = ap.parse_args()
    data = np.load(args.features)
    owner, vectors = data["owner"], data["vectors"]
    n_docs = len(data["doc_ids"])
    doc_vecs = document_vectors(vectors, owner, n_docs)
    splits = ("train", "test") if args.test else ("train",)
    f = {s: split_features(data, s, doc_vecs) for s in splits}

    def row(name: str, make) -> None:
        figures = "   ".join(f"{ndcg10(make(f[s]), f[s]['relevant']):.4f}" for s in splits)
        print(f"{name:<64} {figures}", flush=True)

    print(f"{'document ranking (SciFact nDCG@10)':<64} {'    '.join(splits)}")
    row("product: dense z(docs in top-300 chunks) + 0.7 x whole BM25 z", lambda g: g["base"])
    for k in (300, 1000, n_docs):
        row(
            f"z over the top {k} documents of each, + 0.7 x whole",
            lambda g, k=k: z_top(g["dense1"], k) + 0.7 * z_top(g["whole"], k),
        )
    row(
        "min-max over the top 300 documents: dense + 1.0 x whole",
        lambda g: minmax_top(g["dense1"], 300) + minmax_top(g["whole"], 300),
    )
    for k in (10, 60):
        row(f"reciprocal rank fusion, k={k}", lambda g, k=k: rrf(g["dense1"], k) + rrf(g["whole"], k))
    row(
        "query embedded in fp32 (torch), documents int8",
        lambda g: dense_found(g["dense32"], g["dense32_1"], owner) + 0.7 * g["whole_z"],
    )
    for w in (0.1, 0.2):
        row(
            f"+ {w} x z of whole-document BM25 over adjacent term pairs",
            lambda g, w=w: g["base"] + w * z_all(g["bigram"]),
        )
    for w in (0.1, 0.2):
        row(f"+ {w} x z of the document's 2nd best chunk", lambda g, w=w: g["base"] + w * second_z(g))
    for w in (0.1, 0.2):
        row(
            f"+ {w} x z of the cosine of the mean chunk vector",
            lambda g, w=w: g["base"] + w * z_top(g["docvec"], 1000),
        )
    row(
        "whole BM25 with the title three times (BM25F-like)",
        lambda g: g["dense_z"] + 0.7 * z_all(g["title3"]),
    )
    row("whole BM25, bm25s Robertson variant", lambda g: g["dense_z"] + 0.7 * z_all(g["robertson"]))
    for k in (3, 5, 10):
        for beta in (0.1, 0.2, 0.5):
            row(
                f"dense Rocchio: q + {beta} x mean document vector of fused top {k}",
                lambda g, k=k, beta=beta: rocchio(g, k, beta, doc_vecs, vectors, owner, n_docs),
            )
    if args.grid:
        normaliser_grid(f)
    if args.ltr:
        from ltr_documents import run_coordinate_ascent, run_ltr

        run_coordinate_ascent(f, owner, data["doc_tokens"])
        run_ltr(f, owner, data["doc_tokens"])


def split_features(data, split: str, doc_vecs: np.ndarray) -> dict[str, np.ndarray]:
    g = {k[len(split) + 1 :]: data[k] for k in data.files if k.startswith(split + "_")}
    g["dense_z"] = dense_found(g["dense"], g["dense1"], data["owner"])
    g["whole_z"] = z_all(g["whole"])
    g["base"] = g["dense_z"] + 0.7 * g["whole_z"]
    g["docvec"] = g["q8"] @ doc_vecs.T
    return g


def normaliser_grid(f: dict[str, dict[str, np.ndarray]]) -> None:
    """Depth of each z-score's normaliser (documents) x BM25 weight on train; the best cell against the
    product's ranking per query (a paired sign-flip test on train), and its test figure when asked for."""
    train = f["train"]
    n_docs = train["dense1"].shape[1]
    depths = (300, 500, 1000, 2000, n_docs)
    print(f"\n{'dense z depth / whole z depth / weight':<40} train")
    results = []
    for dk in depths:
        dense = z_top(train["dense1"], dk)
        for wk in depths:
            whole = z_top(train["whole"], wk)
            for w in (0.6, 0.7, 0.8, 0.9, 1.0):
                results.append((ndcg10(dense + w * whole, train["relevant"]), dk, wk, w))
                print(f"{dk:>6} / {wk:>6} / {w:<20} {results[-1][0]:.4f}", flush=True)
    figure, dk, wk, w = max(results)
    diff = ndcg10_rows(z_top(train["dense1"], dk) + w * z_top(train["whole"], wk), train["relevant"])
    diff -= ndcg10_rows(train["base"], train["relevant"])
    flips = np.random.default_rng(0).choice([-1, 1], size=(10_000, len(diff)))
    p = float(np.mean(np.abs((flips * diff).mean(1)) >= abs(diff.mean())))
    print(
        f"best on train: dense z over the top {dk} documents, whole z over the top {wk}, weight {w}: "
        f"{figure:.4f} ({diff.mean():+.4f} against the product; {np.sum(diff > 0)} queries better, "
        f"{np.sum(diff < 0)} worse; sign-flip p={p:.3f}, not corrected for the {len(results)} cells)"
    )
    if "test" in f:
        g = f["test"]
        test = ndcg10(z_top(g["dense1"], dk) + w * z_top(g["whole"], wk), g["relevant"])
        print(f"the same on test: {test:.4f} (product {ndcg10(g['base'], g['relevant']):.4f})")


def second_z(g: dict[str, np.ndarray]) -> np.ndarray:
    second = np.where(np.isfinite(g["dense2"]), g["dense2"], g["dense1"])
    return z_top(second, 150)


def rocchio(g, k, beta, doc_vecs, vectors, owner, n_docs) -> np.ndarray:
    top = np.argsort(-g["base"], axis=1)[:, :k]
    q = g["q8"] + beta * doc_vecs[top].mean(1)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    chunks = q @ vectors.T
    best = per_document_max(chunks, owner, n_docs)
    return dense_found(chunks, best, owner) + 0.7 * g["whole_z"]


if __name__ == "__main__":
    main()
