"""A value asked *before* an event and an outcome asked of a body ("What did the board decide?"): the sentence
on the new fee or on the meeting to come names the same things and does not answer (``outcomes``; real
embedder, real index of a page written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import outcomes
from tests.conftest import ask_checked, index_of

PAGE = """
The Ferry Fee Quarrel on Lake Orm

by [Dana Ostrow \\(/experts/dana-ostrow\\)](/experts/dana-ostrow)

June 3, 2024

ABOUT THE AUTHOR

Dana Ostrow is a fellow at the Harn Institute.

Commentary

The lake's ferry fee has become a quarrel between two shores.

The 2015 ferry contract replaced that arrangement with a deal between the Orm Authority and the operator,
fixing the fee at $4 per car for ten years. Before 2015, the authority charged $2.50 per car and the
operator ran six boats.

The steering board considers the fee again at its next meeting, scheduled for July 9. A preliminary review of
the operator's accounts is planned for the autumn.

At its March meeting the board decided to freeze the fee until the review is done. The 2019 inspection of the
Orm pier found cracks in two of its piles.

Ferry traffic on the lake is projected to reach 900,000 passengers a year by 2030, most of them tourists.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "outcomes", {"a.txt": PAGE})


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("What fee did the Orm Authority charge per car before the 2015 contract?", "$2.50 per car"),
        ("What did the steering board decide at its March meeting?", "freeze the fee"),
        ("What did the 2019 inspection of the Orm pier find?", "cracks in two of its piles"),
    ],
)
def test_the_outcome_or_the_earlier_value_is_quoted(page: Path, question: str, wanted: str) -> None:
    answer = ask_checked(question, page)
    assert not answer.abstained, answer.text
    assert wanted in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        # the meeting is to come: nothing was decided there yet
        "What did the steering board decide at its July 9 meeting?",
        # the review is planned, not reported
        "What did the preliminary review of the operator's accounts conclude?",
    ],
)
def test_a_meeting_to_come_decided_nothing(page: Path, question: str) -> None:
    answer = ask_checked(question, page)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What transit fee did Kelmaria charge before the 2009 contract took effect?", True),
        ("What was the corridor's unit rate before the new rate was set in 2011?", True),
        ("How many slots did Aeromar hold before it received Quenta Air's?", True),
        ("What did a kilo of char sell for at the market before the escape?", True),
        # steps to take before something are no value
        ("What must the two governments do before the summit?", False),
        ("What conditions has Halvenia set before it will resume negotiations?", False),
        ("How much must be paid before the end of March?", False),
    ],
)
def test_what_asks_a_value_before_an_event(question: str, asks: bool) -> None:
    # a sentence with no earlier state answers only the questions that ask none
    assert outcomes.gives_earlier_value("The contract fixed the fee at $4.", question) is not asks


@pytest.mark.parametrize(
    "span",
    [
        "Before 2015, the authority charged $2.50 per car.",
        "The fee rose to $4, up from $2.50.",
        "The fee went from $2.50 to $4 in 2015.",
        "The fee had been $2.50 for a decade.",
    ],
)
def test_an_earlier_state_said_several_ways(span: str) -> None:
    assert outcomes.gives_earlier_value(span, "What fee did the authority charge before the 2015 contract?")


@pytest.mark.parametrize(
    ("question", "span", "states"),
    [
        ("What did the board decide in March?", "The board decided to freeze the fee.", True),
        ("What did the board decide in March?", "The board meets again in March.", False),
        ("What did the court rule?", "The ruling went against the operator.", True),
        ("What did the audit office conclude?", "It has offered a review by its audit office.", False),
        ("What did the 1999 test find?", "The test found cracks.", True),
        # the pages' own view, asked in the present, is any sentence of theirs
        ("What does each of the three pages conclude about the fee?", "The fee is too high.", True),
    ],
)
def test_an_outcome_reached(question: str, span: str, states: bool) -> None:
    assert outcomes.states_outcome(span, question) is states


@pytest.mark.parametrize(
    "question",
    [
        "What did Tobias Wrenfield say about how he heard about the vote?",
        "What did the mayor tell the council after the vote?",
    ],
)
def test_an_outcome_named_inside_another_question_is_not_asked(question: str) -> None:
    assert outcomes.states_outcome("On the radio, he said.", question)


def test_a_projection_is_no_value_now(page: Path) -> None:
    answer = ask_checked("How many passengers do the Orm ferries carry each year at present?", page)
    assert answer.abstained, answer.text
    answer = ask_checked("How many passengers a year are the Orm ferries projected to carry by 2030?", page)
    assert not answer.abstained, answer.text
    assert "900,000 passengers" in answer.text, answer.text


@pytest.mark.parametrize(
    ("span", "gives"),
    [
        ("Exports are projected to reach 4 million tonnes a year by 2030.", False),
        ("That would put Alunde's yearly bill at about $3.4 million.", False),
        ("It currently has 96 controllers.", True),
        ("The agency now trucks water to 112 villages.", True),
        ("Exports reached 3 million tonnes last year.", True),
    ],
)
def test_a_value_asked_for_now(span: str, gives: bool) -> None:
    assert outcomes.gives_present_value(span, "How many tonnes does Korvath export at present?") is gives


@pytest.mark.parametrize(
    ("span", "gives"),
    [
        ("A new currency would likely fall by 25 to 35 percent on its first day of trading.", False),
        ("The halver fell 12 percent in March.", True),
        # a real figure beside a forecast of something else
        (
            "The authority has invested $180 million on the expectation that trains would arrive in 2022.",
            True,
        ),
    ],
)
def test_a_forecast_is_no_change_that_happened(span: str, gives: bool) -> None:
    question = "By how much did the halver fall after the speech?"
    assert outcomes.gives_past_value(span, question) is gives


@pytest.mark.parametrize(
    ("question", "span", "states"),
    [
        (
            "How did the council end up voting on the fee?",
            "The decision to postpone the vote was right.",
            False,
        ),
        ("How did the council end up voting on the fee?", "The council voted 7 to 2 to keep the fee.", True),
        ("How did the board vote in March?", "The board approved the freeze unanimously.", True),
        # a count of votes is no vote asked
        ("How did the opposition arrive at its own vote count?", "It tallied the sheets by hand.", True),
    ],
)
def test_how_a_vote_went(question: str, span: str, states: bool) -> None:
    assert outcomes.states_outcome(span, question) is states
