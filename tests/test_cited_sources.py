"""Questions that say where their answer is to be found ("according to Ostrander", "per the Wexley analysis",
"the Wexley authors"), ask for someone's words by what they are ("What was X's line to reporters ...?", "What
remark by X does the op-ed cite?"), or ask the size of a named body's budget (real embedder, real index of
pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import planning, question_kinds
from rag.answer.generators import answer_checks, list_items
from tests.conftest import ask_checked, index_of

ANALYSIS = """
Keeping the Lantern Ferries Afloat: A Plan for the Sound

by [Odile Ranke \\(/experts/odile-ranke\\)](/experts/odile-ranke) and [Piet Loomis \\(/experts/piet-loomis\\)](/experts/piet-loomis)

March 4, 2024

ABOUT THE AUTHORS

Odile Ranke is a senior fellow at the Wexley Institute for Maritime Policy. Piet Loomis is a research associate at the Wexley Institute.

Policy Analysis

The ferry compact that links the three islands of the Sound still works, but its fares and its reserve fund must be fixed.

The compact's operator runs four Harl-class vessels, bought in 2012 for $48 million, and keeps spare engines at
depots in Osk and Brenn. By the compact's own register, Tarvel still owns three idle hulls in the harbour, Osk two
and Brenn none.

The islands should adopt the reserve fund proposed by Brenn's harbour office. As tabled in Osk, the fund would
cost $9 million over three years and pay for three things: a spare vessel kept in service, a dry-dock slot
booked every winter, and a shared booking system that islanders can use by phone.
"""

OPED = """
Tarvel Sank the Timetable. It Should Pay to Fix It.

by [Greta Ostrander \\(/experts/greta-ostrander\\)](/experts/greta-ostrander)

April 2, 2024

ABOUT THE AUTHOR

Greta Ostrander was Brenn's transport minister from 2012 to 2019 and writes a column for the Sound Courier.

Op-Ed

One island cannot cancel sailings and send the bill to its neighbours.

The compact was meant to keep every island within a morning's sailing of the others, whatever the weather and
whatever the cost. For eleven years it did. Last winter the timetable collapsed, crews were laid off, and the
islanders who depend on the boats for school, hospital visits and trade were left waiting on the quay.

Tarvel retired its old flagship in 2016 with 90 tonnes of fuel oil still in its tanks, according to the
harbour register. Under the compact's formula Tarvel would pay about 44 percent of the repair bill.
"Every cancelled sailing is a day of lost trade," Brenn's harbour delegate, Mara Veld, told reporters in
March. "A ferry caught in port costs a crew; a ferry caught in a storm costs a hull," Osk's transport
minister, Jonas Pell, told reporters in February.

The compact was signed in 2012 in Osk. Tarvel's port director, Ilse Brand, would not comment on the talks in
March. A month later she did. "We will not
sail half-empty boats to keep Brenn's schedule," Brand told reporters in April.
"""

PARKS = """
Summer Hours in the Island Parks

Published by the Parks Office.

The island parks open at seven in the morning and close at ten at night from June to August. Dogs must be
kept on a lead near the playgrounds.
"""


def _documents(index_dir: Path) -> tuple[dict, dict[str, str]]:
    """The index's documents, and each one's id by its file name."""
    from rag.answer.pipeline import get_pipeline
    from rag.settings import Settings

    docs = get_pipeline(index_dir, Settings()).retriever.documents
    return docs, {Path(d.source_path or "").name: i for i, d in docs.items()}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "cited_sources", {"a.txt": ANALYSIS, "b.txt": OPED, "parks.txt": PARKS})


def test_a_figure_according_to_an_author_is_about_the_thing_not_the_author(pages: Path) -> None:
    # The author cited as the source is named by no sentence of her piece: the figure is about the flagship.
    answer = ask_checked(
        "How much fuel oil was left in Tarvel's flagship when it retired, according to Ostrander?", pages
    )
    assert not answer.abstained, answer.text
    assert "90 tonnes" in answer.text, answer.text


def test_a_figure_according_to_an_author_about_something_else_is_no_answer(pages: Path) -> None:
    # Every sentence of her piece is hers (her byline heads it), so her name says nothing of a sentence: the
    # figure must be about what is asked (Tarvel's flagship had the fuel, not Osk's ferry)
    answer = ask_checked(
        "How much fuel oil was left in Osk's ferry when it retired, according to Ostrander?", pages
    )
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "name", "cited"),
    [
        ("How much fuel was left, according to Ostrander?", "Ostrander", True),
        ("How many hulls does Tarvel own, per the register as cited by Ranke and Loomis?", "Loomis", True),
        ("How many ferries does Tarvel run, in Ostrander's view?", "Ostrander", True),
        ("How many ferries does Ostrander say Tarvel runs?", "Ostrander", True),
        # the author asked about, not cited
        ("How old is Ostrander?", "Ostrander", False),
        ("When did Ostrander join the Sound Courier?", "Ostrander", False),
    ],
)
def test_a_name_cited_as_the_source(question: str, name: str, cited: bool) -> None:
    assert answer_checks.cites(question, name) is cited


def test_per_a_source_is_no_rate(pages: Path) -> None:
    # "per the register" says where the count is, not a count for each one
    assert answer_checks.gives_rate(
        "Tarvel owns three idle hulls.", "How many hulls does Tarvel own, per the register?"
    )
    assert not answer_checks.gives_rate(
        "The fleet cost $48 million.", "How much did each vessel cost per island?"
    )
    answer = ask_checked(
        "How many idle hulls does Tarvel still own, per the compact's register as cited by Ranke and Loomis?",
        pages,
    )
    assert not answer.abstained, answer.text
    assert "three idle hulls" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "kind", "measured"),
    [
        ("How big is Tarvel's annual ferry budget?", "money", "budget"),
        ("How large was the government's winter support package?", "money", "support package"),
        ("How large was the Levy Board grant?", "money", "grant"),
    ],
)
def test_the_size_of_a_named_budget_is_an_amount_of_it(question: str, kind: str, measured: str) -> None:
    assert answer_checks.expected_type(question) == kind
    assert answer_checks.measured_thing(question) == measured


def test_a_budget_never_given_is_not_answered_by_another_figure_of_the_same_body(pages: Path) -> None:
    # "Tarvel would pay about 44 percent" is a share of a bill, not Tarvel's budget
    answer = ask_checked("How big is Tarvel's annual ferry budget?", pages)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "speaker", "kind"),
    [
        ("What remark by Brenn's harbour delegate does Ostrander cite?", "harbour delegate", "quote"),
        ("What words from Mara Veld does the op-ed quote?", "Veld", "quote"),
    ],
)
def test_words_asked_for_by_what_they_are(question: str, speaker: str, kind: str) -> None:
    assert answer_checks.speaker(question) == speaker
    assert question_kinds.classify(question).kind == kind


def test_a_remark_by_a_delegate_is_quoted(pages: Path) -> None:
    answer = ask_checked("What remark by Brenn's harbour delegate does Ostrander cite?", pages)
    assert not answer.abstained, answer.text
    assert "Every cancelled sailing is a day of lost trade" in answer.text, answer.text


def test_someones_line_about_a_cost_asks_for_their_words_not_an_amount(pages: Path) -> None:
    question = "What was Jonas Pell's line to reporters about the cost of ferries caught in port or at sea?"
    assert answer_checks.expected_type(question) is None
    assert answer_checks.expected_type("What is the cost of the line?") == "money"
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert "A ferry caught in port costs a crew" in answer.text, answer.text


def test_a_piece_named_by_its_authors_institute_outranks_title_words(pages: Path) -> None:
    # "reserve fund" and "timetable" are words of the question's topic; "the Wexley analysis" names the piece
    documents = planning.plan("x", {}).scope  # (an empty index names nothing)
    assert documents.doc_ids is None
    docs, by_file = _documents(pages)
    asked = (
        "Under the reserve fund plan tabled in Osk, what would the money pay for, per the Wexley analysis?"
    )
    assert planning.plan(asked, docs).scope.doc_ids == (by_file["a.txt"],)
    assert planning.plan("What do the Wexley authors want the islands to adopt?", docs).scope.doc_ids == (
        by_file["a.txt"],
    )
    answer = ask_checked(asked, pages)
    assert not answer.abstained, answer.text
    assert "a spare vessel kept in service" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("What extra measures do the Wexley authors recommend adding?", "recommend"),
        ("Which ships did the Wexley authors inspect?", "inspect"),
        ("Which officials did Tarvel Harbour meet?", "meet"),
    ],
)
def test_the_verb_of_a_list_comes_after_the_pieces_writers(question: str, verb: str) -> None:
    assert list_items.relation(question) == verb


@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        # each source asked, not an amount for each one
        (
            "How many hulls does each of the three pieces say Tarvel owns?",
            "Tarvel owns three idle hulls.",
            True,
        ),
        # "per" left dangling once the words naming the document are taken out
        ("How much land did the fire burn, per?", "The fire burned 14,000 hectares.", True),
        ("How much is paid per nurse?", "The hospital spent $2 million on nurses.", False),
    ],
)
def test_each_source_and_a_dangling_per_are_no_rate(question: str, sentence: str, gives: bool) -> None:
    assert answer_checks.gives_rate(sentence, question) is gives


@pytest.mark.parametrize(
    ("question", "sentence", "line"),
    [
        # the number said in the asked thing's other name, not a number inside a name ("Harl-4")
        (
            "How much fuel was left on the Harl-4 when it retired?",
            "The Harl-4 retired in 2016 with 14 kilograms of propellant on board.",
            "14",
        ),
        (
            "How much land did the fire burn?",
            "Four aircraft stayed away while the fire burned through 14,000 hectares.",
            "14,000",
        ),
    ],
)
def test_the_answer_line_takes_the_number_of_the_thing_asked(question: str, sentence: str, line: str) -> None:
    from rag.answer.direct_answers import answer_line

    assert answer_line(question, sentence) == line
    assert answer_checks.counts(sentence, answer_checks.measured_thing(question) or "", measured=True)


def test_a_comparison_of_a_piece_named_by_its_institute_and_an_author(pages: Path) -> None:
    docs, by_file = _documents(pages)
    plan = planning.plan("How do the Wexley authors and Ostrander differ on who should pay?", docs)
    assert plan.kind.kind == "comparison"
    assert set(plan.scope.doc_ids or ()) == {by_file["a.txt"], by_file["b.txt"]}


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        # the participle that ends the question, whatever words name the thing
        ("In what year was the Tarvel ferry Harl-4 launched?", "launched"),
        ("When is the ferry compact due to expire?", "expire"),
        # a light verb after "due to" is said in other words ("scheduled", "set for")
        ("When is the panel due to hold its first hearing?", None),
    ],
)
def test_the_event_a_when_question_asks_about(question: str, verb: str | None) -> None:
    assert answer_checks.event_verb(question) == verb


def test_a_date_of_another_event_does_not_answer_when_it_is_due_to_expire(pages: Path) -> None:
    # the compact's year of signing is no date of its expiry
    assert ask_checked("When is the Sound ferry compact due to expire?", pages).abstained


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("An exit would cost the island about 11 percent of GDP over two years.", True),
        ("It would cost around 3 to 4 percent of gross domestic product.", True),
        ("Ferry use rose 11 percent last year.", False),
    ],
)
def test_a_cost_may_be_a_share_of_the_economy(sentence: str, fits: bool) -> None:
    assert answer_checks.expected_type("What would leaving the compact cost Tarvel?") == "money"
    assert answer_checks.fits_type(sentence, "money") is fits


def test_the_day_of_a_date_is_no_amount() -> None:
    from rag.answer.direct_answers import answer_line

    line = answer_line(
        "How much would Osk pay into the fund?",
        "On March 12, Osk's minister proposed a fund of 30 billion krona.",
    )
    assert line == "30 billion"


def test_who_holds_a_post_is_read_from_anywhere_in_the_document() -> None:
    text = (
        "The talks ended badly. Marvessa's interior minister, Ana Varlan, walked out. Later Tomas Reyes-Tan, "
        "the opposition leader, spoke to parliament."
    )
    assert answer_checks.post_holders(text, "interior minister") == ["Varlan"]
    assert answer_checks.post_holders(text, "opposition leader") == ["Reyes-Tan"]
    assert answer_checks.post_holders(text, "minister") == []  # any minister may be meant


def test_a_post_holders_words_said_by_surname_are_the_posts(pages: Path) -> None:
    # the op-ed names Ilse Brand as Tarvel's port director once; her words are quoted under her name alone
    answer = ask_checked("What did Tarvel's port director tell reporters about the schedule?", pages)
    assert not answer.abstained, answer.text
    quoted = " ".join(" ".join(c.quote for c in answer.citations).split())
    assert "We will not sail half-empty boats" in quoted, answer.text


def test_a_post_of_another_owner_has_other_holders() -> None:
    text = (
        "Deputy Foreign Minister Sergey Ryabkov said so. Later Kaimora's foreign minister, Ana Lind, agreed."
    )
    assert answer_checks.post_holders(text, "foreign minister", "Kaimora") == ["Lind"]
    assert answer_checks.post_holders(text, "foreign minister", "China") == []


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # words of paying or costs around a question that asks something else
        ("What changes does the op-ed want made before the islands pay for repairs?", None),
        ("How does Tarvel's refusal hurt its chances of getting the insurers to pay?", None),
        ("What warning did Osk's transport minister give about ferries paid for by foreign money?", None),
        (
            "What course does the op-ed urge Tarvel to take instead of insisting that Osk pay everything?",
            None,
        ),
        ("What has pushed up the cost of crews at Osk?", None),
        ("the operator has been opaque about how it calculates its costs", None),
        # a part of the costs, said in percent
        ("Under the usual formula, what share of repair costs does each island pay?", "share"),
        # amounts still
        ("What did the compact's vessels cost when they were bought?", "money"),
        ("What fee does the operator charge?", "money"),
        ("What price did Osk pay for the hulls?", "money"),
        ("How much would Tarvel pay into the fund?", "money"),
    ],
)
def test_words_of_money_around_another_question_ask_no_amount(question: str, kind: str | None) -> None:
    assert answer_checks.expected_type(question) == kind
