"""A comparison asked of *each* document ("What price tag does each piece put on X?", "the three pieces"): every
document's part is quoted, though one puts it in other words than the question's ("puts the whole programme at
$480 million"), as a document the question names may; and "What do the three pieces say ..." asks what the
documents say, not the words of a speaker called "the three pieces" (real embedder, real index of pages written
here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of

PAGES = {
    "a.txt": """The Clearwater Mission Is Worth Its Price

by [Ana Roe \\(/experts/ana-roe\\)](/experts/ana-roe)

May 2, 2025

Commentary

The agency should fund the Clearwater mission in full.

The Clearwater mission will cost about $410 million over eight years, most of it for the launch and the two landers. Members have already paid for the design studies.

The mission would map the ice shelf in detail for the first time.
""",
    "b.txt": """Clearwater Is Too Dear for a Small Agency

by [Ivo Marsh \\(/experts/ivo-marsh\\)](/experts/ivo-marsh)

May 9, 2025

Op-Ed

The agency cannot afford Clearwater and should shrink it.

Counting the launch services the agency buys from outside, the bill for Clearwater comes to $520 million, more than the agency spends on science in four years.

A smaller orbiter would do most of the work.
""",
    "c.txt": """What the Clearwater Quarrel Is Really About

by [Tea Lund \\(/experts/tea-lund\\)](/experts/tea-lund)

May 20, 2025

Analysis

The quarrel over Clearwater is about who decides, not about money.

Ana Roe's commentary puts the cost of the Clearwater mission at about $410 million. Our own estimate, which adds the ground stations, puts the whole programme at $480 million. The members disagree about who should host the control centre.

The agency's council meets in June.
""",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "each_compared", PAGES)


@pytest.mark.parametrize(
    "question",
    [
        "What price tag does each piece put on the Clearwater mission?",
        "What do the three pieces say the Clearwater mission will cost?",
    ],
)
def test_each_document_gives_its_part(pages: Path, question: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    for figure in ("$410 million", "$520 million", "$480 million"):
        assert figure in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"a", "b", "c"}, answer.text


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What do the three pieces say the mission will cost?", None),
        ("What do the analyses say about the launch?", None),
        ("What did Ana Roe say about the launch?", "Roe"),  # (named again by surname)
    ],
)
def test_documents_are_no_speaker(question: str, who: str | None) -> None:
    assert answer_checks.speaker(question) == who


def test_a_document_gives_its_own_figure_not_only_the_one_it_reports(pages: Path) -> None:
    # the analysis reports the commentary's figure, then gives its own: its own is what it says
    answer = ask_checked("What price tag does each piece put on the Clearwater mission?", pages)
    part = answer.text.split("**What the Clearwater Quarrel Is Really About**")[1].split("**")[0]
    assert "$480 million" in part, answer.text
