"""Fact sheets and programmes: a short "Label: value" line states its fact, and a programme's row naming a
speaker gives nobody's words (real embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ask_checked, index_of

ADVICE = """Travel advice: Republic of Norland
Issued by the Foreign Travel Desk
Last updated: 3 May 2026

Summary
We advise against travel to the northern fells because of flooding. The capital and the coast are not affected.

Money
The currency is the Norland mark. Cards are accepted in cities.

Emergency number: 999.
"""

PROGRAMME = """# Orchard Growers' Day: programme

**Venue:** Millbrook Hall
**Date:** Saturday 6 June 2026

| Time  | Session | Speaker |
|-------|---------|---------|
| 10:00 | Pruning old apple trees | Ana Pell |
| 11:30 | Pollination and the weather | Dr Ivo Marsh |
"""


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "fact-sheets", {"advice.txt": ADVICE, "programme.md": PROGRAMME})


def test_a_labelled_line_states_its_fact(sheets: Path) -> None:
    answer = ask_checked("What number do I dial in an emergency in Norland?", sheets)
    assert not answer.abstained and answer.citations[0].quote == "Emergency number: 999.", answer.text


def test_a_programme_row_naming_a_speaker_is_not_their_words(sheets: Path) -> None:
    answer = ask_checked("What did Dr Ivo Marsh say about pollination and the weather?", sheets)
    assert answer.abstained and not answer.citations, answer.text
