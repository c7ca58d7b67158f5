"""ask() end to end on the seeds with the real embedder and FAISS: cited answers, abstentions, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_IDS

import rag
from rag import Answer, InvalidQuestionError, ask, ask_stream
from rag.index.store import load_index


def _assert_verbatim(answer: Answer, index_dir: Path) -> None:
    documents = load_index(index_dir).documents
    for c in answer.citations:
        if c.verified:
            assert documents[c.doc_id].text[c.start : c.end] == c.quote


def test_answer_quotes_the_source_and_cites_it(seeds_index: Path):
    answer = ask("Who built the Bushehr nuclear power plant?", index_dir=seeds_index)
    assert not answer.abstained
    assert "Atomstroyexport" in answer.text
    first = answer.citations[0]
    assert first.n == 1 and "[1]" in answer.text
    assert first.verified and first.status == "verified" and "Atomstroyexport" in first.quote
    assert first.doc_id in (SEED_IDS[0], SEED_IDS[1])
    assert (
        first.title and first.author == "Anna Borshchevskaya" and first.date in ("2022-01-11", "2021-02-16")
    )
    assert first.url and first.url.startswith("http")
    _assert_verbatim(answer, seeds_index)
    # The span also points into the original file.
    source = Path(first.source_path).read_text(encoding="utf-8")
    assert first.source_start is not None and first.source_end is not None
    assert "Atomstroyexport" in source[first.source_start : first.source_end]
    assert len(answer.passages) == 5 and [p.n for p in answer.passages] == [1, 2, 3, 4, 5]
    assert set(answer.timings) >= {"retrieve", "generate", "verify", "total"}


def test_answer_to_dict_is_json_ready(seeds_index: Path):
    import json

    data = ask("What did Ryabkov say about the deal?", index_dir=seeds_index).to_dict()
    assert json.loads(json.dumps(data))["citations"][0]["quote"].startswith("As Deputy Foreign Minister")
    assert "far worse for the Russian Federation" in data["citations"][0]["quote"], (
        "the quotation stays whole"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What are the challenges to Taliban rule in Afghanistan?",
        "Which countries competed at the Olympics?",
        "How many centrifuges does Iran operate at Natanz?",
    ],
)
def test_questions_the_articles_do_not_answer_are_abstained(seeds_index: Path, question: str):
    answer = ask(question, index_dir=seeds_index)
    assert answer.abstained
    assert answer.citations == ()
    assert "do not answer" in answer.text
    assert answer.passages, "the closest passages are still shown"


def test_follow_up_uses_the_conversation(seeds_index: Path):
    history = [
        {"role": "user", "content": "Who built the Bushehr nuclear power plant?"},
        {"role": "assistant", "content": "Atomstroyexport built it."},
    ]
    answer = ask("When did they hand it over to Iran?", history=history, index_dir=seeds_index)
    assert not answer.abstained and "September 2013" in answer.text


def test_stream_yields_pieces_then_the_checked_answer(seeds_index: Path):
    items = list(ask_stream("Who built the Bushehr nuclear power plant?", index_dir=seeds_index))
    assert isinstance(items[-1], Answer)
    pieces = [i for i in items[:-1] if isinstance(i, str)]
    assert pieces and "Atomstroyexport" in "".join(pieces)


@pytest.mark.parametrize("question", ["", "   \n\t ", "\x00\x07\x1b", "?!?"])
def test_empty_questions_get_a_clear_error(seeds_index: Path, question: str):
    with pytest.raises(InvalidQuestionError, match="question"):
        ask(question, index_dir=seeds_index)


def test_a_huge_question_is_truncated_and_answered(seeds_index: Path):
    question = "Who built the Bushehr nuclear power plant? " + "blah " * 20_000  # 100,000+ characters
    answer = ask(question, index_dir=seeds_index)
    assert len(answer.question) <= rag.Settings().max_question_chars
    assert any("characters" in note for note in answer.notes)


def test_control_characters_are_removed_not_fatal(seeds_index: Path):
    answer = ask("Who\x00 built\x1b the Bushehr\u200b nuclear power plant?\x7f", index_dir=seeds_index)
    assert answer.question == "Who built the Bushehr nuclear power plant?"
    assert "Atomstroyexport" in answer.text


def test_k_out_of_range_is_refused(seeds_index: Path):
    with pytest.raises(InvalidQuestionError, match="k must be"):
        ask("Who built Bushehr?", k=0, index_dir=seeds_index)


def test_unknown_generator_lists_the_known_ones(seeds_index: Path):
    with pytest.raises(rag.UnknownGeneratorError, match="extractive"):
        ask("Who built Bushehr?", generator="no-such-generator", index_dir=seeds_index)
