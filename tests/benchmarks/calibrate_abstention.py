"""Calibrate the extractive generator: the word-overlap weight and the abstention threshold.

    .venv/bin/python tests/benchmarks/calibrate_abstention.py [--questions tests/data/seeds_qa.jsonl]

For every question of the set, retrieval runs as in ``ask()`` and every candidate sentence is scored; what
counts is the best sentence's similarity and word overlap. For each overlap weight, every threshold between
the observed scores is tried; a setting is judged by
  answered  = answerable questions whose best sentence is above the threshold and comes from a right document,
  abstained = unanswerable questions whose best sentence is below it,
and the chosen one maximises the smaller of the two rates (both must be high), ties broken by the wider margin.
Leave-one-out cross-validation of the threshold says how well the choice holds on questions it did not see.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag.answer.generators.extractive import ExtractiveGenerator  # noqa: E402
from rag.answer.pipeline import get_pipeline  # noqa: E402
from rag.index.build import build_index  # noqa: E402
from rag.retrieve.conversation import normalise_history, standalone_question  # noqa: E402
from rag.settings import Settings  # noqa: E402

Weights = tuple[float, float]  # (word-overlap weight, passage-relevance weight)


def features(questions: list[dict], index_dir: Path, settings: Settings) -> list[dict]:
    pipeline = get_pipeline(index_dir, settings)
    retriever = pipeline.retriever
    scorer = ExtractiveGenerator(
        pipeline.embedder,
        threshold=0.0,
        overlap_weight=0.0,
        passage_weight=0.0,
        term_weights=lambda: retriever.index.term_weights,
    )
    rows = []
    for q in questions:
        history = normalise_history(q.get("history"))
        passages = retriever.passages(
            retriever.search(standalone_question(q["question"], history), settings.top_k)
        )
        scored = scorer.eligible(q["question"], passages, history)
        rows.append(
            {
                "id": q["id"],
                "answerable": q.get("answerable", True),
                "doc_ids": q.get("doc_ids", []),
                "sentences": [(s.similarity, s.overlap, s.relevance, s.doc_id, s.text) for s in scored],
            }
        )
    return rows


def score(sentence: tuple, weights: Weights) -> float:
    return sentence[0] + weights[0] * sentence[1] + weights[1] * sentence[2]


def best_of(row: dict, weights: Weights) -> tuple | None:
    return max(row["sentences"], key=lambda s: score(s, weights)) if row["sentences"] else None


def outcome(rows: list[dict], weights: Weights, threshold: float) -> tuple[float, float]:
    answered = abstained = n_ans = n_un = 0
    for r in rows:
        best = best_of(r, weights)
        best_score, best_doc = (score(best, weights), best[3]) if best else (float("-inf"), None)
        if r["answerable"]:
            n_ans += 1
            answered += best_score >= threshold and best_doc in r["doc_ids"]
        else:
            n_un += 1
            abstained += best_score < threshold
    return answered / max(n_ans, 1), abstained / max(n_un, 1)


def best_setting(rows: list[dict], grid: list[Weights]) -> tuple[Weights, float, float, float]:
    best = None
    for weights in grid:
        scores = sorted({score(b, weights) for r in rows if (b := best_of(r, weights))})
        for t in [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)]:
            answered, abstained = outcome(rows, weights, t)
            key = (min(answered, abstained), answered + abstained)
            if best is None or key > best[0]:
                best = (key, weights, t, answered, abstained)
    assert best is not None
    return best[1], best[2], best[3], best[4]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "tests" / "data" / "seeds_qa.jsonl"))
    ap.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    ap.add_argument("--overlap", type=int, default=Settings().chunk_overlap)
    ap.add_argument("--backend", default=Settings().embedder_backend, help="embedder backend")
    ap.add_argument(
        "--part", default="calibration", help="the questions of this split only (never tune on 'heldout')"
    )
    args = ap.parse_args()
    questions = [
        q
        for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
        if line.strip() and (q := json.loads(line)).get("split", args.part) == args.part
    ]
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    settings = Settings(
        chunk_tokens=args.chunk_tokens, chunk_overlap=args.overlap, embedder_backend=args.backend
    )
    build_index([tmp / "seeds"], index_dir=tmp / "vectors", settings=settings)
    rows = features(questions, tmp / "vectors", settings)
    grid = [(w, p) for w in (0.0, 0.25, 0.5, 0.75, 1.0) for p in (0.0, 0.1, 0.2, 0.3)]
    print(f"{len(rows)} questions ({sum(r['answerable'] for r in rows)} answerable)")
    print(f"{'overlap':>7} {'passage':>7} {'threshold':>9} {'answered':>8} {'abstained':>9}")
    for weights in grid:
        _, t, answered, abstained = best_setting(rows, [weights])
        print(f"{weights[0]:>7} {weights[1]:>7} {t:>9.3f} {answered:>8.3f} {abstained:>9.3f}")
    weights, threshold, answered, abstained = best_setting(rows, grid)
    print(
        f"\nchosen: overlap weight {weights[0]}, passage weight {weights[1]}, threshold {threshold:.3f}: "
        f"answered with a right document {answered:.1%}, abstained {abstained:.1%}"
    )
    # Leave-one-out: choose on n-1 questions, judge the one left out.
    hits = 0
    for i, held in enumerate(rows):
        w, t, _, _ = best_setting(rows[:i] + rows[i + 1 :], grid)
        answered, abstained = outcome([held], w, t)
        hits += answered if held["answerable"] else abstained
    print(f"leave-one-out accuracy: {hits / len(rows):.1%}")
    for r in rows:
        best = best_of(r, weights)
        value = score(best, weights) if best else float("nan")
        wrong = (value >= threshold) != r["answerable"] or (
            r["answerable"] and best and best[3] not in r["doc_ids"]
        )
        if wrong:
            print(
                f"  miss {r['id']} answerable={r['answerable']} score={value:.3f}: {best[4][:90] if best else ''}"
            )


if __name__ == "__main__":
    main()
