"""The regression gate: the whole seeds question set through ``ask()``; every figure of its *held-out* part
(questions never used to tune anything) at or above its floor, and every quote of every answer verbatim.

The floors live in ``tests/data/seeds_floors.json`` (measured value minus 0.02, written by a measured run; the
file says when and with which command). After a change that moves the figures on purpose, re-measure:

    .venv/bin/rag index seeds --index-dir /tmp/seeds-eval --quiet
    .venv/bin/rag eval tests/data/seeds_qa.jsonl --part heldout --index-dir /tmp/seeds-eval \\
        --out eval-out/seeds --write-floors tests/data/seeds_floors.json
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.evaluation.floors import below_floors, read_floors
from rag.evaluation.kinds import part_figures
from rag.evaluation.questions import load_questions
from rag.evaluation.runner import Evaluation, evaluate
from rag.index.store import load_index
from rag.settings import Settings

DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = DATA / "seeds_qa.jsonl"
FLOORS = DATA / "seeds_floors.json"


@pytest.fixture(scope="module")
def evaluation(seeds_index) -> Evaluation:
    # Default settings, not the environment's: the gate measures the shipped configuration.
    return evaluate(load_questions(QUESTIONS), index_dir=seeds_index, settings=Settings(), progress=False)


def test_every_figure_is_at_or_above_its_floor(evaluation):
    floors = read_floors(FLOORS)
    assert {"citations.recall", "abstention.recall", "quotes.verbatim_share", "kinds.summary"} <= set(floors)
    held_out = part_figures(evaluation.questions, evaluation.scores, "heldout", Settings().top_k)
    assert held_out["questions"]["total"] >= 30
    failed = [
        f"{s.id}: {'; '.join(s.failures)}"
        for q, s in zip(evaluation.questions, evaluation.scores, strict=True)
        if not s.passed and q.split == "heldout"
    ]
    regressions = below_floors(held_out, floors)
    assert not regressions, (
        "Held-out part below the floors:\n"
        + "\n".join(regressions)
        + "\nFailed questions:\n"
        + "\n".join(failed)
    )


def test_every_quote_is_verbatim_at_its_recorded_span(evaluation, seeds_index):
    documents = load_index(seeds_index).documents
    quotes = 0
    for question, answer in zip(evaluation.questions, evaluation.answers, strict=True):
        for c in answer.citations:
            if not c.verified:
                # an unverified quote must not be presented as one
                assert f"“{c.quote}”" not in answer.text and f"> {c.quote}" not in answer.text, question.id
                continue
            quotes += 1
            assert documents[c.doc_id].text[c.start : c.end] == c.quote, (question.id, c.n)
            assert " ".join(c.quote.split()) in " ".join(answer.text.split()), (question.id, c.n)
    assert quotes > 0 and evaluation.figures["quotes"]["verbatim_share"] == 1.0


def test_the_floors_file_says_how_it_was_measured():
    record = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert record["measured"]["command"].startswith("rag eval ")
    assert record["measured"]["date"]
    for name, floor in record["floors"].items():
        measured = record["measured"]["figures"][name]
        assert floor <= measured, name  # a floor above its own measurement would fail every run
