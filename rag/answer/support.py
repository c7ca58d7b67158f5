"""What a checked answer may present as an answer: unsupported text is never passed off as one.

After ``quotes.verify_answer`` has checked every quote, two rules decide what a user reads:

- An answer with no verified (or repaired) quote is an abstention. Its text is the abstention message; what
  the model wrote instead stays available as ``Answer.model_text``, shown collapsed and labelled as the
  model's unsupported text (a weak model answers "What is the capital of Australia?" from memory, and that
  prose must not read as the documents' answer).
- In an answer that does quote, every sentence that carries no marker of a verified quote is listed as
  uncited (``Answer.uncited``), so the chat can set it apart and ``rag eval`` can count it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Citation, Passage
from .generators.extractive import ABSTENTION

_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# What follows a sentence's end and still belongs to it: markers, and the checker's "unverified" note.
_TAIL = re.compile(r"(?:[ \t]*\[\d+(?:\s*,\s*\d+)*\])*(?:[ \t]*\*\(unverified[^)]*\)\*)?")
_END = ".!?…"
_CLOSERS = "\"'”’)]"
# An answer whose model text says no more than this (in any wording the instructions suggest) is a plain
# abstention: there is nothing of the model's worth keeping next to the abstention message.
_DECLINES = re.compile(
    r"^\W*(?:the )?(?:documents|passages) do(?:es)? not answer(?: this| the)? question\W*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Shown:
    """What the answer presents: its text, the sentences no verified quote supports, the model's own text
    when it was not shown as the answer, and whether it is an abstention."""

    text: str
    uncited: tuple[str, ...]
    model_text: str | None
    abstained: bool


def sentences(text: str) -> list[str]:
    """The sentences of answer text, each exactly as it stands in ``text``, with the markers that follow it.

    A blockquote line is one unit, and so are consecutive ``>`` lines up to the one with a marker (a quoted
    code block keeps its lines, its marker on the last); elsewhere sentences end at ``. ! ?`` outside
    quotation marks (a quotation of several sentences is one unit with its marker) before a capital, a digit
    or an opening mark.
    """
    units: list[str] = []
    quoting = False  # the line before was a blockquote line
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(">") and quoting and not _MARKERS.search(units[-1]):
            units[-1] += "\n" + line
            continue
        quoting = line.startswith(">")
        if not line:
            continue
        if quoting:
            units.append(line)
            continue
        units.extend(_split_line(_LIST_ITEM.sub("", line)))
    return [u for u in units if any(ch.isalnum() for ch in _MARKERS.sub("", u))]


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start, depth, ascii_open, i = 0, 0, False, 0
    while i < len(line):
        ch = line[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            ascii_open = not ascii_open
        if (ch in _END or ch == "]") and depth == 0 and not ascii_open:  # "]": a marker after a quotation
            end = i + 1
            while ch in _END and end < len(line) and line[end] in _END + _CLOSERS:
                end += 1
            tail = _TAIL.match(line, end)
            if tail:
                end = tail.end()
            rest = line[end:].lstrip()
            if end == len(line) or (line[end].isspace() and _opens_sentence(rest)):
                out.append(line[start:end].strip())
                start, i = end, end
                continue
        i += 1
    if line[start:].strip():
        out.append(line[start:].strip())
    return out


def _opens_sentence(rest: str) -> bool:
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'(>*"


def _supported(unit: str, verified: set[int]) -> bool:
    return any(int(n) in verified for group in _MARKERS.findall(unit) for n in group.split(","))


# Words a label line may add to what it copies ("*Title* — author: Name", "published in: Outlet").
_LABEL_WORDS = frozenset(
    [
        "author",
        "authors",
        "by",
        "date",
        "published",
        "publication",
        "in",
        "outlet",
        "title",
        "link",
        "on",
        "and",
        "of",
        "the",
    ]
)
_WORD = re.compile(r"\w+")
_UNDER = re.compile(r"Under \*([^*\n]+)\*:")  # the heading a quoted code block or row sits under
# A compared document that says nothing on the topic: a fixed message about a document it was given
SILENT = "no passage on this."
_SILENT = re.compile(r"\*([^*\n]+)\*: " + re.escape(SILENT))


def _copied_label(unit: str, copied: set[str]) -> bool:
    """An emphasised label line (a document's title over its quotes, a short answer line such as
    ``**June 2010**``) whose every word is copied from the verified quotes or their documents' cards: it
    states nothing the quotes do not, so it is not an uncited claim. Plain prose never qualifies."""
    if not unit.lstrip().startswith(("*", "_")):
        return False
    words = {w.lower() for w in _WORD.findall(unit)}
    return bool(words) and words <= copied | _LABEL_WORDS


def uncited_sentences(
    text: str, citations: Sequence[Citation], passages: Sequence[Passage] = ()
) -> tuple[str, ...]:
    """The sentences of ``text`` with no marker of a verified or repaired quote (label lines made only of
    copied words excepted, see ``_copied_label``, and an ``Under *Heading*:`` line whose heading is a line of
    one of the ``passages`` a verified quote comes from, and a ``*Title*: no passage on this.`` line for a
    document among the ``passages``)."""
    verified = {c.n for c in citations if c.verified}
    copied = {
        w.lower()
        for c in citations
        if c.verified
        for field in (c.quote, c.title, c.author or "", c.date or "")
        for w in _WORD.findall(field)
    }
    quoted_from = {c.passage_n for c in citations if c.verified}
    lines = {line.strip() for p in passages if p.n in quoted_from for line in p.text.splitlines()}
    titles = {p.title for p in passages}
    return tuple(
        s
        for s in sentences(text)
        if not _supported(s, verified)
        and not _copied_label(s, copied)
        and not ((m := _UNDER.fullmatch(s.strip())) and m.group(1).strip() in lines)
        and not ((m := _SILENT.fullmatch(s.strip())) and m.group(1) in titles)
    )


def shown_answer(
    text: str,
    citations: Sequence[Citation],
    *,
    from_documents: bool = False,
    passages: Sequence[Passage] = (),
) -> Shown:
    """What the checked answer ``text`` (with its ``citations``, quoted from ``passages``) may present; see
    the module docstring.

    ``from_documents``: the writer composes only the documents' own words, their metadata and fixed messages
    (the extractive generator). Its abstention keeps its text, which says why (a document that is not
    indexed) or gives a value that only the metadata holds (said to have no quote): nothing in it is a
    model's prose.
    """
    if any(c.verified for c in citations):
        return Shown(text, uncited_sentences(text, citations, passages), None, False)
    if from_documents:
        return Shown(text.strip() or ABSTENTION, (), None, True)
    own = text.strip()
    keep = own and own != ABSTENTION and not _DECLINES.match(own)
    return Shown(ABSTENTION, (), own if keep else None, True)


__all__ = ["Shown", "sentences", "shown_answer", "uncited_sentences"]
