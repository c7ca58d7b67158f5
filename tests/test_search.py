"""``rag.search``: the passages retrieval finds, with their scores, over the real seeds index."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag


def test_search_returns_ranked_passages_whose_text_is_the_documents(seeds_index: Path):
    passages = rag.search("Bushehr nuclear power plant Atomstroyexport", 4, index_dir=seeds_index)
    assert [p.n for p in passages] == [1, 2, 3, 4]
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert "Atomstroyexport" in passages[0].text and passages[0].dense_score is not None
    for p in passages:
        assert rag.get_document(p.doc_id, index_dir=seeds_index).text[p.start : p.end] == p.text


def test_search_finds_what_ask_answers_from(seeds_index: Path):
    question = "When did Russia annex Crimea?"
    answer = rag.ask(question, index_dir=seeds_index)
    assert [p.chunk_id for p in rag.search(question, index_dir=seeds_index)] == [
        p.chunk_id for p in answer.passages
    ]


@pytest.mark.parametrize(("query", "k", "says"), [("", 5, "empty"), ("Crimea", 0, "between 1 and 50"),
                                                  ("Crimea", 51, "between 1 and 50")])  # fmt: skip
def test_bad_queries_are_clear_errors(seeds_index: Path, query: str, k: int, says: str):
    with pytest.raises(rag.InvalidQuestionError, match=says):
        rag.search(query, k, index_dir=seeds_index)
