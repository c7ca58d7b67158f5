"""Questions put to named pages or to all of them at once: a writer's grounds for a view, a page's advice said
of "it", each page's answer side by side (real embedder, real index of pages written here; the rules' tables in
tests/test_question_kinds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of

BRIEF = """
The Ferry Levy Quarrel: Why Tamsk and Orlen Need a Referee

by [Irena Holt \\(/experts/irena-holt\\)](/experts/irena-holt)

March 3, 2024

ABOUT THE AUTHOR

Irena Holt is a senior fellow at the Calder Institute for Maritime Policy.

Policy Analysis

The levy Orlen charges on ferries calling at Tamsk harbour has become a test of the strait's shared rules.

In January, Orlen's harbour authority raised the levy on every foreign ferry from 400 to 950 kroner a call.
The Orlen fleet of harbour tugs is old: four of its six tugs were built before 1985, and the authority says
the new levy will pay for their replacement. Tamsk's ferry operators say the rise is out of all proportion.

Tamsk has threatened to route its ferries through the northern channel instead. That threat is empty: the
northern channel freezes for three months a year and adds five hours to every crossing, so no operator
could keep its timetable there.

The new deep-water terminal at Orlen is expected to open in 2027, when larger ferries could call there.

Recommendations

None of this needs a new treaty, and all of it is within reach of the Tamsk government. First, it should
ask the Strait Council for an independent audit of the authority's costs. Second, it should offer to share the cost of one new tug in
return for a cap on the levy.
"""

OPED = """
Pay the Levy, Then Argue

By Piet Marsh

2024-04-11

ABOUT THE AUTHOR

Piet Marsh is a contributing editor at The Harbour Review.

Op-Ed

Orlen's harbour levy is overdue, and Tamsk's operators can afford it.

The harbour has not raised its levy since 2006, while fuel and pilot wages have doubled. Its two oldest tugs
were built in 1979. "We are towing
ferries with boats older than their captains," said Jonas Vik, Orlen's chief pilot.

The terminal now being dredged at Orlen will not open before 2029, whatever the authority's brochures say.

Tamsk's operators should pay the levy and take their complaint to the Strait Council.
"""

TIDES = """
Tide Tables for the Northern Channel

Published by the Strait Pilots' Association.

The northern channel is tidal. High water at the outer buoy comes about forty minutes before high water at
Tamsk harbour. Pilots board at the outer buoy in all weather.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory, "views-advice", {"brief.txt": BRIEF, "oped.txt": OPED, "tides.txt": TIDES}
    )


def _titles(answer) -> set[str]:
    return {c.title.split(":")[0] for c in answer.citations}


def test_a_writers_grounds_for_a_view_are_their_argument(pages: Path) -> None:
    # no "because": the grounds are the sentence that bears the view out
    answer = ask_checked(
        "Why does the policy analysis consider Tamsk's rerouting threat an empty one?", pages
    )
    assert not answer.abstained and any("freezes for three months" in c.quote for c in answer.citations), (
        answer.text
    )


@pytest.mark.parametrize(
    "question",
    [
        "What does the policy analysis urge the Tamsk government to do about the levy?",
        "What does Irena Holt want the Tamsk government to do?",
    ],
)
def test_a_documents_advice_said_of_it_is_found_by_whom_its_paragraph_advises(
    pages: Path, question: str
) -> None:
    # the advice says "it"; the paragraph it is in names whom it advises
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert any("independent audit" in c.quote for c in answer.citations), answer.text


def test_advice_to_someone_the_document_never_advises_abstains(pages: Path) -> None:
    answer = ask_checked(
        "What does the policy analysis recommend the pilots' association do about the tides?", pages
    )
    assert answer.abstained and not answer.citations, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a fact asked of two named documents: each one's answer
        (
            "How old are Orlen's harbour tugs according to the policy analysis and the op-ed?",
            ("built before 1985", "built in 1979"),
        ),
        # asked of every document at once
        ("Across the articles, when is the new terminal at Orlen expected to open?", ("2027", "2029")),
        ("What does each piece say about the harbour levy?", ("950 kroner", "overdue")),
    ],
)
def test_each_documents_answer_side_by_side(pages: Path, question: str, expected: tuple[str, ...]) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert _titles(answer) >= {"The Ferry Levy Quarrel", "Pay the Levy, Then Argue"}, answer.text
    for phrase in expected:
        assert any(phrase in c.quote for c in answer.citations), (phrase, answer.text)


@pytest.mark.parametrize(
    ("span", "question", "gives"),
    [
        # grounds said without "because", of a view asked about
        (
            "The northern channel freezes for three months a year and adds five hours to every crossing.",
            "Why does the analysis consider the rerouting threat an empty one?",
            True,
        ),
        # the view restated is no grounds for it
        (
            "The rerouting threat is an empty one.",
            "Why does the analysis consider the rerouting threat an empty one?",
            False,
        ),
        # an event asked about, not a view: a reason must be said
        (
            "The northern channel freezes for three months a year and adds five hours to every crossing.",
            "Why did Tamsk drop the rerouting threat?",
            False,
        ),
    ],
)
def test_the_grounds_of_a_view(span: str, question: str, gives: bool) -> None:
    assert answer_checks.gives_reason(span, question) is gives


def test_the_verb_of_a_view_is_no_event() -> None:
    assert answer_checks.event_verb("Why does the op-ed consider the levy overdue?") is None
    assert answer_checks.asks_view("Why is the commentary unconvinced by the freight argument?")
    assert not answer_checks.asks_view("Why did the harbour raise its levy?")


@pytest.mark.parametrize(
    ("span", "gives"),
    [
        # "so far" and "have since" tell when, not why
        ("The council, which both states joined in 2004, has so far played a marginal role.", False),
        ("Two other buyers have since walked away.", False),
        ("They joined, so the fees fell.", True),
        ("Since the fees were low, they joined.", True),
    ],
)
def test_words_of_time_are_no_reason(span: str, gives: bool) -> None:
    assert answer_checks.gives_reason(span, "Why did they join?") is gives


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What has SRDB president Tomas Vanderhalt said about the clauses?", "Vanderhalt"),
        (
            "What did Kelmaria's deputy foreign minister, Irena Dalsvik, say about the link?",
            "deputy foreign minister",
        ),
    ],
)
def test_a_speaker_named_with_a_body_or_an_aside(question: str, who: str) -> None:
    assert answer_checks.speaker(question) == who


def test_what_someone_wants_done_is_listed_from_their_advice_not_their_author_box(pages: Path) -> None:
    # "want" is no relation an item must state: the advice says "it should ..."; the author box only
    # names the writer the question names
    answer = ask_checked("Which steps does Irena Holt want Tamsk to take over the levy?", pages)
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "independent audit" in quotes and "senior fellow" not in quotes, answer.text


@pytest.mark.parametrize(
    "question",
    [
        # the page says "the Tamsk government": a name is said again by its head noun
        "What does the policy analysis recommend that the Tamsk city government do?",
        # what the advice is for ("to settle the quarrel") is the matter of the whole page, not a word its
        # advice must repeat
        "What does the policy analysis recommend the Tamsk city government do to settle the quarrel?",
    ],
)
def test_advice_to_a_body_called_again_by_its_head_noun(pages: Path, question: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert any("independent audit" in c.quote for c in answer.citations), answer.text
