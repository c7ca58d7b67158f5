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

from rag.conversation import normalise_history, standalone_question  # noqa: E402
from rag.generators.extractive import ExtractiveGenerator  # noqa: E402
from rag.indexing import build_index  # noqa: E402
from rag.pipeline import get_pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402


def features(questions: list[dict], index_dir: Path, settings: Settings) -> list[dict]:
    pipeline = get_pipeline(index_dir, settings)
    retriever = pipeline.retriever
    scorer = ExtractiveGenerator(
        pipeline.embedder,
        threshold=0.0,
        overlap_weight=0.0,
        term_weights=lambda: retriever.index.term_weights,
    )
    rows = []
    for q in questions:
        query = standalone_question(q["question"], normalise_history(q.get("history")))
        passages = retriever.passages(retriever.search(query, settings.top_k))
        scored = scorer.eligible(q["question"], passages, normalise_history(q.get("history")))
        rows.append(
            {
                "id": q["id"],
                "answerable": q.get("answerable", True),
                "doc_ids": q.get("doc_ids", []),
                "answers": q.get("answers", []),
                "sentences": [(s.similarity, s.overlap, s.doc_id, s.text) for s in scored],
            }
        )
    return rows


def outcome(rows: list[dict], weight: float, threshold: float) -> tuple[float, float]:
    answered = abstained = n_ans = n_un = 0
    for r in rows:
        if not r["sentences"]:
            best_score, best_doc = float("-inf"), None
        else:
            best = max(r["sentences"], key=lambda s: s[0] + weight * s[1])
            best_score, best_doc = best[0] + weight * best[1], best[2]
        if r["answerable"]:
            n_ans += 1
            answered += best_score >= threshold and best_doc in r["doc_ids"]
        else:
            n_un += 1
            abstained += best_score < threshold
    return answered / max(n_ans, 1), abstained / max(n_un, 1)


def best_setting(rows: list[dict], weights: list[float]) -> tuple[float, float, float, float]:
    best = None
    for w in weights:
        scores = sorted(
            {s[0] + w * s[1] for r in rows for s in r["sentences"][:1] or [(0, 0)]}
            | {max((s[0] + w * s[1] for s in r["sentences"]), default=0) for r in rows}
        )
        cuts = [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)]
        for t in cuts:
            answered, abstained = outcome(rows, w, t)
            key = (min(answered, abstained), answered + abstained)
            if best is None or key > best[0]:
                best = (key, w, t, answered, abstained)
    assert best is not None
    return best[1], best[2], best[3], best[4]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "tests" / "data" / "seeds_qa.jsonl"))
    ap.add_argument("--chunk-tokens", type=int, default=Settings().chunk_tokens)
    ap.add_argument("--overlap", type=int, default=Settings().chunk_overlap)
    args = ap.parse_args()
    questions = [
        json.loads(line)
        for line in Path(args.questions).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    settings = Settings(chunk_tokens=args.chunk_tokens, chunk_overlap=args.overlap)
    build_index([tmp / "seeds"], index_dir=tmp / "vectors", settings=settings)
    rows = features(questions, tmp / "vectors", settings)
    weights = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5]
    print(f"{len(rows)} questions ({sum(r['answerable'] for r in rows)} answerable)")
    print(f"{'weight':>6} {'threshold':>9} {'answered':>8} {'abstained':>9}")
    for w in weights:
        w_best = best_setting(rows, [w])
        print(f"{w:>6} {w_best[1]:>9.3f} {w_best[2]:>8.3f} {w_best[3]:>9.3f}")
    weight, threshold, answered, abstained = best_setting(rows, weights)
    print(
        f"\nchosen: overlap weight {weight}, threshold {threshold:.3f}: answered with a right document "
        f"{answered:.1%}, abstained {abstained:.1%}"
    )
    # Leave-one-out: choose on n-1 questions, judge the one left out.
    hits = 0
    for i, held in enumerate(rows):
        w, t, _, _ = best_setting(rows[:i] + rows[i + 1 :], weights)
        answered, abstained = outcome([held], w, t)
        hits += answered if held["answerable"] else abstained
    print(f"leave-one-out accuracy: {hits / len(rows):.1%}")
    for r in rows:
        best = max(r["sentences"], key=lambda s: s[0] + weight * s[1]) if r["sentences"] else None
        score = best[0] + weight * best[1] if best else float("nan")
        wrong = (score >= threshold) != r["answerable"] or (
            r["answerable"] and best and best[2] not in r["doc_ids"]
        )
        if wrong:
            print(
                f"  miss {r['id']} answerable={r['answerable']} score={score:.3f}: {best[3][:90] if best else ''}"
            )


if __name__ == "__main__":
    main()
