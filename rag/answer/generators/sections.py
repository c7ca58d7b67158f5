"""A section whose heading names what the question asks about: its opening sentence answers.

In a README or a manual, "What chunk size is used and why?" is answered by the section *Chunking*: "Chunks
are whole sentences packed up to 200 tokens ..., because ...". That sentence says "chunks" and numbers, not
"chunk size", so it scores far under the abstention threshold; its heading says what it is about. So when
no sentence answers, a retrieved section whose heading's words are all among the question's (ordinary
words, not only names: a section "Before and After Nordline" does not answer every question naming Nordline)
is quoted from its opening sentence, with the sentence after it when the question asks why.

Only a fallback before abstaining: a sentence that answers in the question's own words still wins, every
check a quote must pass still applies, and the heading with its sentence must still be near the question
(cosine above the threshold less ``SECTION_SLACK``). Measured on the tests' small manual: "What chunk size is
used and why?" 0.37 and the README's own *Chunking* 0.49, against 0.21 for "What colour are the chunks
painted?"; "Who invented chunking?" (0.33) is still answered with the section's lead, a known limit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from ...index import lexical
from ...index.sentences import split_sentences
from ...types import Passage
from .base import Turn

if TYPE_CHECKING:
    from .extractive import ExtractiveGenerator

MAX_HEADING_WORDS = 5
SECTION_SLACK = 0.25  # cosine under the threshold a heading and its first sentence may be, together
_HEADING = re.compile(r"(?:^|\n\n)(?:#{1,6}\s+)?([^\n]{2,60})\n\n")
_WHY = re.compile(r"\bwhy\b|\breason", re.IGNORECASE)


def _headings(text: str) -> list[tuple[str, int]]:
    """Heading-like lines of ``text`` (a short paragraph of its own without closing punctuation) and where
    the text after each begins."""
    found = []
    for m in _HEADING.finditer(text):
        line = m.group(1).strip()
        if (
            line
            and len(line.split()) <= MAX_HEADING_WORDS
            and line[-1:] not in ".:;,!?"
            and not line.startswith(("|", "```", "~~~", ">", "-", "*"))
        ):
            found.append((line, m.end(1)))
    return found


def names(question: str, heading: str, ignored: Collection[str]) -> bool:
    """Whether every word of ``heading`` (less ``ignored``) is among the question's, a lowercase one among them
    (ordinary words, not only names)."""
    lowered = {t for w in question.split() if w[:1].islower() for t in lexical.tokenize([w])[0]}
    asked = set(lexical.tokenize([question])[0]) - set(ignored)
    terms = set(lexical.tokenize([heading])[0]) - set(ignored)
    return bool(terms) and terms <= asked and bool(terms & lowered)


def section_lead(
    question: str,
    passages: Sequence[Passage],
    ignored: Collection[str],
    quotable,  # (sentence) -> bool: the generator's test of a whole statement
) -> list[tuple[Passage, int, int]]:
    """The opening sentence(s) of the first retrieved section whose heading names what ``question`` asks
    about, as spans of one passage; empty when there is none.

    ``ignored``: terms that say what kind of question it is (what, how, article, ...), not what about.
    """
    for passage in passages:
        for heading, after in _headings(passage.text):
            if not names(question, heading, ignored):
                continue
            spans = [
                (a, b)
                for a, b in split_sentences(passage.text, after)
                if quotable(passage.text[a:b]) and "\n\n" not in passage.text[after:a].strip("\n")
            ]
            wanted = 2 if _WHY.search(question) else 1
            if spans:
                return [(passage, a, b) for a, b in spans[:wanted]]
    return []


def answer(
    gen: ExtractiveGenerator, question: str, passages: Sequence[Passage], history: Sequence[Turn]
) -> list[str]:
    """Quote lines for the section lead of ``question``, when every check a quote must pass holds for it
    (a name the documents lack, a year, a number asked for: see ``ExtractiveGenerator.eligible``)."""
    from .extractive import _QUESTION_WORDS, _quotable

    found = section_lead(question, passages, _QUESTION_WORDS, _quotable)
    if not found:
        return []
    # A sentence in two overlapping passages is scored once, under either: compare places in the document.
    starts = {p.n: p.start for p in passages}
    allowed = {(s.doc_id, starts[s.passage_n] + s.start) for s in gen.eligible(question, passages, history)}
    first, a, b = found[0]
    if (first.doc_id, first.start + a) not in allowed:
        return []
    # The heading and its sentence together must still be near the question: "What colour are the chunks
    # painted?" shares the heading *Chunking* too. (Far under the threshold: the words differ, by design.)
    heading = _heading_of(first, a)
    near = float(gen._vectors([f"{heading}: {first.text[a:b]}"])[0] @ gen.embedder.embed_query(question))
    if near < gen.threshold - SECTION_SLACK:
        return []
    return [f"> {' '.join(p.text[a:b].split())} [{p.n}]" for p, a, b in found]


def named_heading(question: str, passages: Sequence[Passage]) -> str | None:
    """The heading of the retrieved section ``question`` names by its words (see ``section_lead``), if any."""
    from .extractive import _QUESTION_WORDS, _quotable

    found = section_lead(question, passages, _QUESTION_WORDS, _quotable)
    return _heading_of(found[0][0], found[0][1]) if found else None


def _heading_of(passage: Passage, at: int) -> str:
    """The heading whose section's opening sentence starts at ``at`` in ``passage.text``."""
    return next(
        h
        for h, after in _headings(passage.text)
        if after <= at and "\n\n" not in passage.text[after:at].strip("\n")
    )
