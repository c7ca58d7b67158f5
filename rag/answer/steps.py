"""A how-to whose every word a section's heading holds is answered with that section's steps.

"How do I install Tidewater?" in a manual with a section *Installing Tidewater* made of numbered steps (an
HTML ``<ol>``, a markdown list, short paragraphs) and no code block: the steps are the answer, each quoted
whole in document order under the heading. A code block of another section ("Installation" of another
tool's README, whose heading holds only "install") would otherwise be quoted for sharing one word. The rule
is strict on purpose: every word the question asks with (less the words that say it is a question, and
those of the document's title, which every section of it is about) must be in the heading; a section with a
code block is left to the code-block answer. Only documents with recorded headings (markdown, HTML).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ..index import lexical
from ..types import Document, Passage
from .reference import without_title_words

MAX_STEPS = 8  # paragraphs (steps) quoted from one section
# "How do I make soda bread?" of a recipe titled "How to make a simple soda bread": every word asked is the
# title's, so no heading holds one; the steps are then the section a heading calls steps ("Method").
_PROCEDURE = frozenset(lexical.tokenize(["method steps instructions directions procedure preparation"])[0])


def section_steps(
    question: str, passages: Sequence[Passage], documents: Mapping[str, Document], ignored: Collection[str]
) -> tuple[str, list[tuple[Passage, int, int]]] | None:
    """The heading and the ``(passage, start, end)`` spans of the steps of the first retrieved section whose
    heading holds every word of ``question``; None when there is none."""
    asks_something = bool(set(lexical.tokenize([question])[0]) - set(ignored))
    for p in passages:
        document = documents.get(p.doc_id)
        if document is None or not document.headings:
            continue
        asked = set(lexical.tokenize([without_title_words(question, document)])[0]) - set(ignored)
        whole_document = not asked and asks_something
        starts = sorted(a for a, _b, _level in document.headings)
        for a, b, _level in sorted(document.headings):
            if not p.start <= a < p.end:
                continue
            heading = " ".join(document.text[a:b].split())
            said = set(lexical.tokenize([heading])[0])
            if not (said & _PROCEDURE if whole_document else asked and asked <= said):
                continue
            end = min(next((s for s in starts if s > a), len(document.text)), p.end)
            body = document.text[b:end]
            if "```" in body or "~~~" in body:
                return None  # a section with a code block: the code block answers
            spans, at = [], b - p.start
            for paragraph in p.text[at : end - p.start].split("\n\n"):
                stripped = paragraph.strip()
                if stripped:
                    start = p.text.index(stripped, at)
                    spans.append((p, start, start + len(stripped)))
                at += len(paragraph) + 2
            if spans:
                return heading, spans[:MAX_STEPS]
    return None


def steps_answer(
    question: str, passages: Sequence[Passage], documents: Mapping[str, Document], ignored: Collection[str]
) -> list[str]:
    """Answer lines: "Under *heading*:" and each step quoted whole; empty when no section answers."""
    found = section_steps(question, passages, documents, ignored)
    if found is None:
        return []
    heading, spans = found
    return [f"Under *{heading}*:", *(f"> {' '.join(p.text[a:b].split())} [{p.n}]" for p, a, b in spans)]
