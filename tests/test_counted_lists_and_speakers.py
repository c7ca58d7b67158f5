"""Lists a piece counts out, and speakers named in other shapes (real embedder, real index of pages written
here):

- "What three recommendations do the authors make?" quotes the sentence that announces as many of that kind
  ("We make three recommendations.") and the items it counts out, short ones too ("The first is uneven
  exposure."), not a later list that counts again ("Second, return 40 percent ...") (``list_items``);
- "How many auditors ...?" eases the threshold a little for a sentence that counts the thing asked ("the team
  of nine auditors"), as a speaker's or a reason's check does;
- "its chair, Hendrik Sollo, said" is the commission's chair when the commission opens the sentence; "MPs" is
  no name the documents must hold; "We paid for a port" is on being asked to pay;
- "about the proposal to move the centre": words on the centre that never say the proposal are on something
  else; "What does X think of Y?" asks X's words on Y;
- "since the proposal came out" is a topic, not a request for the writer's proposal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import question_kinds
from rag.answer.generators import answer_checks, list_items
from tests.conftest import ask_checked, index_of

ANALYSIS = """
Pricing Carbon at the Border

by [Ada Marrow \\(/experts/ada-marrow\\)](/experts/ada-marrow) and [Olen Fennick \\(/experts/olen-fennick\\)](/experts/olen-fennick)

March 3, 2025

ABOUT THE AUTHORS

Ada Marrow is a fellow at the Tarn Institute. Olen Fennick is a research associate there.

Policy Analysis

The union's members are split over a carbon levy on imports, and the split can be healed.

Three causes explain the split. The first is uneven exposure. The second is the design of revenue. The third is
the steel plant at Harl.

We make three recommendations. First, the union should phase the levy in over four years, so that importers can
plan for it. Second, it should return 40 percent of the revenue to member states in proportion to the levy paid on
their imports. Third, it should create a fund for steelmakers, financed from the remaining revenue, that would pay
part of the cost of converting the Harl plant.

Talks have stalled. The Joint Levy Commission met four times in 2024 without agreeing on an agenda, and its chair, Hendrik Sollo,
said in November that the members "are no longer negotiating about carbon, but about money."

"We paid for a port, not for a permanent subscription to somebody else's seabed," Foreign Minister Anselm Kreutz
said in November, when the coastal members asked the others to share the cost of dredging.

Hanne Ostrow, the centre's director, told reporters that controllers had "kept every aircraft safe and no aircraft
moving."

The Kessport Port Authority opened a new rail yard in June. Sabine Otero, the port authority's director, warned in
July that the rail yard "is a car park for empty wagons until the line opens."

"We are being asked to pay twice for the same landing charges," said Lucia Ferrant, the chief executive of Serrat
Airways, which flies the route daily.

Ruth Vale has spent 22 years at the Audit Office. She led the team of nine auditors whose report on the Harl plant,
published in March, found the subsidy had been paid twice.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "counted_lists", {"a.txt": ANALYSIS})


def test_the_items_a_piece_announces_and_counts_out(page: Path) -> None:
    answer = ask_checked("What three recommendations do Marrow and Fennick make?", page)
    assert not answer.abstained, answer.text
    for item in ("phase the levy in over four years", "return 40 percent", "create a fund for steelmakers"):
        assert item in answer.text, answer.text


def test_short_counted_items_and_no_later_list(page: Path) -> None:
    answer = ask_checked(
        "What three causes do Marrow and Fennick give for the split among the members?", page
    )
    assert not answer.abstained, answer.text
    for item in ("The first is uneven exposure.", "The second is the design of revenue.", "The third is"):
        assert item in answer.text, answer.text
    # the recommendations are another list, counted again from "First"
    assert "return 40 percent" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "What did the commission chair say in November about the state of the talks?",
            "no longer negotiating",
        ),
        ("What did Kreutz say in November about being asked to help pay for dredging?", "We paid for a port"),
        ("How many auditors worked on the inquiry into the Harl plant?", "nine auditors"),
        # the body called again by its head noun with a word before it
        (
            "What did the head of the Kessport Port Authority say about the rail yard?",
            "a car park for empty wagons",
        ),
        # the post asked with its owner's name before it, said with the name after it
        ("What did the Serrat Airways chief executive say about the landing charges?", "pay twice"),
    ],
)
def test_speakers_and_counts_named_in_other_shapes(page: Path, question: str, wanted: str) -> None:
    answer = ask_checked(question, page)
    assert not answer.abstained, answer.text
    assert wanted in answer.text, answer.text


def test_words_on_something_else_than_the_proposal_asked(page: Path) -> None:
    answer = ask_checked("What did Hanne Ostrow tell reporters about the proposal to move the centre?", page)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What three recommendations do the authors make?", ("three", "recommend")),
        ("Which four factors drove the cost overrun?", ("four", "factor")),
        ("What are the three main reasons for the delay?", ("three", "reason")),
        ("What recommendations do the authors make?", None),
        ("How many steps are there?", None),
    ],
)
def test_counted_ask(question: str, asked: tuple[str, str] | None) -> None:
    assert list_items.counted_ask(question) == asked


@pytest.mark.parametrize(
    ("sentence", "announces"),
    [
        ("We make three recommendations.", True),
        ("The government should take three steps.", True),  # steps: recommendations in other words
        ("Three causes explain the split.", False),  # causes are no recommendations
        ("We make four recommendations.", False),
        (
            "The three governments met in March and agreed on nothing at all, which surprised nobody who follows them.",
            False,
        ),
    ],
)
def test_announces_asked(sentence: str, announces: bool) -> None:
    assert list_items.announces_asked(sentence, ("three", "recommend")) is announces


def test_plural_abbreviations_are_no_names() -> None:
    assert answer_checks.names("What did the minister tell MPs about the NGOs?") == []
    assert answer_checks.names("What did the minister tell the IMF?") == ["IMF"]


@pytest.mark.parametrize(
    ("span", "covers"),
    [
        ("She said the proposal to move the centre would cost jobs.", True),
        ('She said controllers at the centre in Port Esk had "kept every aircraft safe."', False),
    ],
)
def test_the_head_of_a_topic_must_be_said(span: str, covers: bool) -> None:
    question = "What did she tell reporters about the proposal to move the centre to Port Esk?"
    assert answer_checks.covers_topic(span, question) is covers


def test_think_of_names_a_topic() -> None:
    assert answer_checks.topic_terms("What does Colonel Haugen think of the plan for a second base?") == [
        "plan",
        "second",
        "base",
    ]


@pytest.mark.parametrize(
    ("question", "argument"),
    [
        ("What did Tomas Virelli say had happened since the proposal came out?", False),
        ("What did the union say about the levy proposal?", False),
        ("What does the institute's proposal call for?", True),
        ("What proposal does the op-ed make?", True),
        ("What do the authors propose?", True),
    ],
)
def test_a_proposal_named_as_a_topic(question: str, argument: bool) -> None:
    assert (question_kinds.classify(question).kind == "argument") is argument


@pytest.mark.parametrize(
    ("span", "counts"),
    [
        # the question's own figure, and a time of day, count nothing asked
        ("Shortly after 2 a.m. the dam gave way and killed 31 people.", False),
        ("Of the 31 people killed, 12 people were Dunmarran citizens.", True),
    ],
)
def test_a_count_is_a_new_figure(span: str, counts: bool) -> None:
    question = "How many of the 31 people killed in the collapse were Dunmarran citizens?"
    assert answer_checks.counts(span, "people", question=question) is counts


def test_a_share_counts_nothing() -> None:
    question = "How many passengers passed through the airport in 2021?"
    span = "Today, 61 percent of departing passengers pass through the terminal, which was expanded in 2021."
    assert not answer_checks.counts(span, "passengers", question=question)
    assert answer_checks.counts(
        "The airport handled 4.1 million passengers in 2021.", "passengers", question=question
    )


def test_an_amount_demanded_was_not_paid() -> None:
    from rag.answer.generators import outcomes

    question = "How much compensation did Dalvonia pay the owners of the trawler?"
    demanded = (
        "It should demand compensation of $2.4 million for the crew and owners of the trawler, including the value "
        "of the 38 tonnes of mackerel the navy confiscated."
    )
    assert not outcomes.gives_past_value(demanded, question)
    assert outcomes.gives_past_value("Dalvonia paid the owners $2.4 million in May.", question)


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Ismara signed its air services agreement with Calvoria in 2003.", False),
        ("The 2003 agreement was last amended in March 2011.", True),
    ],
)
def test_the_year_that_names_a_thing_is_no_answer(sentence: str, answers: bool) -> None:
    question = "When was Ismara's 2003 air services agreement last amended?"
    assert answer_checks.new_figure(sentence, question, answer_checks.expected_type(question)) is answers


@pytest.mark.parametrize(
    ("question", "span", "says"),
    [
        (
            "Who was in command of the frigate Osk when it seized the trawler?",
            "The frigate Osk, commanded by Captain Ilse Varn, seized the trawler at dawn.",
            True,
        ),
        (
            "Who was in command of the frigate Osk when it seized the trawler?",
            "On May 2 the frigate Osk seized the trawler Mira off the Serrin Bank.",
            False,
        ),
        (
            "Who is in charge of the audit?",
            "The audit is led by Ruth Vale, a director at the Audit Office.",
            True,
        ),
        ("Who is in charge of the audit?", "The audit began in March at the Audit Office.", False),
    ],
)
def test_a_post_asked_by_a_phrase(question: str, span: str, says: bool) -> None:
    from rag.answer.generators import posts_held

    assert posts_held.says_post(span, question) is says


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a spot things are hidden in is seldom a named place ("in crates of olive oil")
        ("Where have border guards found smuggled lirenol hidden?", None),
        ("Where was the summit held?", "place"),
    ],
)
def test_where_things_are_hidden_is_no_named_place(question: str, kind: str | None) -> None:
    assert answer_checks.expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "advice"),
    [
        # what a proposal contains is asked, not advice
        ("What did the finance minister's November proposal ask creditors for?", False),
        ("What does the op-ed propose?", True),
        ("What do the authors recommend?", True),
    ],
)
def test_a_proposal_asked_of_is_no_request_for_advice(question: str, advice: bool) -> None:
    from rag.answer import summaries

    assert bool(summaries.ADVICE_ASKED.search(question)) is advice


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("What binding obligations could the NMA have imposed under a conditional approval?", "imposed"),
        ("Which officials did Ruiz meet?", "meet"),
        ("What weapons has Russia sold to Iran?", "sold"),
    ],
)
def test_the_verb_a_list_is_asked_by(question: str, verb: str) -> None:
    assert list_items.relation(question) == verb


@pytest.mark.parametrize(
    ("question", "sentence", "line"),
    [
        (
            "How much compensation is Valdoria demanding?",
            "The submission asks for four things: an inquiry, a freeze, a ruling and compensation of $38 million.",
            "$38 million",
        ),
        (
            "How many fines were issued in 2023?",
            "Inspectors issued 412 fines worth $2 million in 2023.",
            "412",
        ),
    ],
)
def test_the_answer_line_of_an_amount_of_money(question: str, sentence: str, line: str) -> None:
    from rag.answer import direct_answers

    assert direct_answers.answer_line(question, sentence) == line


@pytest.mark.parametrize(
    "span",
    [
        '"I have been given a map but not a compass," Ana Roe remarked at a closed briefing in March.',
        'Ana Roe declared that "the talks are over."',
        '"We bought a price, not a plan," Ana Roe testified before the transport committee.',
    ],
)
def test_more_verbs_of_speech(span: str) -> None:
    assert answer_checks.quotes_speaker(span, "Roe", "What did Ana Roe say?")


@pytest.mark.parametrize(
    ("question", "span", "speaks"),
    [
        (
            "How did Calvadia's treasury chief describe the export guarantee?",
            '"The guarantee is the cheapest money we will ever spend," Oskar Brenneval, Calvadia\'s treasury '
            "secretary, said at a press conference.",
            True,
        ),
        (
            "What did the mission's lead inspector say about the station?",
            '"The station was failing," said Oskar Brandt, the mission\'s chief inspector.',
            True,
        ),
        (
            "How did Calvadia's treasury chief describe the export guarantee?",
            '"The guarantee is the cheapest money we will ever spend," said Calvadia\'s transport minister.',
            False,
        ),
    ],
)
def test_posts_in_newspaper_shorthand(question: str, span: str, speaks: bool) -> None:
    who = answer_checks.speaker(question)
    assert who is not None
    assert answer_checks.quotes_speaker(span, who, question) is speaks
