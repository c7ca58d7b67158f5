"""Questions the pages come close to answering and do not: a figure of another month, a cost with no period
for a yearly cost asked, a count of things where money is asked, a share read into "finished in 2009", a body's
officer nobody quotes, and words someone "could have" said; and the answers beside them that still stand
(real embedder, real index of pages written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import question_kinds
from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of

ANALYSIS = """
Keeping the Marl Canal Open: A Plan for the Two Shores

by [Sela Orrin \\(/experts/sela-orrin\\)](/experts/sela-orrin)

March 4, 2024

ABOUT THE AUTHOR

Sela Orrin is a senior fellow at the Pell Institute for Waterways.

Policy Analysis

The canal that Dalvia and Kormet share needs a toll both sides accept.

The Marl Canal, which the two countries dug together and finished in 2009, carries most of Dalvia's grain to the
sea. Grain shipments on the canal fell 12 percent in March, and barge owners on the Kormet side say that 40 of
their boats now sit idle.

A new lock at Tesh could double the canal's capacity. The Canal Board studied such a lock in 2016 and shelved it
at an estimated cost of $310 million.

Dalvia pays the board about $45 million a year to keep the canal dredged. By moving 9 million tonnes of grain
through one authority, the two countries paid 20 percent less per tonne than they had paid separately in 2008.

Prime Minister Aldo Venn's government could have explained the new toll better. "We set the toll to cover the
dredging and nothing more," Transport Minister Ilse Dorran told reporters in February.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "near_miss_figures", {"a.txt": ANALYSIS})


@pytest.mark.parametrize(
    "question",
    [
        # the figure given is March's
        "By how much did grain shipments on the canal fall in April?",
        # a one-off cost, where a yearly one is asked
        "What would the lock at Tesh cost to run each year?",
        # "which the two countries dug together and finished in 2009" gives no share
        "What share of Dalvia's electricity comes from the Marl Canal?",
        # "20 percent less per tonne" and "9 million tonnes" are no price per tonne
        "What price per tonne did the two countries agree to pay the board?",
        # nobody at a regulator is quoted
        "What did Kormet's canal regulator say about the toll?",
        # what the government "could have explained" is what it did not say
        "What did Prime Minister Aldo Venn say to justify the new toll?",
    ],
)
def test_a_near_miss_abstains(pages: Path, question: str) -> None:
    answer = ask_checked(question, pages)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("By how much did grain shipments on the canal fall in March?", "12 percent"),
        ("How much does Dalvia pay the board each year to keep the canal dredged?", "$45 million a year"),
        ("What did the transport minister tell reporters in February about the toll?", "We set the toll"),
        ("What did the Canal Board estimate the lock at Tesh would cost?", "$310 million"),
    ],
)
def test_the_answer_beside_it_still_stands(pages: Path, question: str, wanted: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert wanted in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("By how much did fuel prices go up in April?", {"April"}),
        ("How many barges sat idle during March 2024?", {"March"}),
        ("What did the board decide on May 15?", set()),  # a day: the sentence may write the date another way
        ("What will the toll be in May?", {"May"}),
        ("How much grain did the canal carry?", set()),
    ],
)
def test_the_month_a_figure_is_asked_for(question: str, months: set[str]) -> None:
    assert answer_checks.required_months(question) == months


@pytest.mark.parametrize(
    ("sentence", "share"),
    [
        ("The canal, which the two countries finished in 2009, carries grain.", False),
        ("One in five barges now sits idle.", True),
        ("3 out of 10 owners have sold their boats.", True),
        ("Shipments fell 12 percent.", True),
    ],
)
def test_a_year_after_in_is_no_share(sentence: str, share: bool) -> None:
    assert answer_checks.fits_type(sentence, "share") is share


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("the board raised 3 million in fees", True),
        ("a fund of 30 billion halvers", True),  # a currency the check has never heard of
        ("the canal carried 9 million tonnes of grain", False),
        ("a single buyer for 28 million people", False),
    ],
)
def test_millions_of_things_are_no_money(text: str, money: bool) -> None:
    assert answer_checks.fits_type(text, "money") is money


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What price per tonne did the two countries agree to pay the board?", "fact"),
        ("Do the two analyses agree to the toll?", "comparison"),
        ("Do the analysis and the op-ed agree on the toll?", "comparison"),
    ],
)
def test_agreeing_to_do_something_is_no_comparison(question: str, kind: str) -> None:
    assert question_kinds.classify(question).kind == kind


def test_a_yearly_cost_asked_of_what_the_pieces_say_is_quoted_as_put() -> None:
    # "What do the two analyses say the fleet costs each year?" quotes each piece's figure as it puts it ("In
    # 2023 those costs came to $84 million"); asked plainly, the cost must be said for a year
    said = "What do the analysis and the commentary say the fleet costs to run each year?"
    plain = "What would the fleet cost to run each year?"
    total = "In 2023 those costs came to $84 million."
    assert answer_checks.gives_rate(total, said)
    assert not answer_checks.gives_rate(total, plain)
    assert answer_checks.gives_rate("The true annual cost of the fleet is about $91 million.", plain)


BRIEF = """
Tolls on the Marl: What the Board Owes Its Users

by [Ruth Amsel \\(/experts/ruth-amsel\\)](/experts/ruth-amsel)

May 6, 2024

ABOUT THE AUTHOR

Ruth Amsel is a fellow at the Corin Centre for Trade.

Commentary

The canal's quarrel is about its board's books.

The lock at Esk was built in 1987 for about 300 barges a week. It now passes close to 900 in a busy week,
through two chambers that were never widened.

The Canal Board lost $19 million last year, not the smaller figure some analysts have quoted, once the cost of
emergency dredging is counted.
"""

REPORT = """
Barges and Borders on the Marl Canal

by [Ivo Trask \\(/experts/ivo-trask\\)](/experts/ivo-trask)

April 2, 2024

ABOUT THE AUTHOR

Ivo Trask is a senior fellow at the Pell Institute for Waterways.

Policy Analysis

The canal can carry more if its locks are shared fairly.

Kormet, in turn, sends roughly 700 barges a week through the lock at Esk, carrying timber and stone to
Dalvian yards. The Canal Board lost $14 million in 2023, and its engineers say the Esk lock needs $90 million
of repairs.
"""


@pytest.fixture(scope="module")
def two_pieces(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "near_miss_two_pieces", {"brief.txt": BRIEF, "report.txt": REPORT})


def test_a_figure_compared_goes_on_in_the_next_sentence(two_pieces: Path) -> None:
    # "The lock was built for about 300 barges a week. It now passes close to 900 ...": the figure asked is the
    # second sentence's, which speaks of the lock by a pronoun
    answer = ask_checked(
        "How many barges a week pass through the lock at Esk according to Amsel compared with Trask?",
        two_pieces,
    )
    assert not answer.abstained, answer.text
    assert "close to 900" in answer.text, answer.text
    assert "roughly 700 barges a week" in answer.text, answer.text


def test_last_year_in_a_piece_of_2024_is_2023(two_pieces: Path) -> None:
    answer = ask_checked(
        "Do Amsel and Trask agree on how much money the Canal Board lost in 2023?", two_pieces
    )
    assert not answer.abstained, answer.text
    assert "$19 million last year" in answer.text, answer.text
    assert "$14 million in 2023" in answer.text, answer.text


@pytest.mark.parametrize(
    ("text", "year", "dated", "says"),
    [
        ("It lost $19 million last year.", "2023", "2024-05-06", True),
        ("It lost $19 million last year.", "2022", "2024-05-06", False),
        ("It lost $19 million last year.", "2023", None, False),
        ("Tolls rise next year.", "2025", "2024-05-06", True),
        ("It lost $14 million in 2023.", "2023", None, True),
    ],
)
def test_a_year_said_relative_to_the_pieces_date(text: str, year: str, dated: str | None, says: bool) -> None:
    assert answer_checks.says_year(text, year, dated) is says


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("How many ferries does Kormet run on the canal?", "Kormet"),
        ("How much did the Calder Union pledge to the fund for 2024?", "Calder Union"),
        ("How many people did the survey reach?", None),
        ("How much did Acme pay, according to Castellan?", "Acme"),
        ("How much fuel was left, according to Castellan?", None),
    ],
)
def test_who_does_what_is_counted(question: str, who: str | None) -> None:
    assert answer_checks.actor(question) == who


@pytest.mark.parametrize(
    ("question", "span", "counted"),
    [
        # people counted by what befell them, said after the auxiliary: "212 deaths" counts who died
        (
            "How many people have died of the fever?",
            "The laboratory confirmed 3,700 cases and 212 deaths.",
            True,
        ),
        ("How many people were injured in the crash?", "Four passengers were wounded.", True),
        # a count of something else still does not answer
        ("How many people have died of the fever?", "The laboratory confirmed 3,700 cases.", False),
    ],
)
def test_people_counted_by_what_befell_them(question: str, span: str, counted: bool) -> None:
    thing = answer_checks.counted_thing(question)
    assert thing is not None
    assert answer_checks.counts(span, thing) is counted


@pytest.mark.parametrize(
    ("span", "answers"),
    [
        ("In February only 38 percent of Orvanians said the pool served their interests.", False),
        ("In February 41 percent of Dravenians said so.", True),
        # a share with no group named may be of the one asked, said before
        ("Support fell to 38 percent.", True),
    ],
)
def test_a_share_of_another_group_does_not_answer(span: str, answers: bool) -> None:
    question = "What share of Dravenians say the pool serves their country's interests?"
    assert answer_checks.share_of_group(span, question) is answers
