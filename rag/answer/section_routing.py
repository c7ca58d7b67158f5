"""A question that names a section of a manual by its heading's words reaches that section's opening chunk.

In a long README, "What chunk size is used and why?" shares its words with many passages (a shard-size table,
a paragraph that quotes the question itself) and the section *Chunking* answers it in its own words ("Chunks
are whole sentences packed up to 200 tokens"), so the section can rank below the passages handed to the
answerer. Its heading names what is asked: when every word of a heading is among the question's (ordinary
words, not only names: a section "Before and After Nordline" does not answer every question naming Nordline), the
chunk that opens the section is retrieved too. Only documents with recorded headings (markdown, HTML) have
sections; the answerer still judges the passage like any other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from ..index import lexical
from ..retrieve.retrieval import Hit
from ..retrieve.searcher import Searcher
from ..types import Document

MAX_SECTIONS = 2  # sections a question's words may name and bring in
# How deep in its document's ranking the section's opening chunk is looked for: all of a manual's chunks (a
# README's 216 take ~9 ms, against ~4 ms for 20); a section that opens with a code block ranks low by meaning.
SECTION_DEPTH = 256
# Words that say what kind of question it is, or are in any heading ("how it works"): never what it is about.
_IGNORED = frozenset(
    lexical.tokenize(
        [
            "what who whom whose which when where why how did does do use used work works get make one many much"
        ]
    )[0]
)


def named_sections(
    question: str, documents: Mapping[str, Document], doc_ids: Iterable[str]
) -> list[tuple[str, int, int]]:
    """``(doc_id, start, end)`` of the headings in ``doc_ids`` whose words the question names, in document
    order, at most ``MAX_SECTIONS``."""
    sections = [
        (d.doc_id, start, end)
        for d in (documents.get(i) for i in doc_ids)
        if d is not None
        for start, end, _level in d.headings
        if _folded(d.text[start:end]) != _folded(d.title)  # the title's heading names the whole document
    ]
    if not sections:
        return []  # plain text, PDF, JSONL: nothing to name (and nothing to tokenize)
    asked_terms, lowered_terms = lexical.tokenize(
        [question, " ".join(w for w in question.split() if w[:1].islower())]
    )
    asked, lowered = set(asked_terms) - _IGNORED, set(lowered_terms)
    headings = lexical.tokenize([documents[doc_id].text[start:end] for doc_id, start, end in sections])
    found = [
        section
        for section, words in zip(sections, headings, strict=True)
        if (terms := set(words) - _IGNORED) and terms <= asked and terms & lowered
    ]
    return found[:MAX_SECTIONS]


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def section_hits(retriever: Searcher, query: str, doc_ids: Collection[str]) -> list[Hit]:
    """The hits of the chunks that open the sections ``query`` names in ``doc_ids`` (see ``named_sections``)."""
    documents = retriever.documents
    hits: list[Hit] = []
    named = named_sections(query, documents, doc_ids)
    counts = retriever.chunk_counts() if named else {}
    for doc_id, start, end in named:
        heading = documents[doc_id].text[start:end]
        # The heading with the question ranks the document's chunks; the one that opens the section (the
        # chunker starts a chunk at every section) is kept.
        depth = min(counts.get(doc_id, SECTION_DEPTH), SECTION_DEPTH)
        found = retriever.search(f"{heading} {query}", depth, doc_ids=[doc_id])
        opening = [h for h, p in zip(found, retriever.passages(found), strict=True) if p.start == start]
        hits += opening[:1]
    return hits
