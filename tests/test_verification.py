"""Verification of LLM answers: what is verified, what is repaired to the document's words, what is refused.

The texts are the kinds of answer a language model writes: quotes with small copying slips, a wrong passage
number, quotes with no marker, several numbers in one marker, and quotes that change what the source says.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rag.answer.quotes import REPAIR_MIN_RATIO, closest_span, verify_answer
from rag.index.store import load_index
from rag.types import Document, Passage

TEXT = (
    "Intro line.\n\nRussia’s handling of the S-300 missile sale to Iran further illuminates how Putin often "
    "works against U.S. goals. Moscow signed the contract in 2007 but did not deliver the system until "
    "2016.\n\nThe Bushehr nuclear power plant had been built and previously operated by the Russian "
    "state-owned company Atomstroyexport."
)
DOC = Document(doc_id="d1", text=TEXT, title="Title", authors=("Anna B",))
SPLIT = TEXT.index("The Bushehr")
PASSAGES = [
    Passage(
        n=1, chunk_id="d1#0", doc_id="d1", title="Title", text=TEXT[:SPLIT], start=0, end=SPLIT, score=0.9
    ),
    Passage(
        n=2,
        chunk_id="d1#1",
        doc_id="d1",
        title="Title",
        text=TEXT[SPLIT:],
        start=SPLIT,
        end=len(TEXT),
        score=0.8,
    ),
]


def _check(raw: str):
    result = verify_answer(raw, PASSAGES, {"d1": DOC})
    for c in result.citations:
        if c.verified:  # the promise: what is shown as a quote is the document's text at the recorded span
            assert TEXT[c.start : c.end] == c.quote and f"{c.quote}" in result.text
    return result


@pytest.mark.parametrize(
    "raw, expected",
    [
        # a changed word form, and a dropped word
        (
            "“Russia handled the S-300 missile sale to Iran further illuminates how Putin works against U.S. goals.” [1]",
            "Russia’s handling of the S-300 missile sale to Iran further illuminates how Putin often works against "
            "U.S. goals.",
        ),
        # "US" for "U.S.", an article added
        ('"Putin often works against the US goals" [1]', "Putin often works against U.S. goals"),
        # plural for singular, as a blockquote with quotation marks around it
        (
            "> “The Bushehr nuclear power plants had been built and previously operated by the Russian state-owned "
            "company Atomstroyexport” [2]",
            "The Bushehr nuclear power plant had been built and previously operated by the Russian state-owned company "
            "Atomstroyexport",
        ),
    ],
)
def test_a_quote_with_copying_slips_is_repaired_to_the_documents_words(raw: str, expected: str):
    result = _check(raw)
    (c,) = result.citations
    assert c.status == "repaired" and c.verified and c.quote == expected
    assert "unverified" not in result.text


@pytest.mark.parametrize(
    "raw",
    [
        "“Moscow signed the contract in 2009 but did not deliver the system until 2016.” [1]",  # a number
        "“Moscow signed the contract in 2007 and delivered the system until 2016.” [1]",  # a negation dropped
        "“Russia’s handling of the S-300 missile sale to Iran further illuminates how Putin often works for U.S. "
        "goals.” [1]",  # another word, not another form of it
        "“Aliens built the Bushehr nuclear power plant” [2]",  # the source's half of a claim
        "“Putin works against” [1]",  # too short to repair
        "“Moscow wanted to help the Iranian nuclear program for decades” [1]",  # a paraphrase
    ],
)
def test_a_quote_that_says_something_else_is_not_repaired_but_marked(raw: str):
    result = _check(raw)
    (c,) = result.citations
    assert c.status == "unverified" and not c.verified
    assert "“" not in result.text and '"' not in result.text and "*(unverified" in result.text


def test_a_verbatim_quote_with_the_wrong_number_is_cited_to_the_passage_that_says_it():
    result = _check("“had been built and previously operated by the Russian state-owned company” [1]")
    (c,) = result.citations
    assert c.verified and c.status == "repaired" and c.passage_n == 2


def test_several_numbers_in_one_marker_and_quote_punctuation_are_handled():
    result = _check(
        "Putin “often works against U.S. goals,” [1, 2] as ... “Intro line.” [7, 1] and see [2, 9]."
    )
    assert [(c.status, c.passage_n) for c in result.citations] == [
        ("verified", 1),
        ("verified", 1),
        ("reference", 2),
    ]
    assert result.text == "Putin “often works against U.S. goals” [1] as ... “Intro line.” [2] and see [3]."


def test_unmarked_quotes_are_checked_against_every_passage():
    result = _check(
        'He wrote "Putin often works against U.S. goals" and "Putin sold the bombs to everyone". A '
        '"so-called" deal.'
    )
    (c,) = result.citations
    assert c.verified and c.status == "verified" and c.quote == "Putin often works against U.S. goals"
    assert "“Putin often works against U.S. goals” [1]" in result.text
    assert "Putin sold the bombs to everyone *(unverified: not found in the documents)*" in result.text
    assert 'A "so-called" deal.' in result.text, "a two-word scare quote is left alone"


def test_a_blockquote_without_a_marker_is_cited_or_unquoted():
    result = _check("> Moscow signed the contract in 2007\n> The moon is made of cheese and sold by Russia")
    assert [c.status for c in result.citations] == ["verified"]
    assert result.text.startswith("> Moscow signed the contract in 2007 [1]\n")
    assert result.text.endswith(
        "The moon is made of cheese and sold by Russia *(unverified: not found in the documents)*"
    )


def test_repair_threshold_is_what_the_module_says():
    assert REPAIR_MIN_RATIO == 0.8
    # 7 of 8 words, in order, with one substituted by a different form: 2*7/16 = 0.875 -> repaired
    assert closest_span("Moscow signs the contract in 2007 but did", TEXT) is not None
    # half the words replaced -> not repaired
    assert closest_span("Moscow bought a missile in 2007 but never did", TEXT) is None


def test_random_word_salad_from_the_seeds_is_never_shown_as_a_quote(seeds_index: Path):
    """Quotes made of real words of the passages, shuffled, as a language model's nonsense might be."""
    index = load_index(seeds_index)
    documents = index.documents
    doc = documents[sorted(documents)[0]]
    passages = [
        Passage(
            n=i + 1,
            chunk_id=f"c{i}",
            doc_id=doc.doc_id,
            title=doc.title,
            text=doc.text[s : s + 800],
            start=s,
            end=s + 800,
            score=1.0,
        )
        for i, s in enumerate(range(0, 4000, 800))
    ]
    rng = random.Random(7)
    words = doc.text[:4000].split()
    raw = " ".join(f"“{' '.join(rng.sample(words, 8))}” [{rng.randint(1, 7)}]" for _ in range(40))
    result = verify_answer(raw, passages, documents)
    for c in result.citations:
        if c.verified:
            assert doc.text[c.start : c.end] == c.quote
    assert sum(c.verified for c in result.citations) == 0, "shuffled words are neither verbatim nor close"
