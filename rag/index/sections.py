"""Sections of a document with headings (markdown, HTML): where chunks must break, and each chunk's heading path.

A chunk that began in the middle of one section and ran on past the next heading would be found by the words
of the first section and hold the start of the second, whose heading it may not even contain: a question about
the second section ("What chunk size is used?" under *Chunking*) then meets a passage that is mostly about
something else. So a section starts a new chunk, and every chunk is embedded and BM25-indexed with the headings
it sits under ("Guide > How it works > Chunking"), also when it is the third chunk of a long section.
In such a document a fenced code block is one unit that ends its chunk (``code_blocks``), so it is quoted whole,
and a table row is one unit (``table_rows``): a chunk ends between two rows, never inside one, so a row is
quoted whole with its cells and bars.
Documents without recorded headings (plain text, PDF, JSONL) are left as they were.
"""

from __future__ import annotations

import re

from ..types import Document

PATH_SEPARATOR = " > "
# A fenced code block, fences included (the cleaner keeps code as written).
FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)


# A table row: a line that starts and ends with a bar (the cleaner keeps tables as written).
TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
# The row under a table's header that marks it as one: bars around dashes ("| --- | :--: |").
TABLE_SEPARATOR = re.compile(r"^[ \t]*\|(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*$")


def table_rows(document: Document) -> list[tuple[int, int]]:
    """``(start, end)`` of every table row line of a document with headings; none for other documents."""
    if not document.headings:
        return []
    return [m.span() for m in TABLE_ROW.finditer(document.text)]


def code_blocks(document: Document) -> list[tuple[int, int]]:
    """``(start, end)`` of every fenced code block of a document with headings; none for other documents (a
    plain-text article has no markup to trust)."""
    if not document.headings:
        return []
    return [m.span() for m in FENCE.finditer(document.text)]


def section_starts(document: Document) -> list[int]:
    """Offsets in ``document.text`` where a section begins, in order: at each heading line, except the title's
    own heading (the page's header, not a section) and a heading that directly follows another one (a
    section's first subsection stays with its heading, which would otherwise be a chunk of one line)."""
    text, title = document.text, _folded(document.title)
    headings = sorted(document.headings)
    starts: list[int] = []
    previous = 0  # where the section before this heading began
    for start, end, _level in headings:
        if start == 0 or _folded(text[start:end]) == title:
            continue
        # What the section before holds besides heading lines: nothing means this heading is its subsection.
        cursor, body = previous, False
        for a, b, _ in headings:
            if previous <= a < start:
                body = body or bool(text[cursor:a].strip())
                cursor = max(cursor, b)
        if body or text[cursor:start].strip():
            starts.append(start)
            previous = start
    return starts


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def heading_path(document: Document, offset: int) -> list[str]:
    """The headings ``offset`` sits under, outermost first: the last heading of each level above it.

    A heading equal to the document's title is left out (the title is its own context already).
    """
    path: list[tuple[int, str]] = []  # (level, heading text)
    for start, end, level in sorted(document.headings):
        if start > offset:
            break
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, " ".join(document.text[start:end].split())))
    title = _folded(document.title)
    return [text for _level, text in path if text and text.casefold() != title]


def context_prefix(document: Document, start: int, text: str) -> str:
    """The context line put before a chunk for embedding and BM25: its heading path, less the headings the
    chunk itself begins with; "" when there is none."""
    path = heading_path(document, start)
    while path and text.lstrip().startswith(path[-1]):
        path.pop()  # the chunk opens with its own heading: the path to it is enough
    return PATH_SEPARATOR.join(path)


def longest_prefix(document: Document) -> str:
    """The longest heading path of the document: what the window test must leave room for."""
    paths = (PATH_SEPARATOR.join(heading_path(document, start)) for start, _end, _level in document.headings)
    return max(paths, key=len, default="")
