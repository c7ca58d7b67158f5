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
