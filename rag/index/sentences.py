"""Sentence boundaries as character spans, for chunking and for picking the sentences to quote.

A small rule-based splitter: fast enough for a million sentences, and it returns spans into the original
string, which is what verbatim quoting needs (a splitter that returns rewritten strings would not do).
"""

from __future__ import annotations

import functools
import re

from . import sections

# Words that end in a period without ending a sentence.
_ABBREVIATION_WORDS = """mr mrs ms dr prof sr jr st vs etc e.g i.e al fig no nos vol pp approx est gen col lt sgt gov sen rep
    jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept univ ca cf"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# End of a sentence: terminal punctuation, optional closing quotes/brackets, then white space.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)""")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_MAX_QUOTED = 800  # characters: an unclosed quotation longer than this is a typo, not one sentence
_OPENERS = "\"'“‘(["


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial (``U.S.``, ``Dr.``, ``J.``)."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower().strip(".")
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: single letters separated by periods.
    return all(len(part) == 1 for part in word.split("."))


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the first non-space character at or after ``pos`` can begin a sentence."""
    m = re.compile(r"\s*").match(text, pos)
    i = m.end() if m else pos
    if i >= len(text):
        return True
    ch = text[i]
    return ch.isupper() or ch.isdigit() or ch in _OPENERS or not ch.isalpha()


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        stop = m.end()
        if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
            continue
        if not _starts_sentence(text, stop):
            continue
        # Inside an open quotation (“Would there be a deal? I think...”) the sentence goes on to its close.
        opened = text.count("“", cursor, stop) - text.count("”", cursor, stop)
        if opened > 0 and stop - cursor < _MAX_QUOTED and "”" in text[stop:end]:
            continue
        spans.append((cursor, stop))
        cursor = stop
    spans.append((cursor, end))
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text[start:end]``, trimmed of surrounding white space.

    Paragraph breaks (a blank line) always end a sentence, so headings and bylines stand alone.
    """
    if start == 0 and end is None and len(text) <= _REMEMBERED_CHARS:
        # A passage: one answer splits each of its passages a dozen times (scoring, then each candidate's
        # context), so the spans of recent passages are remembered.
        return list(_passage_spans(text))
    return _split(text, start, end)


_REMEMBERED_CHARS = 8_000  # a chunk is ~1,000 characters; whole documents (chunking) are not remembered


@functools.lru_cache(maxsize=512)
def _passage_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_split(text, 0, None))


def _split(text: str, start: int, end: int | None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    para_start = start
    for m in [*_PARAGRAPH.finditer(text, start, end), None]:
        para_end = m.start() if m else end
        for s, e in _table_lines(text, para_start, para_end) or _split_paragraph(text, para_start, para_end):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                spans.append((s, e))
        if m:
            para_start = m.end()
    return spans


# A table row: a line that starts and ends with a bar. A paragraph of such lines is a table, and each row is
# one "sentence": a cell that ends with a full stop does not end it, so a quote holds whole rows, bars and all.
_TABLE_ROW = sections.TABLE_ROW  # (matched against one line at a time)


def _table_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The line spans of ``text[start:end]`` when every line of it is a table row; empty otherwise."""
    if text[start:end].lstrip()[:1] != "|":
        return []  # the common case, prose, at the cost of one slice
    spans, at = [], start
    for line in text[start:end].split("\n"):
        if line.strip() and not _TABLE_ROW.fullmatch(line):
            return []
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


CLAUSE_MIN_WORDS = 6  # a shorter clause is a fragment ("he said") that matches anything
# a dash set without spaces ("... uncertain—the administration should ...") breaks too
_CLAUSE_BREAK = re.compile(
    r"(?:(?<=[,;:—–])|(?<=[,;:][”’\"]))\s+|\s+(?=[—–]\s)|(?<=\w[—–])(?=\w)|(?<=\w)(?=[—–]\w)"
)


def clauses(sentence: str) -> list[str]:
    """The clauses of a long sentence (split at commas, semicolons, colons, dashes), fragments dropped.

    The extractive generator scores a long sentence by its best clause as well; the index may store their
    vectors (``sentence_store``), so the split lives here, beside the sentence splitter.
    """
    parts = [p.strip(' ,;:—–”’"“‘') for p in _CLAUSE_BREAK.split(sentence)]
    kept = [p for p in parts if len(p.split()) >= CLAUSE_MIN_WORDS]
    return kept if len(kept) > 1 or (kept and kept[0] != sentence) else []
