"""Which row of a table holds a column's largest or smallest value: "Which pump used the most power?".

A row is found by the words it shares with the question, but a superlative is in no row: it compares one
column over every row. Here: whether a question asks for an extreme and which way, which column of a table
it is about (a numeric column whose header shares a word with the question, or whose subject the superlative
implies: "cheapest" is about a price), and the row or rows that hold the extreme, read from the whole table in
the document, so a table cut over chunks is compared whole, never only the rows that were retrieved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..index import lexical
from ..index.sections import TABLE_ROW
from ..index.sections import TABLE_SEPARATOR as _SEPARATOR
from .structured import cells

# The superlatives that say which way, and the column subject some of them imply on their own.
_LARGEST = ("most", "highest", "largest", "biggest", "greatest", "maximum", "longest", "heaviest", "priciest")
_SMALLEST = ("least", "lowest", "smallest", "fewest", "minimum", "shortest", "lightest", "cheapest")
# Comparatives after "the": "Which drone has the longer range?" asks which of the rows has the larger value
# (not "Which pump draws more power, A or B?", which compares two it names)
_MORE = ("more", "higher", "larger", "bigger", "greater", "longer", "heavier", "pricier")
_LESS = ("fewer", "lower", "smaller", "shorter", "lighter", "cheaper")
_IMPLIED = {
    "cheapest": ("price", "cost"),
    "priciest": ("price", "cost"),
    "expensive": ("price", "cost"),
    "heaviest": ("weight", "mass"),
    "lightest": ("weight", "mass"),
    "longest": ("length", "duration"),
    "shortest": ("length", "duration"),
    "cheaper": ("price", "cost"),
    "pricier": ("price", "cost"),
    "heavier": ("weight", "mass"),
    "lighter": ("weight", "mass"),
}
_WAY = re.compile(
    r"\b(" + "|".join(_LARGEST + _SMALLEST) + r")\b|\bthe\s+(" + "|".join(_MORE + _LESS) + r")\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[^\d\-−]{0,4}([\-−]?\d[\d,]*(?:\.\d+)?)(?:\s*[%\w()/ ]{0,12})?$")
# Words of the question that say what kind of question it is, not what it is about.
# (and the superlatives themselves: "most" is no column's word)
_ASKING = frozenset(
    lexical.tokenize(
        [
            " ".join(
                [
                    "which what who is was are were the of has had have did does do",
                    *_LARGEST,
                    *_SMALLEST,
                    *_MORE,
                    *_LESS,
                ]
            )
        ]
    )[0]
)


@dataclass(frozen=True)
class Row:
    """A body row of a table: its span in the document and its cells."""

    start: int
    end: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Extreme:
    """The answer to a superlative over a table: the winning rows, the column, and the value they hold."""

    rows: tuple[Row, ...]
    column: str  # the header cell, as written
    value: str  # the winning cell, as written


def asked_way(question: str) -> str | None:
    """``"max"`` or ``"min"`` when ``question`` asks for an extreme ("the most", "the cheapest"), else None."""
    m = _WAY.search(question)
    if m is None:
        return None
    return "max" if (m.group(1) or m.group(2)).lower() in _LARGEST + _MORE else "min"


def table_at(text: str, header_start: int) -> tuple[tuple[str, ...], list[Row]] | None:
    """The header cells and body rows of the table whose header row starts at ``header_start`` in ``text``;
    None when no separator row follows the header."""
    lines = _lines_from(text, header_start)
    header = next(lines, None)
    separator = next(lines, None)
    if header is None or separator is None or not _SEPARATOR.match(separator[2]):
        return None
    rows = [Row(start, end, cells(line)) for start, end, line in lines]
    return cells(header[2]), rows


def _lines_from(text: str, at: int) -> Iterator[tuple[int, int, str]]:
    """The unbroken run of table row lines starting at ``at``."""
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[at:end]
        if not TABLE_ROW.fullmatch(line):
            return
        yield at, end, line
        at = end + 1


def number(cell: str) -> float | None:
    """The number a cell holds ("8.3", "€ 1,200", "12 %", "240 ms"), or None when it holds none or text."""
    m = _NUMBER.match(cell.strip().strip("`*"))
    if m is None:
        return None
    return float(m.group(1).replace(",", "").replace("−", "-"))


def column_match(question: str, header: tuple[str, ...], rows: list[Row]) -> tuple[int, int] | None:
    """The numeric column ``question`` is about, with how many of its words say so; None when no column or
    more than one matches as well. The first column names the rows and is never the one compared."""
    asked = set(lexical.tokenize([question])[0]) - _ASKING
    implied = {
        w for word, words in _IMPLIED.items() if re.search(rf"\b{word}\b", question, re.I) for w in words
    }
    scores: dict[int, int] = {}
    for col in range(1, len(header)):
        values = [number(r.cells[col]) if col < len(r.cells) else None for r in rows]
        if sum(v is not None for v in values) < max(2, 2 * len(rows) // 3):
            continue  # not a column of numbers
        words = set(lexical.tokenize([header[col]])[0])
        score = len(words & asked) + len(words & implied)
        if score:
            scores[col] = score
    if not scores:
        return None
    best = max(scores.values())
    winners = [col for col, s in scores.items() if s == best]
    return (winners[0], best) if len(winners) == 1 else None


def extreme(question: str, text: str, header_start: int) -> Extreme | None:
    """The rows of the table at ``header_start`` in ``text`` (a whole document) that hold the extreme
    ``question`` asks for, in the column it is about; None when it asks for none or names no column."""
    way = asked_way(question)
    table = table_at(text, header_start) if way else None
    if table is None:
        return None
    header, rows = table
    matched = column_match(question, header, rows)
    if matched is None:
        return None
    col = matched[0]
    valued = [(number(r.cells[col]), r) for r in rows if col < len(r.cells)]
    valued = [(v, r) for v, r in valued if v is not None]
    target = max(v for v, _ in valued) if way == "max" else min(v for v, _ in valued)
    winners = tuple(r for v, r in valued if v == target)
    return Extreme(winners, header[col], winners[0].cells[col])
