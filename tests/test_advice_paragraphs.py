"""A named document's advice is found by the paragraph it is in, which names whom it advises in its own words:
by initials ("the Northern Rivers Authority": "the NRA"), and without repeating what the advice replaces
("instead of X") (real embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import extractive_kinds
from tests.conftest import ask_checked, index_of

BRIEF = """
Dredging the Lower Arn: What the Authority Should Do Next

By Hanne Solberg

June 4, 2024

Policy Brief

Silt has narrowed the shipping lane of the lower Arn to forty metres, and two grain barges ran aground in May.

Some members of the Northern Rivers Authority want the channel dredged at once, whatever the cost to the
wetlands downstream. We disagree. "We must not dig up a riverbed we have not finished mapping," said Ines Dahl,
the Authority's director, at a hearing in May.

The NRA has a cheaper and faster course. First, it should close the lane to barges of more than 2,000 tonnes
until the autumn floods have passed. Second, it should pay the three upstream farms to replant the riverbanks
they cleared, which is where most of the silt comes from.
"""

NOTICE = """
Opening Hours of the Arn Ferry

Published by the Arn Ferry Company.

The ferry runs every half hour from six in the morning to nine at night. Bicycles travel free.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "advice-paragraphs", {"brief.txt": BRIEF, "notice.txt": NOTICE})


@pytest.mark.parametrize(
    "question",
    [
        # the paragraph calls the body by its initials
        "What does Hanne Solberg recommend the Northern Rivers Authority do?",
        # what the advice replaces is said elsewhere, not in the advice's paragraph
        "What does the policy brief propose instead of dredging the channel at once?",
        # the kind of advice asked ("measures") is no word its paragraph must say; "in place of" as "instead of"
        "What measures does the policy brief propose in place of dredging the channel at once?",
        # "call for" asks for advice as "recommend" does, and is no word its paragraph must say
        "Which steps does Hanne Solberg call for on the Northern Rivers Authority's lane?",
    ],
)
def test_a_named_documents_advice_is_found_by_its_paragraph(pages: Path, question: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert any(
        "replant the riverbanks" in c.quote or "close the lane" in c.quote for c in answer.citations
    ), answer.text


def test_advice_to_someone_the_document_never_advises_still_abstains(pages: Path) -> None:
    answer = ask_checked("What does the policy brief recommend the ferry company do about bicycles?", pages)
    assert answer.abstained, answer.text


def test_a_long_name_is_said_by_its_initials() -> None:
    question = "What should the Northern Rivers Authority do?"
    assert {"northern", "river", "author"} <= extractive_kinds._initialled(question, "The NRA should act.")
    assert not extractive_kinds._initialled(question, "The authority should act.")


def test_someones_words_asked_as_advice_take_the_slack_of_someones_words(pages: Path) -> None:
    # asked with "should", the question is an argument; the answer is still her checked words, which match the
    # question's framing poorly
    answer = ask_checked(
        "What did the Authority's director say about whether the riverbed should be dug up now?",
        pages,
    )
    assert not answer.abstained, answer.text
    assert any("finished mapping" in c.quote for c in answer.citations), answer.text
