"""The promise: a quote shown is the document's exact words at the recorded span, or it is marked."""

from __future__ import annotations

from rag.answer.quotes import find_verbatim, verify_answer
from rag.types import Document, Passage

TEXT = (
    "Intro line.\n\nRussia’s handling of the S-300 missile sale to Iran further illuminates how Putin often "
    "works against U.S. goals.\nAs Deputy Foreign Minister Sergey Ryabkov put it, “Would there have been a "
    "deal if Russia had not participated?”"
)
DOC = Document(
    doc_id="d1", text=TEXT, title="Title", authors=("Anna B",), date="2022-01-11", url="https://x.org"
)


def _passage(n: int = 1, start: int = 0, end: int | None = None) -> Passage:
    end = len(TEXT) if end is None else end
    return Passage(
        n=n,
        chunk_id=f"d1#{n}",
        doc_id="d1",
        title="Title",
        text=TEXT[start:end],
        start=start,
        end=end,
        score=0.5,
    )


def test_find_verbatim_ignores_white_space_and_quote_style_but_returns_the_exact_span():
    span = find_verbatim("Russia's handling of the S-300   missile sale", TEXT)
    assert span is not None
    assert TEXT[span[0] : span[1]] == "Russia’s handling of the S-300 missile sale"
    assert find_verbatim("Russia sold missiles", TEXT) is None


def test_blockquote_quotes_are_verified_and_renumbered_in_reading_order():
    raw = "> Putin often works against U.S. goals. [2]\n\n> Intro line. [1]"
    passages = [_passage(1, 0, 12), _passage(2, 13)]
    result = verify_answer(raw, passages, {"d1": DOC})
    assert [c.n for c in result.citations] == [1, 2]
    assert [c.passage_n for c in result.citations] == [2, 1]
    for c in result.citations:
        assert c.verified and c.status == "verified"
        assert TEXT[c.start : c.end] == c.quote
        assert (
            c.title == "Title"
            and c.author == "Anna B"
            and c.date == "2022-01-11"
            and c.url == "https://x.org"
        )
    assert "[1]" in result.text and "[2]" in result.text


def test_inline_quote_with_different_quote_marks_is_shown_with_the_documents_characters():
    raw = 'Ryabkov asked "Would there have been a deal if Russia had not participated?" [1]'
    result = verify_answer(raw, [_passage()], {"d1": DOC})
    (c,) = result.citations
    assert c.verified and c.quote == "Would there have been a deal if Russia had not participated?"
    assert TEXT[c.start : c.end] == c.quote


def test_fabricated_quote_is_marked_unverified_not_shown_as_a_quote():
    raw = "> Russia sold Iran nuclear weapons. [1]"
    result = verify_answer(raw, [_passage()], {"d1": DOC})
    (c,) = result.citations
    assert not c.verified and c.status == "unverified"
    assert not result.text.lstrip().startswith(">")
    assert "unverified" in result.text


def test_citation_of_a_missing_passage_is_removed():
    raw = "> Intro line. [7]\n\nSee also [9]."
    result = verify_answer(raw, [_passage()], {"d1": DOC})
    assert result.citations == ()
    assert "[7]" not in result.text and "[9]" not in result.text
    assert not result.text.startswith(">")
