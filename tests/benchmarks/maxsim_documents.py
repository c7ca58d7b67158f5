"""Late interaction with the same embedder: re-rank SciFact's top 30 documents by token-level MaxSim.

    .venv/bin/python tests/benchmarks/maxsim_documents.py --features /tmp/scifact-features.npz \
        --index-dir DIR [--test] [--save DIR]

Each document (title and text, truncated at the model's 256 word pieces) and each query is run through
all-MiniLM-L6-v2 (torch, fp32) for its token vectors, before the mean pooling that makes the sentence vector.
A document's MaxSim is the mean over the query's tokens of the best cosine with any of its tokens (ColBERT's
score, with a model not trained for it). The product's ranking's top 30 documents are re-ranked by its score
+ w x the z of MaxSim over them. Train only unless ``--test`` (the weight chosen on train, test once).
Encoding the 5,183 documents token by token took 18 minutes on the shared machine under load. ``--save``
keeps each split's scores (``maxsim_{split}.npy``, NaN outside the top 30) for ``late_documents.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from tune_document_features import dense_found, ndcg10, z_all, z_found  # noqa: E402

from rag.evaluation.beir import load_queries  # noqa: E402
from rag.index.embedding import resolve_model_path  # noqa: E402
from rag.index.store import load_index  # noqa: E402
from rag.settings import DEFAULT_EMBEDDER  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
RERANKED = 30
WEIGHTS = (0.1, 0.2, 0.3, 0.5, 1.0)


def token_vectors(model: SentenceTransformer, texts: list[str], drop_special: bool) -> list[np.ndarray]:
    out = model.encode(texts, output_value="token_embeddings", batch_size=32, convert_to_numpy=False)
    vectors = [torch.nn.functional.normalize(x, dim=-1).numpy().astype(np.float16) for x in out]
    return [v[1:-1] for v in vectors] if drop_special else vectors  # the query's [CLS]/[SEP] match anything


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, required=True, help="document_features.py's output (.npz)")
    ap.add_argument("--index-dir", type=Path, required=True, help="the index the features were computed on")
    ap.add_argument("--test", action="store_true", help="also test, with the weight chosen on train")
    ap.add_argument("--save", type=Path, default=None, help="a folder for maxsim_{split}.npy")
    args = ap.parse_args()
    data = np.load(args.features)
    owner, doc_ids = data["owner"], list(data["doc_ids"])
    index = load_index(args.index_dir)
    model = SentenceTransformer(resolve_model_path(DEFAULT_EMBEDDER), device="cpu", local_files_only=True)
    started = time.perf_counter()
    docs = token_vectors(
        model, [f"{index.documents[d].title}. {index.documents[d].text}" for d in doc_ids], False
    )
    print(f"{len(docs):,} documents' token vectors in {time.perf_counter() - started:.0f} s", flush=True)
    chosen = None
    for split in ("train", "test") if args.test else ("train",):
        g = {k[len(split) + 1 :]: data[k] for k in data.files if k.startswith(split + "_")}
        base = dense_found(g["dense"], g["dense1"], owner) + 0.7 * z_all(g["whole"])
        queries = token_vectors(model, [q.text for q in load_queries(SCIFACT, split)], True)
        top = np.argsort(-base, axis=1)[:, :RERANKED]
        maxsim = np.full(base.shape, np.nan, np.float32)
        for i, q in enumerate(queries):
            for d in top[i]:
                maxsim[i, d] = (q.astype(np.float32) @ docs[d].T.astype(np.float32)).max(1).mean()
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            np.save(args.save / f"maxsim_{split}.npy", maxsim)
        found = ~np.isnan(maxsim)
        z = z_found(np.where(found, maxsim, 0), found)
        if split == "train":
            print(f"product ranking: train {ndcg10(base, g['relevant']):.4f}")
            figures = {w: ndcg10(np.where(found, base + w * z, -1e9), g["relevant"]) for w in WEIGHTS}
            for w, figure in figures.items():
                print(f"+ {w} x MaxSim z over the top {RERANKED}: train {figure:.4f}")
            chosen = max(figures, key=figures.__getitem__)
        else:
            figure = ndcg10(np.where(found, base + chosen * z, -1e9), g["relevant"])
            print(
                f"product ranking: test {ndcg10(base, g['relevant']):.4f}; + {chosen} x MaxSim z: test {figure:.4f}"
            )


if __name__ == "__main__":
    main()
