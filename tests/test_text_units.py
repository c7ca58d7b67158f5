"""Sentences, tokens and chunks: the units quotes and retrieval are made of."""

from __future__ import annotations

import pytest

from rag.index.chunking import ChunkerSettings, chunk_document, chunk_text
from rag.index.sentences import split_sentences
from rag.index.tokens import count_tokens, get_encoding
from rag.types import Document


def test_tiktoken_encoding_loads_offline():
    enc = get_encoding()
    assert enc.name == "cl100k_base"
    assert enc.decode(enc.encode("Bushehr nuclear power plant")) == "Bushehr nuclear power plant"
    assert count_tokens("hello world") == 2


def test_sentences_respect_abbreviations_quotes_and_paragraphs():
    text = (
        "The U.S. State Department disputed it in great detail. Mr. Smith said “no.” Then he left!\n\n"
        "A heading\n\nAccording to the Tehran Times, trade rose to $2 billion in 2019. Was it 40 percent?"
    )
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "The U.S. State Department disputed it in great detail.",
        "Mr. Smith said “no.”",
        "Then he left!",
        "A heading",
        "According to the Tehran Times, trade rose to $2 billion in 2019.",
        "Was it 40 percent?",
    ]


def test_a_passage_split_again_gives_the_same_spans_in_a_list_of_its_own():
    text = "Mr. Smith said “no.” Then he left!\n\nA heading\n\nTrade rose to $2 billion in 2019. Was it 40 percent?"
    first = split_sentences(text)
    first.append((0, 1))  # a caller changing its list must not change what the next caller gets
    assert split_sentences(text) == first[:-1] == [(0, 20), (21, 34), (36, 45), (47, 80), (81, 99)]
    assert split_sentences(text, 21) == first[1:-1]  # a part of a text is split as before
    long = "A sentence of a long document. " * 400  # a whole document: split, not remembered
    assert len(split_sentences(long)) == 400


def test_chunks_are_spans_of_whole_sentences_within_budget_and_overlapping():
    sentence = "Moscow officially gave Tehran control of the Bushehr nuclear power plant in September {}. "
    text = "".join(sentence.format(2000 + i) for i in range(60))
    settings = ChunkerSettings(chunk_tokens=64, overlap_tokens=30)  # a sentence is ~18 tokens
    spans = chunk_text(text, settings)
    assert len(spans) > 5
    for start, end in spans:
        assert count_tokens(text[start:end]) <= 64
        assert text[start:end].startswith("Moscow") and text[start:end].endswith(".")
    for (_, prev_end), (next_start, _) in zip(spans, spans[1:], strict=False):
        assert next_start < prev_end, "consecutive chunks overlap"
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace()), "every character is in a chunk"


def test_a_sentence_longer_than_the_budget_is_cut_on_token_boundaries():
    text = "word " * 500 + "end."
    spans = chunk_text(text, ChunkerSettings(chunk_tokens=100, overlap_tokens=10))
    assert len(spans) >= 5
    assert all(count_tokens(text[s:e]) <= 100 for s, e in spans)


def test_no_chunk_exceeds_the_embedders_window(embedder):
    """A chunk the embedder would silently truncate is a bug: check with its own tokenizer."""
    # Word pieces outnumber cl100k tokens for rare words, so a chunk within the tiktoken budget can overflow.
    text = " ".join(f"Xylophonic{i}zq quuxbarbazian{i}." for i in range(400))
    document = Document(doc_id="rare", text=text, title="A title that also takes room in the window")
    settings = ChunkerSettings(chunk_tokens=240, overlap_tokens=40)

    def fits(chunk: str) -> bool:
        return embedder.count_tokens([f"{document.title}\n{chunk}"])[0] <= embedder.max_tokens

    unchecked = chunk_text(text, settings)
    assert any(not fits(text[s:e]) for s, e in unchecked), "the test text must overflow without the check"
    chunks = chunk_document(document, settings, fits)
    assert chunks and all(fits(c.text) for c in chunks)
    assert all(c.text == text[c.start : c.end] for c in chunks)


@pytest.mark.parametrize("chunk_tokens,overlap", [(8, 0), (100, 60)])
def test_chunker_settings_are_validated(chunk_tokens, overlap):
    with pytest.raises(ValueError):
        ChunkerSettings(chunk_tokens=chunk_tokens, overlap_tokens=overlap)
