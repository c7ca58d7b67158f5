"""Quotations of several sentences quoted whole, a speaker's words after a sentence that names them without a
verb of saying, requests for words phrased loosely ("in her own words", "show me what X told"), and dates asked
at a grain finer than the document gives ("which month" when it gives only the year). Rules are checked on
tables; answers on a small article written here, indexed with the real embedder, every quote verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ask_checked, index_of

from rag.answer.generators import answer_checks, reactions
from rag.answer.generators.spans import leaves_open
from rag.answer.question_kinds import classify

STADIUM = """# Rovers Unveil Plans for a New East Stand

By Carla Mendes

October 3, 2025

Dunmore Rovers will open a new east stand with 6,000 seats in 2027, the club said on Wednesday.

The club's treasurer, Nadia Holm, said the response from season-ticket holders had surprised the board. "We hoped
for four hundred pledges in the first week. Eleven hundred fans signed up before Friday," she said. She added that
the waiting list would open in spring.

Manager Owen Pratt apologised to supporters after Saturday's home defeat. "We let the town down, and we will put it
right on the pitch," he said.

The club chose the east side for the stand because the land there already belongs to the club. The old training
ground will be sold next year.

The town council will ask the club to pay for two new bus stops on Mill Road before the stand opens.

Local resident Bea Long told the planning committee that the floodlights would shine into her kitchen. The
committee approved the plans by five votes to two.
"""


@pytest.fixture(scope="module")
def stadium_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "stadium-quotes", {"stadium.md": STADIUM})


_ask = ask_checked  # every answer's quotes checked verbatim at their spans


@pytest.mark.parametrize(
    ("text", "open_"),
    [
        ('The treasurer said it surprised them. "We hoped for four hundred.', True),
        ('"We hoped for four hundred," she said.', False),
        ("She said the pledges came in “faster than we planned.", True),
        ("She said the pledges came in “faster than we planned.”", False),
        ("No quotation at all.", False),
    ],
)
def test_leaves_open(text: str, open_: bool) -> None:
    assert leaves_open(text) is open_


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How did the manager apologise, in his own words?", "quote"),
        ("What did the board decide, in her words?", "quote"),
        ("Show me what the treasurer told the board.", "quote"),
        ("Give me what Holm said about the pledges.", "quote"),
        ("How did the manager apologise?", "why_how"),
        ("Show me the plans for the stand.", "fact"),
    ],
)
def test_loose_requests_for_words_are_quote_requests(question: str, kind: str) -> None:
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Show me what Nadia Holm told the committee.", "Holm"),
        ("Tell me what Bea Long said about the floodlights.", "Long"),
        ("Quote what Owen Pratt said after the defeat.", "Pratt"),
        ("Show me what the stand will cost.", None),
    ],
)
def test_show_me_what_x_said_names_the_speaker(question: str, who: str | None) -> None:
    assert answer_checks.speaker(question) == who


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("In which month will the stand open?", "The stand will open in 2027.", False),
        ("In which month will the stand open?", "The stand will open in August 2027.", True),
        ("What month does the list open?", "The list may open soon.", False),  # "may" is no month
        ("Which year will the stand open?", "The stand will open in 2027.", True),
        ("Which year will the stand open?", "The stand will open next summer.", False),
        ("On what day did the club announce it?", "The club said on Wednesday.", True),
        ("On what day did the club announce it?", "The club said in October.", False),
        ("When will the stand open?", "The stand will open in 2027.", True),  # any date answers "when"
        ("Where was the deal signed?", "The club and the council signed the deal in October.", False),
        ("Where was the deal signed?", "The club and the council signed the deal in Dunmore.", True),
        ("Where was the deal signed?", "The deal was signed at the Grand Hotel.", True),
        ("Where does the club stand on ticket prices?", "Prices will rise.", True),  # a position, not a place
        ("Where does Nadia Holm work?", "Nadia Holm is treasurer of Dunmore Rovers.", True),  # a state
        ("Where did Owen Pratt live before?", "Location: Dunmore, Ireland", True),
    ],
)
def test_a_date_as_fine_as_asked(question: str, sentence: str, fits: bool) -> None:
    assert answer_checks.fits_type(sentence, answer_checks.expected_type(question)) is fits


def test_a_quotation_opened_in_the_quote_is_quoted_to_its_close(stadium_index: Path) -> None:
    answer = _ask("What exactly did Nadia Holm say about pledges in the first week?", stadium_index)
    assert not answer.abstained
    assert "Eleven hundred fans signed up" in answer.text


def test_a_quotation_that_goes_back_to_a_named_person_by_a_pronoun_is_theirs(stadium_index: Path) -> None:
    answer = _ask("How did the manager apologise to supporters, in his own words?", stadium_index)
    assert not answer.abstained
    assert "We let the town down" in answer.text


def test_a_place_asked_abstains_when_the_sentence_names_none(stadium_index: Path) -> None:
    assert _ask("Where did the planning committee approve the plans?", stadium_index).abstained


def test_a_reason_for_another_event_answers_a_why_less_surely(stadium_index: Path) -> None:
    # the sentence gives a reason for choosing the east side, not for buying land there
    assert _ask("Why did Dunmore Rovers buy the land on the east side?", stadium_index).abstained
    answer = _ask("Why did Dunmore Rovers choose the east side for the stand?", stadium_index)
    assert not answer.abstained
    assert "already belongs to the club" in answer.text


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Why did Dunmore Rovers sell the old ground?", "sell"),
        ("Why will Dunmore Rovers delay the vote?", "delay"),
        ("Why was the stand built?", None),  # a passive: the reason may be said of it in any voice
        ("When did Dunmore Rovers open the stand?", "open"),
    ],
)
def test_the_event_a_why_asks_about(question: str, verb: str | None) -> None:
    assert answer_checks.event_verb(question) == verb


@pytest.mark.parametrize(
    ("question", "span", "reacts"),
    [
        ("How did the fire crews react to the change?", "Fire crews in Lyon welcomed the change.", True),
        ("How did the union respond?", "Ana Ruiz, who chairs the union, said the ruling was unfair.", True),
        ("How did the state respond to the request?", "The city will ask the state to pay for it.", False),
        ("How did the board react to the vote?", "The board was told of the vote by the mayor.", False),
        (
            "How did the ministry react to the deal?",
            "Once it was agreed, the ministry proclaimed the ban over.",
            True,
        ),
        ("What did the board decide?", "The vote came after the board met twice.", True),  # no reaction asked
    ],
)
def test_a_reaction_needs_its_subject_to_act(question: str, span: str, reacts: bool) -> None:
    assert reactions.reacts(span, reactions.reacting(question)) is reacts


def test_a_reaction_asked_of_someone_only_mentioned_abstains(stadium_index: Path) -> None:
    # the council asks the club to pay; nothing says how the club responded
    assert _ask(
        "How did the club respond to the council's request for new bus stops?", stadium_index
    ).abstained


def test_a_month_asked_abstains_when_only_the_year_is_given(stadium_index: Path) -> None:
    assert _ask("In which month will the new east stand open?", stadium_index).abstained
    answer = _ask("In which year will the new east stand open?", stadium_index)
    assert not answer.abstained
    assert "2027" in answer.text
