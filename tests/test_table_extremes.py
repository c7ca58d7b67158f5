"""Superlatives over a table's column: "Which pump draws the most power?" is answered by the row that holds
the column's extreme, read from the whole table (several chunks long here, the winner in a later chunk),
quoted under the table's header; a question whose superlative names no column of the table is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of

from rag import ask
from rag.answer import table_extremes

# 24 invented pumps: the extremes sit in different parts of the table, so in different chunks.
_PUMPS = [
    (f"Model {chr(65 + i)}{i}", 40 + (i * 37) % 90, 1.5 + (i * 13) % 17 / 2, 300 + (i * 53) % 700)
    for i in range(24)
]
_PUMPS[19] = ("Torrent XL", 260, 3.0, 1450)  # the most power and the highest price, late in the table
_PUMPS[3] = ("Trickle Mini", 15, 0.5, 95)  # the least power, the lowest flow and the cheapest, early
HEADER = "| Pump | Power (W) | Flow (m³/h) | Price (EUR) | Notes |"
TABLE = "\n".join(
    [
        HEADER,
        "| --- | ---: | ---: | ---: | --- |",
        *(
            f"| {name} | {power} | {flow} | {price} | Tested in the spring trial. |"
            for name, power, flow, price in _PUMPS
        ),
    ]
)
CATALOGUE = f"""# Garden pump catalogue

Every pump below was run for a week in the same pond, and its power draw and flow were logged each hour.

## Pumps

{TABLE}

## Warranty

All pumps carry a two-year warranty against faults of manufacture.
"""


@pytest.fixture(scope="module")
def catalogue_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "pump-catalogue", {"pumps.md": CATALOGUE})


@pytest.mark.parametrize(
    ("question", "way"),
    [
        ("Which pump draws the most power?", "max"),
        ("What is the cheapest pump?", "min"),
        ("Which model has the lowest flow?", "min"),
        ("Which is the heaviest?", "max"),
        ("Which pump draws more power, A or B?", None),  # a comparison of two, not an extreme
        ("Which pump has the longer warranty?", "max"),  # "the" + comparative: which of the rows
        ("Which is the cheaper model?", "min"),
        ("What does the warranty cover?", None),
    ],
)
def test_the_way_a_superlative_asks(question: str, way: str | None) -> None:
    assert table_extremes.asked_way(question) == way


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("8.3", 8.3),
        ("€ 1,200", 1200.0),
        ("12 %", 12.0),
        ("240 ms", 240.0),
        ("-4", -4.0),
        ("n/a", None),
        ("Model C", None),
    ],
)
def test_a_cell_number(cell: str, value: float | None) -> None:
    assert table_extremes.number(cell) == value


def test_the_column_is_the_numeric_one_the_question_names_or_implies() -> None:
    header, rows = table_extremes.table_at(TABLE, 0)  # type: ignore[misc]
    assert len(rows) == len(_PUMPS)
    assert table_extremes.column_match("Which pump draws the most power?", header, rows) == (1, 1)
    assert table_extremes.column_match("What is the cheapest pump?", header, rows) == (3, 1)  # implied: price
    assert table_extremes.column_match("Which pump has the lowest flow?", header, rows) == (2, 1)
    assert table_extremes.column_match("Which pump is the quietest?", header, rows) is None  # no such column
    assert table_extremes.column_match("Which pump has the most notes?", header, rows) is None  # not numbers


@pytest.mark.parametrize(
    ("question", "name", "value"),
    [
        ("Which pump draws the most power?", "Torrent XL", "260"),
        ("Which pump is the most expensive?", "Torrent XL", "1450"),
        ("Which pump has the lowest flow?", "Trickle Mini", "0.5"),
        ("What is the cheapest pump in the catalogue?", "Trickle Mini", "95"),
    ],
)
def test_the_row_holding_the_extreme_is_quoted_under_the_header(
    catalogue_index: Path, question: str, name: str, value: str
) -> None:
    from rag.index.store import load_index

    document = load_index(catalogue_index).documents["pumps"]
    answer = ask(question, index_dir=catalogue_index)
    assert not answer.abstained, answer.text
    assert answer.text.startswith(f"**{name}**") and value in answer.text.splitlines()[0]
    quotes = [c.quote for c in answer.citations]
    assert quotes[0] == HEADER
    assert quotes[1].startswith(f"| {name} |") and f"| {value} |" in quotes[1]
    for c in answer.citations:  # verbatim at its span
        assert c.verified and document.text[c.start : c.end] == c.quote


def test_a_superlative_about_no_column_is_not_answered_with_an_extreme(catalogue_index: Path) -> None:
    answer = ask("Which pump is the quietest?", index_dir=catalogue_index)
    assert (
        "Torrent XL" not in answer.text.splitlines()[0] and "Trickle Mini" not in answer.text.splitlines()[0]
    )
