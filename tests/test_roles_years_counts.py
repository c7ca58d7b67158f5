"""Documents named by their author's role or their year, counted lists, and arguments said in other words.

Three invented articles on a town's plan to close a branch library (a news report and two opinion pieces,
from different years and by authors whose bylines give their roles) are indexed with the real embedder;
every quote must be the document's own text. Each test is one mechanism, on documents nobody tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of
from test_answer_kinds import _ask, _verbatim

from rag.answer import scoping, summaries
from rag.answer.generators import answer_checks
from rag.answer.question_kinds import classify, topic
from rag.index.store import load_index

NEWS = """---
title: Ostberg council plans to close the Mill Lane branch library
author: Joan Pryce
date: 2023-05-02
---
# Ostberg council plans to close the Mill Lane branch library

By Joan Pryce, city reporter

Ostberg's culture committee will decide in June whether to close the Mill Lane branch library, which
costs the town 180,000 euros a year to run.

Three charities have offered to run the building instead. Bookwise, a reading charity from Hull, would
open it four days a week. The Tamsin Trust offered a café and a homework club. Open Shelves, which runs
two libraries in Denmark, would keep the present staff.

Visits to the branch fell by 18 percent in 2022. Loans dropped from 41,000 books to 29,500 over three years.

The library's users collected 2,400 signatures against the closure. Committee chair Ida Holm said the vote
would be open to the public.
"""

FOR = """---
title: "Opinion: Closing Mill Lane frees money for better libraries"
author: Ruth Calder
date: 2024-01-15
---
# Opinion: Closing Mill Lane frees money for better libraries

By Ruth Calder, head librarian of Ostberg

The committee should close Mill Lane and spend the savings on the central library's opening hours.
The town should also tell readers plainly what the change is for. It is not a cut but a move of money
to where most readers already go.

Readers who cannot travel should get a free home delivery service, which costs far less than a building.
"""

AGAINST = """---
title: "Opinion: A library is not a line in a budget"
author: Tom Verhey
date: 2024-02-03
---
# Opinion: A library is not a line in a budget

By Tom Verhey, chair of the Friends of Mill Lane

The committee should keep Mill Lane open, because children from the estate have nowhere else to do
their homework after school.

Home delivery is no answer for a child who needs a quiet table and a librarian to ask.
"""


@pytest.fixture(scope="module")
def library_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "library", {"news.md": NEWS, "for.md": FOR, "against.md": AGAINST})


def _named(index: Path, question: str) -> list[str]:
    """The file names (document ids) of the documents ``question`` names."""
    return sorted(scoping.resolve(question, load_index(index).documents).doc_ids or ())


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the byline's role names its author's document ("By Ruth Calder, head librarian of Ostberg")
        ("What does the head librarian want the committee to do?", ["for"]),
        ("What should the town do about home delivery, in the librarian's view?", ["for"]),
        ("What does the chair of the Friends argue?", ["against"]),
        ("What is the city reporter's account of the offers?", ["news"]),
        (
            "Which charities are named in the library review?",
            [],
        ),  # "review" is a document word, no title has it
        ("What did the culture committee decide?", []),  # no byline calls anyone that
        # another document gives "chair" to someone it names ("committee chair Ida Holm"): "the chair" may be her
        ("What did the chair say about the petition?", []),
        ("What did the Friends' chair say about the petition?", ["against"]),
        # a year beside a document word names the documents dated then
        ("What does the 2023 article say about the charities?", ["news"]),
        ("What do the 2024 pieces say about home delivery?", ["against", "for"]),
        ("How much does the library cost in 2023?", []),  # a year of an event, not of a document
        # several opinion pieces: "the op-eds" are all of them
        ("Do the two op-eds agree on home delivery?", ["against", "for"]),
        ("How do the opinion pieces see the homework club?", ["against", "for"]),
    ],
)
def test_documents_named_by_role_year_and_genre(library_index: Path, question: str, named: list[str]) -> None:
    assert _named(library_index, question) == named


def test_a_counted_list_is_quoted_with_the_sentences_that_go_through_it(library_index: Path) -> None:
    # "Three charities have offered ..." names none; the next three sentences each name one
    answer = _ask("Which charities offered to run the library?", library_index)
    assert all(name in answer.text for name in ("Bookwise", "Tamsin Trust", "Open Shelves"))
    _verbatim(answer, library_index)


def test_an_argument_that_announces_what_comes_next_is_quoted_with_it(library_index: Path) -> None:
    answer = _ask("What should the town tell readers, according to Ruth Calder?", library_index)
    assert "what the change is for. It is not a cut" in answer.text
    _verbatim(answer, library_index)


def test_a_yes_no_question_about_the_articles_quotes_each_document(library_index: Path) -> None:
    answer = _ask("Are the articles in favour of closing Mill Lane?", library_index)
    quoted = {c.doc_id for c in answer.citations}
    assert len(quoted) >= 2
    _verbatim(answer, library_index)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the main point of the library report?", "argument"),
        ("What does the head librarian want the committee to do?", "argument"),
        ("What should the committee insist on?", "argument"),
        ("What does the op-ed conclude?", "argument"),
        ("What do the 2023 and 2024 articles each say about the café?", "comparison"),
        ("How do the articles treat the Friends of Mill Lane?", "comparison"),
        ("Who are the charities that offered to run it?", "list"),
        ("Who are the analysts quoted in the report?", "list"),
        ("What does Tom Verhey think the committee should do?", "argument"),
        ("What warning does the head librarian give?", "argument"),
        ("What is the head librarian's case for the closure?", "argument"),
        ("Who is the head librarian?", "definition"),  # one person, not a list
    ],
)
def test_kinds_said_in_other_words(question: str, kind: str) -> None:
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Contrast the views of Ruth Calder and Tom Verhey on home delivery.", "home delivery"),
        ("Compare the two reports' positions on the café", "the café"),
        ("How do the articles view the closure?", "the closure"),
    ],
)
def test_the_topic_of_a_comparison_of_views(question: str, about: str) -> None:
    assert topic(question) == about


@pytest.mark.parametrize(
    ("name", "short"),
    [("the Verhey administration", "the Verhey"), ("the Ostberg government's plan", "the Ostberg's plan")],
)
def test_a_name_with_what_of_it_is_meant_is_said_by_the_name(name: str, short: str) -> None:
    assert answer_checks.short_names(name) == short


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What should the committee insist on?", "committee"),
        ("What must schools tell parents?", "schools"),
        ("What should the council do?", "council"),
    ],
)
def test_the_one_advised_before_any_verb(question: str, who: str) -> None:
    assert summaries.advised(question) == who


def test_a_short_argument_question_in_a_named_document_takes_the_sentence_that_says_its_words(
    library_index: Path,
) -> None:
    # "What does X advise the town about home delivery?" matches no sentence closely; the one that argues
    # and says "home delivery" answers (its role words, "the head librarian", are no part of the topic)
    answer = _ask("What does the head librarian advise about home delivery?", library_index)
    assert "free home delivery service" in answer.text
    assert {c.doc_id for c in answer.citations} == {"for"}
    _verbatim(answer, library_index)
    # the author's own document is their words: "think" asks for their argument, not a quotation of them
    argued = _ask("What does Tom Verhey think the committee should do?", library_index)
    assert "should keep Mill Lane open" in argued.text
    _verbatim(argued, library_index)


def test_a_list_of_figures_goes_on_into_the_next_sentence_of_its_paragraph(library_index: Path) -> None:
    # the second figure's sentence shares no word with the question
    answer = _ask("What figures does the 2023 article give on the branch's use?", library_index)
    assert "18 percent" in answer.text and "29,500" in answer.text
    _verbatim(answer, library_index)
