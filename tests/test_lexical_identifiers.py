"""BM25 terms of names written as code: `RAG_FUSION` is found by "fusion" as well as by its whole name."""

from __future__ import annotations

import pytest

from rag.index import lexical


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("| `RAG_FUSION` | convex |", {"rag_fus", "rag", "fusion", "convex"}, set()),
        ("the strip_exif option", {"strip_exif", "strip", "exif", "option"}, set()),
        ("a plain sentence about fusion", {"fusion", "plain"}, {"rag"}),
        ("a trailing_bar_ is no name", {"trailing_bar_"}, {"trail", "bar"}),  # left whole
    ],
)
def test_a_snake_case_name_gives_its_words_as_terms_too(
    text: str, present: set[str], absent: set[str]
) -> None:
    terms = set(lexical.tokenize([text])[0])
    assert present <= terms and not (absent & terms), terms


def test_a_row_keyed_by_a_name_is_found_by_the_words_of_the_name() -> None:
    rows = [
        "| `MAX_UPLOAD_MB` | 25 | largest file accepted |",
        "| `WORKER_COUNT` | 4 | processes that convert images |",
        *(f"Paragraph {i} about image conversion, thumbnails and the web gallery layout." for i in range(30)),
    ]
    model = lexical.build_bm25(rows)
    ids, _ = lexical.bm25_search(model, "What is the upload limit?", 3, len(rows))
    assert ids[0] == 0
    ids, _ = lexical.bm25_search(model, "How many workers run?", 3, len(rows))
    assert ids[0] == 1
    ids, _ = lexical.bm25_search(model, "What does MAX_UPLOAD_MB set?", 3, len(rows))  # the whole name still
    assert ids[0] == 0
