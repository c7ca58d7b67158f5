"""Markdown inline markup removed from one block, keeping the visible words and their offsets.

Everything here only *drops* characters of the original (link targets, ``**``, escaping backslashes,
ornaments), so every cleaned character is still a copy of the file. Each stage masks what it dropped so a
later stage cannot match inside a URL that is already gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.ingest.textmap import Piece

_MASK = "\x00"
_URL_START = r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|/[\w%~.-]|#|mailto:)"
# [text](target "title"): text may hold escapes; target may hold one level of balanced parentheses.
LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:\\.|[^\[\]\\])*)\]"
    r"\((?P<url><[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"\n]*\")?\)"
)
# Converted pages repeat a link's target inside its text, escaped: "[Name \(/experts/name\)](/experts/name)".
_ESCAPED_URL = re.compile(r"[ \t]*\\\(" + _URL_START + r"[^\s\\]*\\\)")
_PAREN_AUTOLINK = re.compile(r"[ \t]*\(<[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*>\)")
_PAREN_URL = re.compile(r"[ \t]*\((?:[a-zA-Z][a-zA-Z0-9+.-]*://|/[\w%~.-])[^\s()]*\)")
_AUTOLINK = re.compile(r"(<)[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*(>)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_STAR_EMPHASIS = re.compile(r"(?<![\\\w*])(\*{1,3})(?![\s*])(.+?)(?<![\s\\*])\1(?![\w*])", re.S)
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\\\w_])(_{1,3})(?![\s_])(.+?)(?<![\s\\_])\1(?![\w_])", re.S)
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_ORNAMENT = re.compile(r"[ \t]*[❖◆◇■□★☆✦✧]")
_ALWAYS = re.compile(r"[\r\ufeff]|[ \t]+(?=\n)")


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos:
            a = pos
        if b <= a:
            continue
        parts.append(text[pos:a])
        parts.append(_MASK * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def _link_spans(masked: str) -> list[tuple[int, int]]:
    """Drops for ``[text](url)``: brackets, target, a target repeated inside the text; images whole."""
    drops: list[tuple[int, int]] = []
    for m in LINK.finditer(masked):
        if m.group("bang"):
            drops.append(m.span())
            continue
        drops.append((m.start(), m.start("text")))
        drops.append((m.end("text"), m.end()))
        base = m.start("text")
        drops.extend((base + e.start(), base + e.end()) for e in _ESCAPED_URL.finditer(m.group("text")))
    return drops


def _emphasis_spans(masked: str) -> list[tuple[int, int]]:
    drops: list[tuple[int, int]] = []
    for pattern in (_STAR_EMPHASIS, _UNDERSCORE_EMPHASIS):
        for m in pattern.finditer(masked):
            drops.append(m.span(1))
            drops.append((m.end(2), m.end()))
    return drops


def _spans_of(pattern: re.Pattern[str], masked: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(masked) if m.end() > m.start()]


def _complement(text: str, drops: list[tuple[int, int]], base: int) -> Iterator[Piece]:
    pos = 0
    for a, b in sorted(drops):
        if a > pos:
            yield Piece(text[pos:a], base + pos)
        pos = max(pos, b)
    if pos < len(text):
        yield Piece(text[pos:], base + pos)


def _no_double_spaces(pieces: list[Piece]) -> list[Piece]:
    """Where a drop left two spaces side by side ("word [](#) word"), skip the second one."""
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].text[-1:] in (" ", "\n") and piece.text[:1] == " ":
            assert piece.source_start is not None
            piece = Piece(piece.text[1:], piece.source_start + 1)
            if not piece.text:
                continue
        out.append(piece)
    return out


def clean_inline(raw: str, start: int, *, markdown: bool = True) -> list[Piece]:
    """Copied pieces of ``raw`` (found at ``start`` in the original) with markup dropped, words kept.

    With ``markdown=False`` (plain prose) only carriage returns, byte-order marks, trailing spaces and
    ornaments are dropped, so the text comes through otherwise unchanged.
    """
    drops = _spans_of(_ALWAYS, raw) + _spans_of(_ORNAMENT, raw)
    masked = _mask(raw, drops)
    if markdown:
        for stage in (
            lambda s: _spans_of(_HEADING, s),
            _link_spans,
            lambda s: _spans_of(_PAREN_AUTOLINK, s) + _spans_of(_PAREN_URL, s) + _spans_of(_ESCAPED_URL, s),
            lambda s: [span for m in _AUTOLINK.finditer(s) for span in (m.span(1), m.span(2))],
            _emphasis_spans,
            _emphasis_spans,  # a second pass for emphasis nested in emphasis ("**a *b* c**")
            lambda s: _spans_of(_ESCAPE, s),
        ):
            found = stage(masked)
            drops.extend(found)
            masked = _mask(masked, found)
    return _no_double_spaces(list(_complement(raw, drops, start)))


def links(raw: str) -> list[tuple[str, str]]:
    """``(visible text, target)`` of each markdown link in ``raw``; a target hidden as ``\\(url\\)`` in the
    text is used when the real target is only ``#``."""
    found: list[tuple[str, str]] = []
    for m in LINK.finditer(raw):
        if m.group("bang"):
            continue
        text, url = m.group("text"), m.group("url").strip("<>")
        hidden = _ESCAPED_URL.search(text)
        if hidden and url in ("", "#"):
            url = hidden.group().strip()[2:-2]
        visible = "".join(p.text for p in clean_inline(text, 0)).strip()
        found.append((visible, url))
    return found


def is_link_only(raw: str) -> bool:
    """True when the block is nothing but links (and separators like ``/``, ``|``): a nav or language bar."""
    rest = LINK.sub("", raw)
    return LINK.search(raw) is not None and not re.sub(r"[\s/|·•,;\-–—❖◆*]+", "", rest)


def is_bold_only(raw: str) -> bool:
    """True when the whole block is one bold run, as names in author boxes are written (``**Name**``)."""
    return re.fullmatch(r"\s*(\*\*|__)[^*_\n]+\1\s*", raw) is not None
