"""A reason seldom repeats what its question pins the event down by: "Why did X cut the limit so deeply for
2023?" is answered by "It cut so deeply because ..." after the sentence that gives the year (real embedder,
real index of a page written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ask_checked, index_of

RIVER = """
Low Water on the Arn

By Hanne Solberg

June 4, 2024

Commentary

The drought had two causes, and neither town likes to talk about both. Farms upstream drew more water than their
permits allowed, and the spring rains never came.

It was against that background that the river authority met in Arnholm on March 3, 2023, and cut the barge
season for 2023 from thirty weeks to nineteen. The authority cut the season so sharply because the river had
fallen below its lowest navigable level, the depth below which loaded barges touch the riverbed. "We did not pick
this number; the river picked it," said Jonas Alm, the authority's chair.

For 2024 the authority has restored a season of twenty-six weeks, and barge owners have welcomed it.
"""


@pytest.fixture(scope="module")
def river(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "reasons-in-context", {"river.txt": RIVER})


def test_a_reason_given_after_the_sentence_with_the_year_answers(river: Path) -> None:
    answer = ask_checked("Why did the river authority shorten the barge season so much for 2023?", river)
    assert not answer.abstained, answer.text
    assert any("below its lowest navigable level" in c.quote for c in answer.citations), answer.text


def test_a_year_said_nowhere_near_the_reason_still_abstains(river: Path) -> None:
    answer = ask_checked("Why did the river authority shorten the barge season so much for 2021?", river)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "why"),
    [
        # a reason asked in other words than "why"
        ("What makes auctioning the slots attractive in the commentary's view?", True),
        ("What explains why the fire commander is always from the host country?", True),
        ("What accounts for the fall in barge traffic?", True),
        ("What makes up the fleet?", False),  # its parts, not a reason
        ("What did the authority decide?", False),
    ],
)
def test_a_reason_asked_without_why(question: str, why: bool) -> None:
    from rag.answer.generators import answer_checks

    assert answer_checks.asks_why(question) is why


def test_end_up_is_no_event_a_reason_must_state() -> None:
    from rag.answer.generators import answer_checks

    assert answer_checks.event_verb("Why does Valdoma end up using more of the aircraft?") is None
    assert answer_checks.event_verb("Why did Valdoma end the accord?") == "end"


def test_a_reason_asked_as_what_makes_it_so_is_answered_by_its_because(river: Path) -> None:
    answer = ask_checked("What made the river authority shorten the 2023 barge season so much?", river)
    assert not answer.abstained, answer.text
    assert any("below its lowest navigable level" in c.quote for c in answer.citations), answer.text
