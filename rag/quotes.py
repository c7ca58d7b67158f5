"""Check every quote in a generated answer against the passages it cites, and turn markers into citations.

This is the product's promise: a quote shown to a user is the document's exact words, at a recorded span.
Generated text marks quotes either as blockquote lines (``> words [n]``) or inline (``“words” [n]``), ``n``
being a passage number. Each quote is looked up in passage ``n`` ignoring differences of white space and
typographic quotation marks; when found, the answer shows the document's own characters and the citation
records the span. A quote not found is marked unverified in the text, never shown as a quote; a marker that
names no passage is removed. Markers are renumbered 1, 2, ... in reading order, one per quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Citation, Document, Passage

_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"})
# One pass over the text, in reading order: a blockquote line, an inline quote, or a bare marker.
_PATTERN = re.compile(
    r"^>[ \t]?(?P<block>.+?)[ \t]*\[(?P<block_n>\d+)\][ \t]*$"
    r"|(?P<open>[“\"])(?P<inline>[^“”\"\n]{3,}?)[”\"][ \t]*\[(?P<inline_n>\d+)\]"
    r"|\[(?P<bare_n>\d+)\]",
    re.MULTILINE,
)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` with typographic quotes made plain and white-space runs made one space, plus for each
    character of the result the offset in ``text`` it came from."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for i, ch in enumerate(text.translate(_QUOTE_CHARS)):
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def find_verbatim(quote: str, text: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text`` ignoring white space and quotation-mark style, or None."""
    needle, _ = normalise_with_map(quote.strip())
    if not needle:
        return None
    haystack, offsets = normalise_with_map(text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


@dataclass(frozen=True)
class Verified:
    """The answer text after checking, and one citation per quote kept."""

    text: str
    citations: tuple[Citation, ...]


def verify_answer(raw: str, passages: Sequence[Passage], documents: dict[str, Document]) -> Verified:
    """Check the quotes of generated text ``raw`` against ``passages`` and build its citations."""
    by_n = {p.n: p for p in passages}
    citations: list[Citation] = []

    def cite(quote: str, n: int) -> tuple[str, str] | None:
        """(shown words, new marker) for a quote of passage n; None when the marker names no passage."""
        passage = by_n.get(n)
        if passage is None:
            return None
        document = documents[passage.doc_id]
        span = find_verbatim(quote, passage.text)
        number = len(citations) + 1
        if span is None:
            citations.append(_citation(number, passage, document, quote.strip(), passage.start, passage.start,
                                       verified=False, status="unverified"))
            return quote.strip(), f"[{number}]"
        start, end = passage.start + span[0], passage.start + span[1]
        exact = document.text[start:end]
        citations.append(_citation(number, passage, document, exact, start, end, verified=True, status="verified"))
        return exact, f"[{number}]"

    def replace(m: re.Match[str]) -> str:
        if m["bare_n"] is not None:
            return _reference(int(m["bare_n"]), by_n, documents, citations)
        quote = m["block"] if m["block"] is not None else m["inline"]
        result = cite(quote, int(m["block_n"] or m["inline_n"]))
        if result is None:  # a passage that does not exist: drop the marker, keep the words, not as a quote
            return quote
        words, marker = result
        if not citations[-1].verified:
            return f"{words} {marker} *(unverified: not found in the cited passage)*"
        if m["block"] is not None:  # keep a quote that spans lines inside one blockquote
            return "> " + re.sub(r"\n[ \t]*", "\n> ", words) + f" {marker}"
        return f"“{words}” {marker}"

    text = _PATTERN.sub(replace, raw)
    return Verified(text=text, citations=tuple(citations))


def _reference(n: int, by_n: dict[int, Passage], documents: dict[str, Document],
               citations: list[Citation]) -> str:
    """A marker with no quote: a reference to the whole passage, or nothing if the passage does not exist."""
    passage = by_n.get(n)
    if passage is None:
        return ""
    number = len(citations) + 1
    citations.append(_citation(number, passage, documents[passage.doc_id], "", passage.start, passage.end,
                               verified=False, status="reference"))
    return f"[{number}]"


def _citation(n: int, passage: Passage, document: Document, quote: str, start: int, end: int, *,
              verified: bool, status: str) -> Citation:
    source = document.source_span(start, end) if verified else None
    return Citation(
        n=n, doc_id=document.doc_id, title=document.title, author=document.author, date=document.date,
        url=document.url, quote=quote, start=start, end=end, score=passage.score, verified=verified,
        status=status, passage_n=passage.n, source_path=document.source_path,
        source_start=source[0] if source else None, source_end=source[1] if source else None,
        page=document.page_of(start),
    )
