"""Requests for someone's words said in other ways ("Give me X's quote", "the ranger's words on Y", "In X's
words, ...", "How did X justify the Y?"), and figures a sentence gives of something other than what is asked:
a number that counts other things, an amount paid for something else, a loss for a profit. Rules are checked on
tables; answers on a small article written here, indexed with the real embedder, every quote checked verbatim
at its span."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ask_checked, index_of

from rag.answer.generators import amounts, answer_checks
from rag.answer.question_kinds import classify

LIFTS = """# Storm Shuts Lifts at Brenna Peak for a Week

By Oda Lindgren

February 9, 2026

More than 300 guests at Brenna Peak were told to leave their cabins on Sunday after a storm brought down power
lines across the valley. The resort said its six lifts would stay shut until at least Saturday.

Park ranger Tomas Ekberg said the snow on the upper slopes was unstable. "One warm afternoon and the whole
face could slide," Ekberg said. "Nobody goes above the tree line until we have blasted it."

The resort's general manager, Vera Holm, apologised to guests. She said refunds would be paid within two weeks.
The resort, which is owned by a pension fund, reported revenue of $4 million last season and a loss of
$2 million.

Holm defended the decision to close every lift. "We could have kept the two lower lifts open, but not safely,"
she said. The regional council will pay for the repair of the power lines, its leader said.
"""


@pytest.fixture(scope="module")
def lifts_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "lifts-amounts", {"lifts.md": LIFTS})


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Give me Ana Ruiz's quote about the ferry timetable.", "Ruiz"),
        ("What were Ruiz's remarks on the strike?", "Ruiz"),
        ("Give me the sheriff's words on the curfew.", "sheriff"),
        ("In the mayor's words, why was the bridge closed?", "mayor"),
        ("Why was the bridge closed, in Ruiz's own words?", "Ruiz"),
        ("How did Ruiz justify the fee?", "Ruiz"),
        ("Read me what Ruiz said about the fee.", "Ruiz"),
        ("Which words did Ruiz use to describe the fee?", "Ruiz"),
        ("What was Ruiz's line about the fee?", "Ruiz"),
        ("Quote Ana Ruiz on the fee.", "Ruiz"),
        # a possessive that is what the question is about, not the words asked for
        ("How many points did the analysis find in Ruiz's remarks on the port?", None),
        ("Quote the message Ruiz's remarks aimed at the board.", None),
        # a document's words are its author's
        ("Give me the report's exact words on the fee.", None),
        # a reason, however it was given
        ("How did Ruiz explain why the ferry was late?", None),
    ],
)
def test_requests_for_someones_words_name_the_speaker(question: str, who: str | None) -> None:
    assert answer_checks.speaker(question) == who


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Give me Ana Ruiz's quote about the ferry timetable.", "quote"),
        ("What are the sheriff's comments about the curfew?", "quote"),
        ("In the mayor's words, why was the bridge closed?", "quote"),
        ("How many points did the analysis find in Ruiz's remarks on the port?", "fact"),
    ],
)
def test_a_possessive_after_a_request_asks_for_words(question: str, kind: str) -> None:
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "span", "counted"),
    [
        (
            "How many cabins did the storm destroy?",
            "More than 300 guests were told to leave their cabins.",
            False,
        ),
        (
            "How many jets will it sell?",
            "It is poised to sell thirty-two Lu-9 fighter jets to the navy.",
            True,
        ),
        ("How many homes were lost?", "Homes destroyed: 40, the county said.", True),
        (
            "How many inhalers were sold?",
            "The price of the inhaler Airo, which rose from $98 to $432.",
            False,
        ),
        (
            "How much profit did the resort make?",
            "It reported revenue of $4 million and a loss of $2 million.",
            False,
        ),
        (
            "How much revenue did the drug bring?",
            "Its revenue from the drug had grown to $2.8 billion.",
            True,
        ),
        # the currency written after the number is the figure's unit, not a thing counted instead
        (
            "How much surplus did the rowing club make?",
            "The treasurer reported a surplus of 4,300 pounds for the year.",
            True,
        ),
        ("How much profit did the mill make?", "It reported a loss of 2 million pounds.", False),
        # the thing named before a number is not what it counts when another follows it
        ("How many households use nappies?", "Households of six or more people can apply for a bin.", False),
        # a day of a month counts nothing
        ("How many kettles are recalled?", "It covers kettles sold between 3 August and 28 February.", False),
    ],
)
def test_a_number_must_count_what_is_asked(question: str, span: str, counted: bool) -> None:
    # "how many X" counts X; "how much profit" asks for a sum of money said to be the profit
    thing = answer_checks.counted_thing(question)
    measured = thing is None
    thing = thing or answer_checks.measured_thing(question)
    assert thing is not None
    assert answer_checks.counts(span, thing, measured=measured) is counted


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How large was the trade in 2020 in dollars?", "money"),
        ("How much profit did the resort make?", "money"),
        ("What operating profit did the maker report for the half year?", "money"),
        ("How large was the Growers' Levy Board grant for the study?", "money"),
        ("What will the council's grant pay for?", None),
        ("What was the money spent on?", None),
        # a number to ring is a number; a part of a place is a place, not a share
        ("What number do I text to get pollen alerts?", "phone"),
        ("What is the phone number for booking a table?", "phone"),
        ("Which part of Valdoria should travellers avoid?", None),
        ("What part of the budget goes to schools?", "share"),
        # a figure by its name; a place by its kind
        ("What is the exchange rate between the mark and the pound?", "quantity"),
        ("What is the grass pollen count today?", "quantity"),
        ("Which town does the astronomer live in?", "place"),
    ],
)
def test_what_kind_of_figure_is_asked(question: str, expected: str | None) -> None:
    assert answer_checks.expected_type(question) == expected


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("How much did Acme pay its chief executive last year?", ["chief", "execut"]),
        ("How much will the town spend on the new pool in 2026?", ["new", "pool"]),
        ("How will the council pay for the new bridge?", ["new", "bridg"]),
        ("How much does the pass cost?", []),
        ("How much does a cellar tour cost in Porto?", []),  # where it costs that is no thing paid for
        ("How many boats does it own?", []),
    ],
)
def test_what_an_amount_is_asked_of(question: str, terms: list[str]) -> None:
    assert amounts.paid_for(question) == terms


def test_a_topic_ends_at_the_question_mark() -> None:
    assert answer_checks.topic_terms("What did Ruiz say about crews? Quote him.") == ["crew"]


def test_a_gerund_of_a_verb_of_speech_reports_speech() -> None:
    assert answer_checks.reports_speech("a recording of the minister admitting that the talks had failed")


def test_a_number_that_counts_other_things_does_not_answer(lifts_index: Path) -> None:
    assert ask_checked("How many cabins did the storm destroy?", lifts_index).abstained
    answer = ask_checked("How many guests were told to leave?", lifts_index)
    assert not answer.abstained and "300" in answer.text


def test_an_amount_of_something_else_does_not_answer(lifts_index: Path) -> None:
    assert ask_checked("How much did the resort pay its general manager last season?", lifts_index).abstained
    assert ask_checked("How much profit did the resort make last season?", lifts_index).abstained
    answer = ask_checked("How much revenue did the resort report last season?", lifts_index)
    assert not answer.abstained and "$4 million" in answer.text


def test_a_role_s_words_on_a_topic_are_the_role_holders_quotation(lifts_index: Path) -> None:
    answer = ask_checked("Give me the ranger's words on the upper slopes.", lifts_index)
    assert not answer.abstained
    assert any("whole face could slide" in " ".join(c.quote.split()) for c in answer.citations)


def test_justifying_something_never_mentioned_abstains(lifts_index: Path) -> None:
    assert ask_checked("How did Holm justify the ticket prices?", lifts_index).abstained
    answer = ask_checked("How did Holm defend the decision to close every lift?", lifts_index)
    assert not answer.abstained and any("not safely" in c.quote for c in answer.citations)


def test_a_quote_inside_another_of_the_same_document_is_shown_once(lifts_index: Path) -> None:
    # Holm's sentence and her quotation after it both go on into the same span: one quote, not two
    answer = ask_checked("What exactly did Holm say about the lower lifts?", lifts_index)
    assert not answer.abstained
    assert len(answer.citations) == 1
    assert "not safely" in answer.citations[0].quote


def test_a_request_that_asks_can_i_names_no_verb_to_state() -> None:
    assert answer_checks.yes_no_verb("Can I get the quote where Ruiz criticises the fee?") is None
    assert answer_checks.yes_no_verb("Can Acme raise the fee?") == "raise"


def test_quote_someone_on_a_topic(lifts_index: Path) -> None:
    assert answer_checks.speech_topics("Quote Ana Ruiz on the fee.") == ["the fee", "Ruiz: the fee"]
    answer = ask_checked("Quote Holm on closing the lifts.", lifts_index)
    assert not answer.abstained and any("not safely" in c.quote for c in answer.citations)
    answer = ask_checked("Which words did Holm use about the lower lifts?", lifts_index)
    assert not answer.abstained and any("not safely" in c.quote for c in answer.citations)
