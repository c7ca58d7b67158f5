"""An "about the author" box is quotable about the author, never as the document's own argument.

A page of our own whose author box (name, role, location, expertise, work) sits between the dateline and the
body: the box is kept as text with its spans into the file, a question about the author is answered from it,
and a summary or an argument of the same page quotes none of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import ask
from rag.index.build import build_index
from rag.index.store import load_index
from rag.ingest import load_file
from rag.settings import Settings
from rag.types import Document

PAGE = """# Why Cities Should Plant More Street Trees

By Priya Natarajan

June 3, 2021

## About the author

**Priya Natarajan**

Senior Fellow

**Location:** Lisbon, Portugal

**Field of expertise:** Priya specializes in urban forestry and the planning of public parks.

**Work experience:** Priya is a Senior Research Fellow at the Institute for Green Cities. She also works \
as an editor for the Urban Canopy Review.

Street trees cool the pavement below them by several degrees on a summer afternoon. A row of mature trees \
also slows the rain that reaches the drains during a storm.

Many councils still treat trees as decoration and cut the planting budget first when money is short. That \
is a mistake, because the cost of a tree is repaid within a decade in lower cooling bills.

City councils should plant a tree on every street that lacks shade. They must also fund the watering of \
young trees for their first three summers, when most of them die.

Residents can help by adopting the tree in front of their house and reporting damage to the council.
"""


def _in_box(document: Document, start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in document.author_box)


def test_the_author_box_is_kept_after_the_body_with_its_spans(tmp_path: Path) -> None:
    path = tmp_path / "trees.md"
    path.write_text(PAGE, encoding="utf-8")
    [document] = load_file(path, tmp_path)
    text, original = document.text, PAGE
    for line in ("Senior Fellow", "Location: Lisbon, Portugal", "Field of expertise: Priya specializes"):
        assert line in text
    # The body follows the dateline as the reader meets it; the box comes last.
    assert "June 3, 2021\n\nStreet trees cool" in text
    assert text.endswith("as an editor for the Urban Canopy Review.")
    box_start = min(a for a, _ in document.author_box)
    assert text.index("Residents can help") < box_start == text.index("About the author")
    for a, b in document.author_box:  # every box line maps back to the file, markup left out
        lo, hi = document.source_span(a, b)  # type: ignore[misc]
        assert original[lo:hi].replace("**", "") == text[a:b]
    assert Document.from_dict(document.to_dict()) == document
    assert document.authors == ("Priya Natarajan",)


@pytest.fixture(scope="module")
def box_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    base = tmp_path_factory.mktemp("box")
    (base / "docs").mkdir()
    (base / "docs" / "trees.md").write_text(PAGE, encoding="utf-8")
    build_index([base / "docs"], index_dir=base / "vectors")
    return base / "vectors"


def _answer(question: str, index: Path):
    answer = ask(question, index_dir=index, settings=Settings())
    documents = load_index(index).documents
    for c in answer.citations:  # every quote verbatim at its span, in the text and in the file
        document = documents[c.doc_id]
        assert c.verified and document.text[c.start : c.end] == c.quote
        original = Path(document.source_path).read_text(encoding="utf-8")
        assert original[c.source_start : c.source_end].replace("**", "") == c.quote
    return answer, documents


def test_no_chunk_mixes_the_box_with_the_body(box_index: Path) -> None:
    index = load_index(box_index)
    [document] = index.documents.values()
    for chunk in index.chunks:
        box = _in_box(document, chunk.start, chunk.end)
        assert not box or min(a for a, _ in document.author_box) <= chunk.start, chunk.text


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("What is Priya Natarajan's field of expertise?", "urban forestry"),
        ("Where does Priya Natarajan work?", "Institute for Green Cities"),
        # A labelled line of the box names no one: it is found as said of the document's author.
        ("Where does Priya Natarajan live?", "Location: Lisbon, Portugal"),
        # the author named only as "the author": the box of the document's author answers
        ("What is the affiliation of the author of the street trees article?", "Institute for Green Cities"),
        ("Where does the author work?", "Institute for Green Cities"),
    ],
)
def test_a_question_about_the_author_quotes_the_box(box_index: Path, question: str, phrase: str) -> None:
    answer, documents = _answer(question, box_index)
    assert not answer.abstained, answer.text
    quoted = [c for c in answer.citations if phrase in c.quote]
    assert quoted, answer.text
    assert all(_in_box(documents[c.doc_id], c.start, c.end) for c in quoted)


@pytest.mark.parametrize(
    "question",
    [
        "What are the main arguments of Priya Natarajan?",
        "Summarize 'Why Cities Should Plant More Street Trees'.",
        "What does the article argue councils should do?",
    ],
)
def test_summaries_and_arguments_never_quote_the_box(box_index: Path, question: str) -> None:
    answer, documents = _answer(question, box_index)
    assert not answer.abstained and answer.citations, answer.text
    assert not any(_in_box(documents[c.doc_id], c.start, c.end) for c in answer.citations), answer.text


FORMER_OFFICIAL = """Brenn Should Walk Away From the Ferry Compact
by [Anton Dravic \\(/experts/anton-dravic\\)](/experts/anton-dravic)
April 22, 2024
ABOUT THE AUTHOR
Anton Dravic was Brenn's minister of transport from 2014 to 2020 and writes a weekly column for the Sound Herald.
Op-Ed
The compact has cost Brenn more than it gave, and leaving it would cost less than staying.

Brenn pays a third of the compact's bill for a quarter of its sailings. The compact should be renegotiated
before the summer timetable is set, or Brenn should leave it.
"""


def test_a_former_officials_bio_is_the_author_box(tmp_path: Path) -> None:
    # "X was <country>'s minister of ...": a bio of a post held before, which is no sentence of the op-ed's own
    path = tmp_path / "oped.txt"
    path.write_text(FORMER_OFFICIAL, encoding="utf-8")
    [document] = load_file(path, tmp_path)
    box = [document.text[a:b] for a, b in document.author_box]
    assert any(line.startswith("Anton Dravic was Brenn's minister of transport") for line in box), box
    assert not any("renegotiated" in line for line in box), box
