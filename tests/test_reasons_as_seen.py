"""The grounds of a view asked in other shapes than "Why does X think ...?": "Why, in X's view, ...?", "Why
are X and Y against ...?", "What makes X think ...?". A writer's grounds seldom say "because"; a sentence that
says more than the view asked gives them (``answer_checks.asks_view``; real embedder, real index of a page
written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of

PAGE = """
Leave the Old Gauge Alone

by [Ines Varo \\(/experts/ines-varo\\)](/experts/ines-varo)

March 2, 2024

ABOUT THE AUTHOR

Ines Varo is a fellow at the Tarn Institute.

Commentary

The corridor's quarrel over its rails has the wrong villain.

Re-laying the Ostmark section to the narrow gauge now would cost an estimated $410 million and add at least two
more years to the works.

A single national depot at Harl would repeat the very error that ruined the old yard: one copy of every part, one
site, one government's budget.

Ostmark's reluctance to open its depots to foreign inspectors is not only pride; the depots also hold its army's
rolling stock, and no government lets a neighbour's officers count those.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "reasons_as_seen", {"a.txt": PAGE})


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Why is Varo against re-laying the Ostmark section to the narrow gauge?", "$410 million"),
        (
            "What makes Varo think a single national depot at Harl would be a mistake?",
            "one copy of every part",
        ),
        ("Why, in Varo's view, is Ostmark so reluctant to let foreign inspectors into its depots?", "army's"),
    ],
)
def test_a_writers_grounds_asked_in_other_shapes(page: Path, question: str, wanted: str) -> None:
    answer = ask_checked(question, page)
    assert not answer.abstained, answer.text
    assert wanted in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "view"),
    [
        ("Why, in Marsk's view, is Lunmark so reluctant to admit inspectors?", True),
        ("Why, in the op-ed's telling, did the negotiators fail?", True),
        ("Why are Oduya and Renhart against the new gauge?", True),
        ("What makes Castellan think the vault would be a mistake?", True),
        ("Why did the bridge close in 2019?", False),
        ("What makes the vault so costly?", False),
    ],
)
def test_what_asks_the_grounds_of_a_view(question: str, view: bool) -> None:
    assert answer_checks.asks_view(question) is view
