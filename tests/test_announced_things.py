"""A short sentence that announces a number of things to do ("Both councils must do three things before
winter.") answers a question only with the sentences that go through them, though the question is asked as a
fact ("What does X say the councils need to do ...?") and the things name nothing new (real embedder, real
index of a page written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import list_items
from tests.conftest import ask_checked, index_of

PAGE = """
The Bridge at Carrow Needs Two Councils, Not One

by [Lena Hart \\(/experts/lena-hart\\)](/experts/lena-hart)

May 6, 2024

ABOUT THE AUTHOR

Lena Hart is a fellow at the Weir Institute.

Commentary

The quarrel over the Carrow bridge is a quarrel over who pays for its repair.

The bridge has carried the road between Ostby and Lunden since 1961. Its deck was last resurfaced in 1998, and
the county engineers now limit it to lorries under 18 tonnes.

Both councils must do three things before winter. Ostby must publish the engineers' survey in full. Lunden must
agree to share the cost of the deck. And both must appoint a single contractor by the end of August, with work
to begin in October. The bridge is the visible part of this dispute. The budget is where it will be settled.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "announced_things", {"a.txt": PAGE})


def test_the_things_announced_are_quoted(page: Path) -> None:
    answer = ask_checked("What does Hart say the two councils need to do before winter?", page)
    assert not answer.abstained, answer.text
    for item in (
        "publish the engineers' survey in full",
        "share the cost of the deck",
        "appoint a single contractor",
    ):
        assert item in answer.text, answer.text
    # as many sentences as it counts: the paragraph's closing remarks are no items
    assert "The budget is where it will be settled" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("sentence", "announces"),
    [
        ("Both councils must do three things before winter.", True),
        ("Instead, the government should take three steps.", True),
        ("It must insist on four conditions before any settlement.", True),
        # a count of something else, or the items said in the sentence itself
        ("Two of the station's five turbines had been shut down with genuine bearing faults.", False),
        (
            "The council must do three things: publish the survey, share the cost and appoint a contractor.",
            False,
        ),
        ("The report found three problems with the deck, the railings, the drains and the lighting.", False),
    ],
)
def test_a_short_announcement_of_things_to_come(sentence: str, announces: bool) -> None:
    assert list_items.announces_things(sentence) is announces
