"""A byline with its date, on one line or two, is read as the author and date, and a metadata answer quotes
that line where the file has it (real embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ask_checked, index_of

ONE_LINE = """# Kiln fire closes pottery school

*By Ola Brandt · 9 October 2024*

The pottery school on Dock Lane will stay closed for a month after a fire in its kiln room. Nobody was hurt.
"""

TWO_LINES = """Allotment waiting list passes 400

By Remi Costa
Published 3 February 2025

The town's allotment waiting list has passed 400 names, and new plots will not open before 2027.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "bylines", {"kiln.md": ONE_LINE, "allotments.txt": TWO_LINES})


@pytest.mark.parametrize(
    ("question", "value", "quote"),
    [
        ("Who wrote the article about the kiln fire?", "Ola Brandt", "By Ola Brandt · 9 October 2024"),
        ("When was the kiln fire article published?", "2024-10-09", "By Ola Brandt · 9 October 2024"),
        ("Who wrote the allotment article?", "Remi Costa", "By Remi Costa"),
        ("When was the allotment article published?", "2025-02-03", "Published 3 February 2025"),
    ],
)
def test_the_byline_and_its_date_are_quoted(pages: Path, question: str, value: str, quote: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained and value in answer.text, answer.text
    assert answer.citations[0].quote == quote


def test_a_publisher_line_with_its_date(tmp_path: Path) -> None:
    from rag.ingest import load_file

    page = (
        "Changes to library opening hours\n\nPublished by Westmere District Council, 15 September 2025\n\n"
        "From 1 October the central library will open at nine and close at six on weekdays.\n"
    )
    (tmp_path / "hours.txt").write_text(page, encoding="utf-8")
    document = load_file(tmp_path / "hours.txt", tmp_path)[0]
    assert document.date == "2025-09-15"
    # a paragraph that only starts with "Published" is still text
    assert "Published by Westmere District Council" in document.text
