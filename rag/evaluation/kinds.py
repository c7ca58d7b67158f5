"""Figures per kind of question (fact, metadata, summary, ...) and per part of the set (calibration, held-out).

An answerable question is right when it passed every check (right document quoted, every key phrase present,
the quote counts it asks for); an unanswerable one is right when the answer abstained. Unanswerable questions
are one row, ``unanswerable``, whatever their kind: the target for them is different (abstain).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .questions import Question
from .scoring import QuestionScore

UNANSWERABLE = "unanswerable"


def kind_of(question: Question) -> str:
    """The row a question is counted in: its ``type`` (or "other"), or ``unanswerable``."""
    return (question.type or "other") if question.answerable else UNANSWERABLE


def right(question: Question, score: QuestionScore) -> bool:
    """Answered right (answerable) or abstained (unanswerable)."""
    return score.passed if question.answerable else score.abstained


def by_kind(questions: Sequence[Question], scores: Sequence[QuestionScore]) -> dict[str, dict[str, Any]]:
    """``{kind: {"questions": n, "right": m, "share": m / n}}``, kinds in order of first appearance."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question, score in zip(questions, scores, strict=True):
        row = counts[kind_of(question)]
        row[0] += 1
        row[1] += right(question, score)
    return {kind: {"questions": n, "right": m, "share": m / n} for kind, (n, m) in counts.items()}


def select_part(questions: Sequence[Question], part: str | None) -> list[Question]:
    """The questions of one part ("calibration" or "heldout"); all of them for None or "all"."""
    if part in (None, "", "all"):
        return list(questions)
    return [q for q in questions if q.split == part]


def kinds_table(questions: Sequence[Question], scores: Sequence[QuestionScore]) -> list[str]:
    """Markdown rows: one per kind, then one per part of the set, each with right / questions."""
    parts = sorted({q.split or "unsplit" for q in questions})
    kinds = list(by_kind(questions, scores))
    figures = {
        part: by_kind(
            [q for q in questions if (q.split or "unsplit") == part],
            [s for q, s in zip(questions, scores, strict=True) if (q.split or "unsplit") == part],
        )
        for part in parts
    }
    lines = ["| kind | " + " | ".join(parts) + " |", "| --- |" + " ---: |" * len(parts)]
    for kind in kinds:
        cells = []
        for part in parts:
            row = figures[part].get(kind)
            cells.append(f"{row['right']}/{row['questions']} ({row['share']:.0%})" if row else "")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


def part_figures(
    questions: Sequence[Question], scores: Sequence[QuestionScore], part: str, k: int
) -> dict[str, Any]:
    """The summary figures (as ``runner.summarise``, with ``kinds``) of one part of an evaluated set."""
    from .runner import summarise  # runner imports this module

    chosen = [(q, s) for q, s in zip(questions, scores, strict=True) if q.split == part]
    figures = summarise([s for _, s in chosen], k)
    figures["kinds"] = {kind: row["share"] for kind, row in by_kind(*zip(*chosen, strict=True)).items()}
    return figures
