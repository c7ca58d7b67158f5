"""Lists, comparisons and arguments asked in words nobody tuned on (the tenth round's mechanisms).

Four small invented documents on a town's bike-share scheme (a consumer test of e-bikes with a paragraph
per bike, a news report, two op-eds on opposite sides) are indexed with the real embedder; every quote must
be the document's own text. Each test is one mechanism; the tables check the rules on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of
from test_answer_kinds import _ask, _verbatim

from rag.answer import question_kinds, summaries
from rag.answer.generators import answer_checks, list_items, verdicts
from rag.types import Passage

TEST = """---
title: Five e-bikes ridden up Tarn Hill
author: Nell Okafor
date: 2025-09-01
---
# Five e-bikes ridden up Tarn Hill

By Nell Okafor, transport editor

We tested five folding e-bikes on Tarn Hill every day for six weeks in September.

The Pendle Zip was the lightest of the five, at 14 kilograms, and folds in ten seconds. Its battery lasted \
for 38 kilometres.

The Corrigan Metro carried the most luggage and has the best brakes. It costs 1,900 pounds.

The Ashby Fold Two was the cheapest, at 1,100 pounds, but its motor struggled on the steepest part of the \
hill.

The Marlin Urban E was the most comfortable over cobbles, with wide tyres and a sprung seat.

The Sorrel Vee broke a pedal in the third week.

Our verdict: the Corrigan Metro is the best e-bike for commuters, and the Pendle Zip the best for trains.

For riders on a tight budget, the price matters more than the weight. Riders on a tight budget should \
pick the Ashby, but only where no steep hill lies between home and \
work, and only with a spare battery in the bag.
"""

NEWS = """---
title: Bellmoor council picks a bike-share operator this autumn
author: Tomas Ferri
date: 2025-09-10
---
# Bellmoor council picks a bike-share operator this autumn

Bellmoor's council will vote next month on which company should run its first bike-share scheme, with \
600 bikes at 60 docking stations.

Three companies have bid. Velora Mobility, a Dutch firm that runs schemes in Utrecht and Ghent, asked for \
a subsidy of 2.1 million pounds over five years. Spoke and Chain, based in Leeds, asked for 1.6 million \
pounds. Quayside Cycles, a local firm, asked for 900,000 pounds but would start with only 200 bikes.

Councillor Ruth Abiola, who chairs the transport committee, said the scheme would cut short car trips in \
the centre. The cost of electricity for the charging docks is still being negotiated.
"""

FOR = """---
title: "Opinion: Bellmoor is ready for bike-share. Vote yes."
author: Jonah Reyes
date: 2025-09-15
---
# Opinion: Bellmoor is ready for bike-share. Vote yes.

By Jonah Reyes

Every year the council promises safer streets, and every year the traffic grows. The vote on 14 October \
is the chance to change that, and councillors should take it.

Of the three bids, the council should choose Spoke and Chain, whose bikes are the sturdiest. Velora's \
scheme is polished, and Quayside Cycles is brave, but an untested operator is a risk.

The charging docks will raise the council's electricity bill, and the council must ask the operator to \
share it.
"""

AGAINST = """---
title: "Opinion: Fix the cycle lanes before we buy bikes"
author: Mara Lindqvist
date: 2025-09-18
---
# Opinion: Fix the cycle lanes before we buy bikes

By Mara Lindqvist

The vote on 14 October comes before the town has seen where these bikes will be ridden. Most of our \
cycle lanes end at a kerb or a bus stop.

Councillors should postpone the vote until the lanes are mapped and repaired. Velora Mobility and Spoke \
and Chain want every station built at once; only Quayside Cycles offered a smaller start.

The charging docks will add to the council's electricity bill, a cost the council has not shown.
"""


@pytest.fixture(scope="module")
def bikes_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "bikes",
        {"test.md": TEST, "news.md": NEWS, "for.md": FOR, "against.md": AGAINST},
    )


# --- lists -------------------------------------------------------------------------------------------------


def test_a_count_followed_by_a_paragraph_per_item_quotes_each_paragraph(bikes_index: Path) -> None:
    # "We tested five folding e-bikes ...": each bike is the subject of the next paragraphs' first sentences
    answer = _ask("Which e-bikes were tested?", bikes_index)
    for name in ("Pendle Zip", "Corrigan Metro", "Ashby Fold Two", "Marlin Urban E", "Sorrel Vee"):
        assert name in answer.text, name
    _verbatim(answer, bikes_index)


def _passage(n: int, text: str, start: int) -> Passage:
    return Passage(n, f"c{n}", "doc", "A title", text, start, start + len(text), 1.0)


def test_a_counted_paragraph_goes_on_into_the_next_retrieved_chunk() -> None:
    from rag.answer.generators.extractive import ScoredSentence

    # chunks overlap by a sentence; the third bidder is only in the second chunk
    first = "Three firms have bid. Acme Ltd asked for 5 pounds. Brio Works asked for 4 pounds."
    second = "Brio Works asked for 4 pounds. Cato Group asked for 3 pounds.\n\nThe vote is in May."
    passages = [_passage(1, first, 0), _passage(2, second, first.index("Brio"))]
    counting = ScoredSentence(1, "doc", 0, 21, first[:21], 0.5, 0.5, 1.0, 0.5)
    items = [p.text[a:b] for p, a, b in list_items.counted_items(counting, passages)]
    assert items == [
        "Acme Ltd asked for 5 pounds.",
        "Brio Works asked for 4 pounds.",
        "Cato Group asked for 3 pounds.",
    ]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which treaties does the report mention?", "titled:treati"),
        ("Name the bridges the report mentions.", "titled:bridg"),
        ("Which companies bid?", "organisation"),  # the table's own kinds come first
        ("Which problems did the testers find?", "titled:problem"),
    ],
)
def test_a_head_noun_the_table_lacks_is_found_as_a_name_ending_with_it(question: str, kind: str) -> None:
    assert list_items.item_type(question) == kind


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("It broke its obligations under the Ottawa Treaty.", True),
        ("The treaty was signed in Ottawa.", False),  # a treaty, but not named
        ("Acme Ltd signed it.", False),
    ],
)
def test_a_named_item_of_an_unknown_kind(text: str, holds: bool) -> None:
    question = "Which treaties does the report mention?"
    assert list_items.holds_item(text, list_items.item_type(question), question) is holds


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("Who did the mayor meet in Lyon?", True),  # the verb after its subject
        ("Who did Ana Ruiz criticise?", True),
        ("Who funded the study?", True),
        ("Who built the bridge?", False),  # one answer, a fact
        ("Who is the author?", False),
    ],
)
def test_who_did_x_verb_is_a_list_for_a_relation_of_a_family(question: str, who: bool) -> None:
    assert list_items.asks_who(question) is who


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Which bodies is Ana Ruiz affiliated with?", None),  # a state, said in many words
        ("Which towns are Acme Ltd linked to?", None),
        ("Which officials did Ana Ruiz meet?", "meet"),  # an event its items must state
    ],
)
def test_a_state_asked_after_is_is_no_relation_to_state(question: str, verb: str | None) -> None:
    assert list_items.relation(question) == verb


def test_the_groups_that_reacted_are_those_that_said_or_welcomed(bikes_index: Path) -> None:
    assert set(list_items.relation_stems("reacted")) >= {"welcom", "said", "react"}


# --- comparisons -------------------------------------------------------------------------------------------


def test_agreeing_on_whether_someone_should_act_quotes_the_advice(bikes_index: Path) -> None:
    # "The vote on 14 October comes before ..." shares the question's words; the advice is "postpone the vote",
    # which names no date: the topic's date must not be a name every compared sentence repeats
    answer = _ask("Do the two op-eds agree on whether the council should vote on 14 October?", bikes_index)
    assert "councillors should take it" in answer.text
    assert "Councillors should postpone the vote" in answer.text
    _verbatim(answer, bikes_index)


def test_two_parties_before_a_verb_of_depiction_are_compared(bikes_index: Path) -> None:
    answer = _ask(
        "How do the news report and the op-ed against the scheme treat the cost of electricity?", bikes_index
    )
    assert question_kinds.classify(answer.question).kind == "comparison"
    assert not answer.abstained
    assert len({c.doc_id for c in answer.citations}) >= 2
    _verbatim(answer, bikes_index)


def test_a_name_of_several_words_is_compared_by_the_word_it_is_named_again_by(bikes_index: Path) -> None:
    # the op-ed for says "Velora's scheme", never "Velora Mobility" (which the other op-ed says in full)
    answer = _ask("Compare what the op-eds say about Velora Mobility.", bikes_index)
    assert not answer.abstained
    assert "Velora's scheme is polished" in answer.text
    _verbatim(answer, bikes_index)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How do the report and the op-ed treat the fare?", "comparison"),
        ("How do the council and the union view the plan?", "comparison"),
        ("How did the mayor and the police handle the protest?", "why_how"),  # no verb of depiction
        ("What study does the chair say the council should pay for?", "argument"),
        ("What does the engineer warn will happen if the vote is delayed?", "argument"),
        ("What did the council pay for the land?", "fact"),
    ],
)
def test_kinds_said_in_other_words(question: str, kind: str) -> None:
    assert question_kinds.classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What study should the council pay for?", None),  # what is bought, not how much
        ("What did the council pay for the land?", "money"),
        ("What was the price of the land?", "money"),
        ("the price of electricity", None),  # a comparison's topic: what is said of it
    ],
)
def test_money_is_asked_for_by_the_question_not_by_its_topic(question: str, expected: str | None) -> None:
    assert answer_checks.expected_type(question) == expected


def test_a_date_in_a_topic_names_no_one() -> None:
    assert "October" not in answer_checks.without_dates("whether the council should vote on 14 October")
    assert "June" not in answer_checks.without_dates("what the board decided in June 2024")
    assert answer_checks.without_dates("the Lu-9 ferries") == "the Lu-9 ferries"


# --- arguments ---------------------------------------------------------------------------------------------


def test_a_verdict_stated_as_such_answers_what_the_verdict_is(bikes_index: Path) -> None:
    answer = _ask("What is the verdict of the e-bike test?", bikes_index)
    assert "Our verdict: the Corrigan Metro is the best e-bike" in answer.text
    _verbatim(answer, bikes_index)


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Our verdict: the Zip is best.", True),
        ("In conclusion, the plan fails.", True),
        ("The court's verdict was appealed.", False),  # reports a verdict, is none
        ("The bottom line is clear: buy it.", True),
    ],
)
def test_sentences_that_state_a_verdict(text: str, stated: bool) -> None:
    from rag.answer.generators.extractive import ScoredSentence

    s = ScoredSentence(1, "d", 0, len(text), text, 0.1, 0.1, 1.0, 0.1)
    assert bool(verdicts.stated_verdicts([s])) is stated
    assert verdicts.asks_verdict("What is the review's verdict?")
    assert not verdicts.asks_verdict("What did the review test?")


def test_an_arguing_sentence_that_says_every_asked_word_answers_unscoped(bikes_index: Path) -> None:
    # "the review" names no document here (no title or byline says "review"); the advice says every other word
    answer = _ask("What advice does the review give to riders on a tight budget?", bikes_index)
    assert "Riders on a tight budget should pick the Ashby" in answer.text
    _verbatim(answer, bikes_index)


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("What does the author argue policymakers are missing?", "missing"),
        ("What does X say the plan has failed?", "failed"),
        ("What does the author argue?", None),
    ],
)
def test_the_verb_of_an_argued_clause(question: str, verb: str | None) -> None:
    assert summaries.argued_verb(question) == verb


@pytest.mark.parametrize(
    ("topic", "span", "said"),
    [
        ("Velora Mobility", "Velora's scheme is polished.", "Velora"),
        ("Velora Mobility", "Velora Mobility bid.", "Velora"),
        ("Castell Power", "Castell said so.", "Castell"),  # a word that says what a body is never tells
        ("Mira Jansen", "Jansen has promised more.", "Jansen"),
        ("Mira Jansen", "The board met.", "Jansen"),  # not said: the word it is usually named again by
    ],
)
def test_a_name_as_a_sentence_says_it(topic: str, span: str, said: str) -> None:
    assert answer_checks.names_as_said(topic, span) == said


def test_the_name_a_rare_word_belongs_to() -> None:
    assert answer_checks.name_run("the offer of Halcyon Utilities", "Utilities") == "Halcyon"
    assert answer_checks.name_run("the offer of Halcyon Utilities", "offer") == "offer"
    assert answer_checks.name_runs("Velora Mobility and Castell Power") == ["Velora Mobility", "Castell"]
