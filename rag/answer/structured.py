"""Code blocks and table rows of markdown-like documents, as quotable units with their context.

Sentences are the unit of a quote in prose, but not in a README or a manual: the answer to "How do I run the
tests?" is a code block, to be quoted whole (a sentence splitter would cut it at its first full stop); the
answer to "What is the default chunk size?" is a table row, which means nothing without the table's header.
Each unit carries its *context*: the heading of its section and the line before it, so it is found by what
its section is about, not only by its own (often terse) words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_SEPARATOR = re.compile(r"^[ \t]*\|(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*$")
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

    ``header`` is the span of the table's header row (for a row), ``context`` the words it is found by.
    """

    kind: str  # "code" or "row"
    passage_n: int
    start: int
    end: int
    text: str
    context: str
    header: tuple[int, int] | None = None


def heading_before(text: str, at: int) -> str:
    """The last heading-like line before ``at``: its own paragraph, short, without a final full stop."""
    found = ""
    for m in _HEADING.finditer(text, 0, at + 2):
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


def table_rows(n: int, text: str) -> list[Unit]:
    """Every body row of every table of a passage's ``text``, with the table's header row."""
    units = []
    rows = list(_ROW.finditer(text))
    header: re.Match[str] | None = None
    previous_end = -2
    for i, m in enumerate(rows):
        if m.start() != previous_end + 1:  # not the line right after the last row: a new table
            header = m if i + 1 < len(rows) and _SEPARATOR.match(rows[i + 1].group(0)) else None
        previous_end = m.end()
        if header is None or m is header or _SEPARATOR.match(m.group(0)):
            continue
        context = " ".join([heading_before(text, header.start()), header.group(0), m.group(0)])
        units.append(Unit("row", n, m.start(), m.end(), m.group(0), context, (header.start(), header.end())))
    return units
