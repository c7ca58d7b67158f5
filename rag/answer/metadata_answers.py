"""Answers about a document itself: who wrote it, when, where it was published, its title, its link.

The values come from the document's metadata (read at ingestion from bylines, datelines, meta tags, front
matter, PDF properties); the quote is the line of the document that says it (the byline, the dateline), so
the citation opens where the document states it. A document whose text never states the value gets the value
with that said, and no quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from ..ingest.dates import line_dates
from ..ingest.readers import STATED_KEYS
from ..types import Document, Passage

FIELD_NAMES = {"author": "author", "date": "date", "outlet": "published in", "title": "title", "link": "link"}
# A line kept from a markdown file's front matter (``date: 2020-03-04``, ``rag.ingest.readers._front_matter``)
# or an HTML page's meta tag (``name="date" content="2020-03-04"``, ``rag.ingest.htmlpage``): what it states
# is the value after the key.
_HEAD_LINE = re.compile(
    rf"""^(?:(?:{"|".join(STATED_KEYS)})\s*:\s*(.*)|(?:name|property|itemprop)=.*?\bcontent=["']?([^"']*))""",
    re.IGNORECASE,
)
MAX_LINE_WORDS = 14  # a byline or dateline is short; a sentence that mentions the author is not one
MAX_DATE_SENTENCE_WORDS = 8  # "This column appeared on 11/02/2026.": a sentence of a long line that dates it


def value(document: Document, field: str) -> str | None:
    """The metadata value ``field`` of ``document``, or None when the document does not record it."""
    return {
        "author": document.author,
        "date": document.date,
        "outlet": document.publication,
        "title": document.title,
        "link": document.url,
    }.get(field)


def _lines(passage: Passage) -> Iterator[tuple[int, int, str]]:
    for m in re.finditer(r"[^\n]+", passage.text):
        line = m.group(0).strip()
        if line:
            start = m.start() + m.group(0).index(line)
            yield start, start + len(line), line


def _states(line: str, document: Document, field: str) -> bool:
    """Whether ``line`` is where the document states ``field`` (a short line, not a sentence about it)."""
    # (a paper's "authors · journal · published <date>" line is long, and states its date in one part)
    long_line = len(line.split()) > MAX_LINE_WORDS
    if field == "date" and document.date is not None and re.search(r"[.!?]\s+\S", line):
        # (a closing credit: "Marcus Defoe is a columnist for the Post. This column appeared on 11/02/2026.")
        return document.date in line_dates(line) or any(
            document.date in line_dates(sentence.rstrip("."))
            for sentence in re.split(r"(?<=[.!?])\s+", line)
            if len(sentence.split()) <= MAX_DATE_SENTENCE_WORDS
        )
    if long_line and field != "title":
        return False
    head = _HEAD_LINE.match(line)
    if head:
        line = head.group(1) if head.group(1) is not None else head.group(2)
    folded = line.casefold()
    if field == "author":
        return any(a.casefold() in folded for a in document.authors)
    if field == "date":
        # "By Kim Lee · 4 March 2020": the date is one part of the line
        # ("Last updated: 11 January 2026", "Posted on 4 March 2026 by ...": under a label, or in one part)
        return document.date is not None and document.date in line_dates(line.replace('"', ""))
    if field == "title":
        return " ".join(folded.split()) == " ".join(document.title.casefold().split())
    wanted = value(document, field)
    return bool(wanted) and wanted.casefold() in folded


def stating_line(document: Document, field: str, passages: Sequence[Passage]) -> tuple[Passage, str] | None:
    """The first line of ``document`` among ``passages`` that states ``field``, with its passage: the page's
    own byline or dateline before a front matter line (``author: Kim Lee``) or a meta tag's, which a reader of
    the rendered page does not see."""
    found = [
        (passage, line)
        for passage in sorted((p for p in passages if p.doc_id == document.doc_id), key=lambda p: p.start)
        for _, _, line in _lines(passage)
        if _states(line, document, field)
    ]
    return min(found, key=lambda f: _HEAD_LINE.match(f[1]) is not None, default=None)


def answer(
    field: str, doc_ids: Sequence[str], passages: Sequence[Passage], documents: Mapping[str, Document]
) -> list[str]:
    """Answer lines for ``field`` of each of ``doc_ids``: the value, then the quoted line that states it."""
    out: list[str] = []
    for doc_id in doc_ids:
        document = documents[doc_id]
        found = value(document, field)
        label = FIELD_NAMES[field]
        if not found:
            out.append(f"*{document.title}* does not record its {label}.")
            continue
        stated = stating_line(document, field, passages)
        if stated is None:
            out.append(
                f"*{document.title}* — {label}: {found} (from the document's metadata; its text does not "
                "state it, so there is no quote)."
            )
            continue
        passage, line = stated
        head = f"*{document.title}* — {label}: {found}" if field != "title" else f"Title: {found}"
        out.append(f"{head}\n\n> {line} [{passage.n}]")
    return out
