"""Code blocks and table rows of markdown-like documents, as quotable units with their context.

Sentences are the unit of a quote in prose, but not in a README or a manual: the answer to "How do I run the
tests?" is a code block, to be quoted whole (a sentence splitter would cut it at its first full stop); the
answer to "What is the default chunk size?" is a table row, which means nothing without the table's header.
Each unit carries its *context*: the heading of its section and the line before it, so it is found by what
its section is about, not only by its own (often terse) words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..index.sections import FENCE as _FENCE
from ..index.sections import TABLE_ROW as _ROW
from ..index.sections import TABLE_SEPARATOR as _SEPARATOR
from ..types import Document, Passage

_HEADING = re.compile(
    r"(?:^|\n\n)([^\n]{2,80})(?=\n\n)"
)  # a lookahead: one blank line ends a heading and starts the next
HOW_TO = re.compile(
    r"^\s*how\s+(?:do|can|should|would|could)\s+(?:i|we|you|one)\b|^\s*how\s+to\b|\b(?:what|which)\s+command\b"
    r"|\bsteps?\s+(?:to|for)\b|\binstall\b|\bset\s+up\b|\bsetup\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """A code block or a table row of one passage: ``text == passage.text[start:end]``.

    ``header`` is the span of the table's header row (for a row) in the passage, ``context`` the words it is
    found by. A row of a table that began in an earlier chunk has no header in its passage: ``header_at`` is
    the header's span in the whole document (for a row whose header is in the passage too), so the answer
    can quote it from the passage that holds it.
    """

    kind: str  # "code" or "row"
    passage_n: int
    start: int
    end: int
    text: str
    context: str
    header: tuple[int, int] | None = None
    header_at: tuple[int, int] | None = None


HEADING_WINDOW = 6_000  # characters before ``at`` a heading is looked for in (not a whole README each time)


def heading_before(text: str, at: int) -> str:
    """The last heading-like line before ``at`` (within ``HEADING_WINDOW`` characters): its own paragraph,
    short, without a final full stop."""
    found = ""
    start = max(0, at - HEADING_WINDOW)
    if start:  # begin at a paragraph break, so the window does not open in the middle of a line
        start = max(0, text.rfind("\n\n", 0, start))
    for m in _HEADING.finditer(text, start, at + 2):
        line = m.group(1).strip()
        if m.end(1) <= at and line[-1:] not in ".:;,!?" and not line.startswith(("|", "```", "~~~")):
            found = line
    return found


def _line_before(text: str, at: int) -> str:
    before = text[:at].rstrip().rsplit("\n\n", 1)[-1]
    return before if not before.lstrip().startswith(("|", "```")) else ""


def code_blocks(n: int, text: str) -> list[Unit]:
    """Every fenced code block of a passage's ``text``, whole, with its heading and lead-in line."""
    units = []
    for m in _FENCE.finditer(text):
        context = " ".join([heading_before(text, m.start()), _line_before(text, m.start()), m.group(0)])
        units.append(Unit("code", n, m.start(), m.end(), m.group(0), context))
    return units


_COMMENT = re.compile(r"^[ \t]*(?:#|//|--|;)\s*(.{8,})$", re.MULTILINE)


def comments(block: str) -> list[str]:
    """The comment lines of a code block ("# 2. Run the tests"): each says what the commands under it do,
    so a block of several commands is found by any one of them."""
    return [m.group(1).strip() for m in _COMMENT.finditer(block) if not m.group(0).lstrip().startswith("#!")]


def table_rows(n: int, text: str, document_text: str = "", offset: int = 0) -> list[Unit]:
    """Every body row of every table of a passage's ``text``, with the table's header row.

    ``document_text`` and ``offset`` (where the passage starts in it): a table split over chunks has its
    header in the first chunk only; the rows of the later ones get theirs from the document.
    """
    units = []
    rows = list(_ROW.finditer(text))
    header: tuple[int, int] | None = None  # in the passage
    header_at: tuple[int, int] | None = None  # in the document
    head: str | None = None  # the header row's words, and the heading above the table
    above = ""
    previous_end = -2
    for i, m in enumerate(rows):
        if m.start() != previous_end + 1:  # not the line right after the last row: a new table
            header, header_at, head, above = None, None, None, ""
            if i + 1 < len(rows) and _SEPARATOR.match(rows[i + 1].group(0)):
                header = m.span()
                header_at = (offset + m.start(), offset + m.end())
            elif document_text:
                header_at = table_header(document_text, offset + m.start())
        previous_end = m.end()
        if header_at is None or m.span() == header or _SEPARATOR.match(m.group(0)):
            continue
        if head is None:  # once per table: its rows share the header and the heading above it
            head = document_text[slice(*header_at)] if header is None else text[slice(*header)]
            above = (
                heading_before(document_text, header_at[0])
                if header is None
                else heading_before(text, header[0])
            )
        context = " ".join([above, head, m.group(0)])
        units.append(Unit("row", n, m.start(), m.end(), m.group(0), context, header, header_at))
    return units


def cells(line: str) -> tuple[str, ...]:
    """The cells of a table row line, stripped (the bars at its ends are the table's, not cells)."""
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def table_header(text: str, at: int) -> tuple[int, int] | None:
    """The span of the header row of the table whose row starts at ``at`` in ``text`` (a whole document):
    the first of the unbroken run of row lines above it, when a separator row follows it; None otherwise."""
    first: tuple[int, int] | None = None
    line_start = at
    while line_start > 0:
        previous = text.rfind("\n", 0, line_start - 1) + 1
        line = text[previous : line_start - 1]
        if not _ROW.fullmatch(line):
            break
        first, line_start = (previous, line_start - 1), previous
    if first is None:
        return None
    below = text[first[1] + 1 : text.find("\n", first[1] + 1) if "\n" in text[first[1] + 1 :] else len(text)]
    return first if _SEPARATOR.match(below) else None


def row_lines(unit: Unit, passages: Sequence[Passage]) -> list[str]:
    """A table row quoted under its table's header row, each from the passage that holds it: the row's own
    passage, or (a table split over chunks) the one holding the header, which planning retrieves with it
    (``header_hits``). The row alone when no passage holds the header."""
    own = next(p for p in passages if p.n == unit.passage_n)
    row = f"> {unit.text} [{unit.passage_n}]"
    if unit.header is not None:
        return [f"> {own.text[unit.header[0] : unit.header[1]]} [{unit.passage_n}]\n{row}"]
    holder = next(
        (
            p
            for p in passages
            if unit.header_at is not None
            and p.doc_id == own.doc_id
            and p.start <= unit.header_at[0]
            and unit.header_at[1] <= p.end
        ),
        None,
    )
    if holder is None or unit.header_at is None:
        return [row]
    a, b = unit.header_at[0] - holder.start, unit.header_at[1] - holder.start
    return [f"> {holder.text[a:b]} [{holder.n}]\n{row}"]


# A name written as code in a question: `backticked`, snake_case or CONSTANT_CASE ("What does strip_exif
# do?", "the RAG_TOP_K default"). A table of options is keyed by such names: the row that holds the named one
# answers, whatever another row's words share with the question, and a name no document mentions is an
# option the documents do not have ("What is the default of compression_level?" is not answered with the
# row of jpeg_quality, close as its meaning is).
_IDENTIFIER = re.compile(r"`([^`\s]{2,})`|\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)\b")


def identifiers(question: str) -> list[str]:
    """The names the question writes as code, lowercased, in order."""
    return list(dict.fromkeys((m.group(1) or m.group(2)).lower() for m in _IDENTIFIER.finditer(question)))


def unmentioned(question: str, passages: Sequence[Passage], documents: dict[str, Document]) -> str | None:
    """The first name ``question`` writes as code that no document of ``passages`` mentions; None when it
    names none, or every one is mentioned (looked for in the whole documents, not only the passages)."""
    names = identifiers(question)
    if not names:
        return None
    texts = [documents[d].text.lower() for d in dict.fromkeys(p.doc_id for p in passages) if d in documents]
    if not texts:
        return None
    return next((name for name in names if not any(name in text for text in texts)), None)


def naming_rows(units: Sequence[Unit], question: str) -> list[int]:
    """Indices of the table rows among ``units`` whose key (first) cell is a name ``question`` writes as
    code."""
    names = set(identifiers(question))
    if not names:
        return []
    found = []
    for i, unit in enumerate(units):
        key = cells(unit.text)[0] if unit.kind == "row" else ""
        keys = {k.strip().strip("`").lower() for k in key.split(",")} if key else set()
        if keys & names:
            found.append(i)
    return found
