"""How documents judge a thing, compared: "How do the brief and the op-ed judge X?" quotes each one's verdict on
X, not only the sentence that reports X (real embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import question_kinds, summaries
from tests.conftest import ask_checked, index_of

BRIEF = """
Closing the Harrow Bridge: A Hard Call Made Right

By Lena Marsh

May 2, 2024

Policy Brief

The city council voted in April to close the Harrow Bridge to all traffic for eighteen months of repairs.

The council's decision to close the Harrow Bridge entirely has been criticised by shop owners on both banks as
heavy-handed. We think it is the only defensible choice open to the council. Inspectors found corrosion in
eleven of the bridge's sixteen cables, and a partial closure would have stretched the work over four years.

The council should now publish a weekly schedule of the works and compensate the shops that lose trade.
"""

OPED = """
The Harrow Bridge Closure Punishes the Wrong People

By Tomas Reed

2024-05-20

Op-Ed

Eighteen months is a long time for a market street to go without its bridge.

Repair crews began stripping the deck of the Harrow Bridge in May, after the city council closed it to every
vehicle and pedestrian. Shop owners on the east bank say their takings have fallen by a third since the
closure began. A ferry the council hired carries only forty people at a time. The full closure of the bridge
is far too blunt to be justified by the inspectors' findings, which allowed a footpath to stay open.

The council should reopen the footpath while the cables are replaced.
"""

PARKS = """
Summer Hours in the City Parks

Published by the Parks Department.

The city parks open at seven in the morning and close at ten at night from June to August. Dogs must be kept
on a lead near the playgrounds.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory, "judgements", {"brief.txt": BRIEF, "oped.txt": OPED, "parks.txt": PARKS}
    )


def test_each_documents_verdict_is_quoted_when_their_judgements_are_compared(pages: Path) -> None:
    answer = ask_checked(
        "How do the policy brief and the op-ed differ in how they judge the council's decision to close the "
        "Harrow Bridge?",
        pages,
    )
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    # each one's verdict, not only the sentences that report the closure
    assert "only defensible choice" in quotes, answer.text
    assert "far too blunt to be justified" in quotes, answer.text


@pytest.mark.parametrize(
    ("question", "judging"),
    [
        ("How do the analyses judge the council's decision?", True),
        ("How do their verdicts on the closure differ?", True),
        ("What position do the three articles take on the toll?", True),
        ("Where do the articles stand on whether the formula is fair?", True),
        ("Where does each piece land on the new levy?", True),
        ("What do the pages make of the minister's proposal?", True),
        ("How do the articles view the termination clause?", True),
        ("Do the analyses agree that the deadline is a bluff?", True),
        ("How convincing do the pieces find the case against the shipyard?", True),
        ("When did the council close the bridge?", False),
        ("What do the articles say about the cost of the repairs?", False),
        ("How many cables were corroded?", False),
    ],
)
def test_which_questions_ask_for_a_verdict(question: str, judging: bool) -> None:
    assert question_kinds.asks_judgement(question) is judging


@pytest.mark.parametrize(
    ("sentence", "judges"),
    [
        ("We think it is the only defensible choice open to the council.", True),
        ("The termination clause is the most dangerous.", True),
        ("Each of those claims is weaker than it looks.", True),
        ("The offer is too low to be taken seriously.", True),
        ("The use of force was a proportionate response.", True),
        ("Neither persuades me.", True),
        ("That is wishful thinking.", True),
        ("The ministry deserves credit for moving quickly.", True),
        # reports, not verdicts
        ("The council closed the bridge in May.", False),
        ("It is the most recent estimate.", False),
        ("The bridge is the longest in the city.", False),
        ("Shop owners say their takings have fallen by a third.", False),
        # the question a verdict would answer is no verdict
        ("Debate has centred on whether the licence is fair.", False),
        ("They have stopped arguing about who is right.", False),
        ("Critics ask if the closure was justified, and it was justified.", True),
    ],
)
def test_which_sentences_judge(sentence: str, judges: bool) -> None:
    assert summaries.judges(sentence) is judges
