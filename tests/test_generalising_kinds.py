"""Lists, comparisons and "what do the articles say" questions on documents nobody tuned on.

Three small invented articles on one tram line, from different sides, are indexed with the real embedder;
every quote must be the document's own text. Each test is one mechanism: a list of names ranked by the
names each sentence adds, a comparison topic said by its telling words (a word in nearly every passage is
checked by the table only: an index of three chunks has too few passages for idf to tell it), and a
"how many" question set inside a comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of
from test_answer_kinds import _ask, _verbatim

from rag.answer import scoping
from rag.answer.generators import answer_checks, list_items
from rag.index.store import load_index

NEWS = """---
title: Harbour Town Shortlists Three Tram Builders
author: Ines Vahl
date: 2025-03-04
---
# Harbour Town Shortlists Three Tram Builders

The transport board of Lindau Harbour has shortlisted three companies to build the new tram line along the \
river. The board expects to choose the winner by June and to open the line in 2028.

The three bidders are Corvel Rail, a Swiss builder of light rail; Ostmark Transit, a maker of battery \
trams; and Feldhaus Works, the town's former shipyard.

Board chair Mira Jansen said the tram line would carry 40,000 passengers a day and cut traffic on the \
river road. The town has ordered 12 trams for the first stage.

Lindau Harbour wants the companies to build the tram line in two stages, first to the Old Market and then \
to the Stadium.

The winning builder will also repair the trams in a new depot at the north end of the line.
"""

OPINION = """---
title: Opinion - The Tram Line Is Too Slow and Too Costly
author: Paul Brenner
date: 2025-03-11
---
# Opinion - The Tram Line Is Too Slow and Too Costly

The tram line will crawl along the river at 14 kilometres an hour, slower than the bus it replaces.

Jansen has promised far more passengers than the board's own survey found, and the line's cost has \
doubled since the plan was first drawn.

Repairs alone will cost the town 2 million euros a year, a sum the budget does not show. The Harbour \
Council let the companies bid to build the tram line on price alone.
"""

SHOPS = """---
title: Shop Owners Fear Two Years of Road Works
author: Tom Adler
date: 2025-03-18
---
# Shop Owners Fear Two Years of Road Works

Shop owners on the river road say the tram works will keep customers away for two years.

Baker Lena Oss said her takings fell by a third the last time the road was dug up. The traders' \
association asked the board for a fund to cover lost sales while the tracks are laid.

"Nobody from the board has walked this street," the association's chair, Olaf Brink, told the meeting.
"""


@pytest.fixture(scope="module")
def tram_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "tram",
        {"news.md": NEWS, "opinion.md": OPINION, "shops.md": SHOPS},
    )


def test_a_list_of_names_quotes_the_sentence_that_names_them(tram_index: Path) -> None:
    # "shortlisted three companies" repeats the question's words; the items are in the next paragraph
    answer = _ask("Which companies bid to build the tram line?", tram_index)
    assert not answer.abstained
    assert all(name in answer.text for name in ("Corvel Rail", "Ostmark Transit", "Feldhaus Works"))
    _verbatim(answer, tram_index)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "The bidders are Corvel Rail, a Swiss firm, and Ostmark Transit.",
            {"corvel rail", "swiss", "ostmark transit"},
        ),
        ("Helvion's offer is the cheapest, said Ana Ruiz's aide.", {"helvion", "ana ruiz"}),
        ("They are newer and heavier.", set()),  # capitalised only for starting the sentence
        ("Helvion's offer is the cheapest.", {"helvion"}),
        ("The board will decide by June.", set()),  # a month names no item
        ("The plan was welcomed by the regional sports council.", {"the regional sports council"}),
    ],
)
def test_the_names_a_sentence_adds(text: str, names: set[str]) -> None:
    assert list_items.new_names(text, "Which companies bid for the tram line?") == names


def test_a_person_named_in_full_is_said_by_the_surname(tram_index: Path) -> None:
    # the opinion piece says "Jansen has promised ...", never "Mira"
    answer = _ask("What do the articles say about Mira Jansen?", tram_index)
    assert "Board chair Mira Jansen said" in answer.text
    assert "Jansen has promised far more passengers" in answer.text
    _verbatim(answer, tram_index)


@pytest.mark.parametrize(
    ("topic", "short"),
    [
        ("Mira Jansen", "Jansen"),  # a person is named again by the surname
        ("what Castell Power pledged", "what Castell pledged"),  # a body by the word that is not its kind
        ("the Old Market and Board chair Mira Jansen", "the Market and Board chair Jansen"),
    ],
)
def test_short_names(topic: str, short: str) -> None:
    assert answer_checks.short_names(topic) == short


@pytest.mark.parametrize(
    ("weights", "telling"),
    [
        # "trams" is in nearly every passage of an index on a tram line: "Repairs will cost ..." is on topic
        ({"repair": 1.2, "tram": 0.05}, {"repair"}),
        ({"fare": 1.0, "tram": 0.6}, {"fare", "tram"}),  # both tell
        ({"jansen": 0.4}, {"jansen"}),
    ],
)
def test_telling_terms(weights: dict[str, float], telling: set[str]) -> None:
    assert answer_checks.telling_terms(set(weights), weights) == telling


@pytest.mark.parametrize(
    ("topic", "verb"),
    [
        ("how many trams the town has received", "received"),
        ("how many tickets the operator sold", "sell"),
        ("how much money the board has spent on it", "spend"),  # "spent" is its irregular past
        ("when the board approved the line", None),  # a date is said of its event in other words
        ("the cost of the tram line", None),
        # a light verb, which "used 58 percent of the flight hours" says as well as "went to"
        ("how much of last season's flying went to the north", None),
    ],
)
def test_the_verb_of_a_how_many_topic(topic: str, verb: str | None) -> None:
    assert answer_checks.clause_verb(topic) == verb


def test_a_count_of_something_else_does_not_answer_how_many_inside_a_comparison(tram_index: Path) -> None:
    # the town "has ordered 12 trams": no article says how many it has received
    answer = _ask("Do the articles agree on how many trams the town has received?", tram_index)
    assert answer.abstained
    answered = _ask("Do the articles agree on how many trams the town has ordered?", tram_index)
    assert not answered.abstained and "12 trams" in answered.text
    _verbatim(answered, tram_index)


@pytest.mark.parametrize(
    ("question", "stems"),
    [
        ("Which countries does the report say the army has invaded or threatened?", ["invad", "threaten"]),
        ("Which firms were fined or banned?", ["ban", "fine"]),
        ("Which countries have signed the treaty?", ["sign"]),
        ("Which officials are quoted?", []),  # a verb of the document: its sources, not a relation
        ("Which people were named in it?", []),
    ],
)
def test_the_relations_a_list_asks_after_an_auxiliary(question: str, stems: list[str]) -> None:
    assert list_items.perfect_stems(question) == stems


def test_people_who_spoke_are_the_sources_a_document_quotes(tram_index: Path) -> None:
    # the speaker named after an aside set off by commas; "Nobody" opens a quotation and is no speaker
    answer = _ask("Which people spoke about the road works?", tram_index)
    assert "Lena Oss" in answer.text and "Olaf Brink" in answer.text
    _verbatim(answer, tram_index)


@pytest.mark.parametrize(
    ("question", "titles"),
    [
        ("How fast will the tram be, according to the op-ed?", ["Opinion"]),
        ("What does the editorial say about the cost of the tram line?", ["Opinion"]),
        ("Do the opinion piece and the shop owners' article agree on the works?", ["Opinion", "Shop Owners"]),
        ("How fast will the tram be?", []),
    ],
)
def test_an_op_ed_is_the_document_titled_as_opinion(
    tram_index: Path, question: str, titles: list[str]
) -> None:
    documents = load_index(tram_index).documents
    scope = scoping.resolve(question, documents, several=len(titles) > 1)
    found = sorted(documents[d].title for d in scope.doc_ids or ())
    assert [next(t for t in found if t.startswith(w)) for w in titles] == found


def test_a_comparison_with_one_party_found_reads_every_document(tram_index: Path) -> None:
    from rag.answer import planning

    documents = load_index(tram_index).documents
    # "the traders' letter" names no document; one document is no comparison
    both = planning.plan("Do the op-ed and the traders' letter agree on the cost of the line?", documents)
    assert both.scope.doc_ids is None
    # one document asked about alone stays scoped
    one = planning.plan("What does the op-ed say about the cost of the line?", documents)
    assert [documents[d].title for d in one.scope.doc_ids or ()] == [
        "Opinion - The Tram Line Is Too Slow and Too Costly"
    ]
