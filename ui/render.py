"""Answers as HTML for the chat: quotes as quotations with numbered citations, each opening its source.

Every piece of text that comes from a document, a generator or a user goes through ``html.escape`` before any
markup is put around it, and the chat shows the result without Markdown processing: text appears exactly as
written, and a ``<script>`` in a document is shown, never run. The output has no newlines, so nothing between
our tags can be read as Markdown or end an HTML block early.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag import Answer, Citation, Passage

from .sources import LABELS as STATUS_LABELS
from .sources import DocumentText, esc, multiline, render_citation, render_passage

_MARKER = re.compile(r"\[(\d+)\]")
_INLINE_QUOTE = re.compile(r"“([^“”]+)”(\s*)\[(\d+)\]")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_ANSWER_LINE = re.compile(r"\*\*([^*\n]{1,80})\*\*")
# A quoted table row: "| a | b | [2]" (the bars of its first and last cell, then its marker).
_TABLE_ROW = re.compile(r"\s*\|(?P<cells>.*)\|\s*(?P<marker>\[\d+\])?\s*")
_FENCED = re.compile(
    r"(?P<code>(?:```|~~~)[^\n]*\n.*?\n[ \t]*(?:```|~~~))(?P<after>\s*(?:\[\d+\])?)", re.DOTALL
)


def _table(rows: list[re.Match[str]], citations: dict[int, Citation]) -> str:
    """Quoted table rows (a header row, then the rows under it) as a table: each cell's words as quoted,
    each row's marker at its end. The bars are the table's markup, not words of it."""
    out = []
    for i, m in enumerate(rows):
        tag = "th" if i == 0 else "td"
        cells = "".join(f"<{tag}>{esc(cell.strip())}</{tag}>" for cell in m["cells"].split("|"))
        marker = _MARKER.sub(lambda n: _marker(citations, int(n[1])), esc(m["marker"] or ""))
        out.append(f'<tr>{cells}<td class="cite">{marker}</td></tr>')
    return f'<table class="quote-table">{"".join(out)}</table>'


def _status(citations: dict[int, Citation], n: int) -> str:
    citation = citations.get(n)
    return citation.status if citation else "reference"


def _marker(citations: dict[int, Citation], n: int) -> str:
    status = _status(citations, n)
    title = esc(f"Source {n}: {STATUS_LABELS.get(status, status)}")
    return f'<sup class="cite-ref c-{status}" title="{title}">[{n}]</sup>'


def _mark_uncited(text: str, uncited: Sequence[str]) -> str:
    """``text`` with each uncited sentence between \x01 and \x02 (made a styled span once escaped)."""
    for sentence in uncited:
        at = text.find(sentence)
        if at >= 0 and "\x01" not in text[at : at + len(sentence)]:
            text = f"{text[:at]}\x01{sentence}\x02{text[at + len(sentence) :]}"
    return text


_UNCITED_SPAN = '<span class="uncited" title="No verified quote supports this sentence">'


def _inline(text: str, citations: dict[int, Citation], uncited: Sequence[str] = ()) -> str:
    """One paragraph of generator text: escaped, inline quotes and markers styled, light emphasis kept."""
    text = _mark_uncited(text.replace("\x00", "").replace("\x01", "").replace("\x02", ""), uncited)
    out = esc(text)  # NUL marks citation markers below

    def quote(m: re.Match[str]) -> str:
        n = int(m[3])
        return f'<span class="quote-inline q-{_status(citations, n)}">“{m[1]}”</span>{m[2]}\x00{n}\x00'

    out = _INLINE_QUOTE.sub(quote, out)
    out = _MARKER.sub(lambda m: f"\x00{m[1]}\x00", out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EMPHASIS.sub(r"<em>\1</em>", out)
    out = out.replace(
        "<em>(unverified: not found in the cited passage)</em>",
        '<em class="unverified-note">(unverified: these words were not found in the cited passage)</em>',
    )
    out = re.sub("\x00(\\d+)\x00", lambda m: _marker(citations, int(m[1])), out)
    out = out.replace("\x01", _UNCITED_SPAN).replace("\x02", "</span>")
    return out.replace("\n", "<br>")


def _blockquote(lines: list[str], citations: dict[int, Citation], highlight: str | None = None) -> str:
    """A ``> quote [n]`` block: the quoted words exactly as they stand, styled by how they were checked.

    A quoted code block is shown as code, quoted table rows as a table under their header row; ``highlight`` (the answer line's words) is marked where it stands
    in the quote.
    """
    text = "\n".join(re.sub(r"^>\s?", "", line) for line in lines)
    markers = [int(n) for n in _MARKER.findall(text)]
    status = _status(citations, markers[-1]) if markers else "reference"
    fence = _FENCED.fullmatch(text.strip())
    rows = [_TABLE_ROW.fullmatch(line) for line in text.split("\n")]
    if len(rows) > 1 and all(rows):
        body = _table([m for m in rows if m], citations)
    elif fence:
        code = f"<pre><code>{esc(fence['code'])}</code></pre>"
        body = code + _MARKER.sub(lambda m: _marker(citations, int(m[1])), esc(fence["after"]))
    else:
        escaped = esc(text)
        if highlight and esc(highlight) in escaped:
            escaped = escaped.replace(esc(highlight), f'<mark class="answer">{esc(highlight)}</mark>', 1)
        body = _MARKER.sub(lambda m: _marker(citations, int(m[1])), escaped.replace("\n", "<br>"))
    badge = f'<span class="badge b-{status}">{esc(STATUS_LABELS.get(status, status))}</span>'
    return f'<blockquote class="quote q-{status}">{body}{badge}</blockquote>'


def render_text(text: str, citations: Sequence[Citation] = (), uncited: Sequence[str] = ()) -> str:
    """Generator text (Markdown-like: paragraphs, ``>`` quotes, lists, emphasis) as safe HTML; the sentences
    in ``uncited`` (outside blockquotes, which carry their own status) are styled as unsupported."""
    by_n = {c.n: c for c in citations}
    parts: list[str] = []
    answer_words: str | None = None  # a "**2007**" answer line, highlighted in the quote that follows it
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(">") for line in lines):
            parts.append(_blockquote([line.lstrip() for line in lines], by_n, answer_words))
            answer_words = None
            continue
        line = _ANSWER_LINE.fullmatch(block.strip())
        answer_words = line[1] if line else None
        if line:
            parts.append(f"<p>{_inline(block.strip(), by_n)}</p>")
        elif all(_LIST_ITEM.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_LIST_ITEM.sub('', line), by_n, uncited)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(chr(10).join(lines), by_n, uncited)}</p>")
    return "".join(parts)


def render_user(question: str) -> str:
    """The user's question, shown exactly as typed."""
    return f'<div class="user-question">{multiline(question)}</div>'


def render_draft(text: str) -> str:
    """The answer while it is being written: raw generator text, quotes not yet checked."""
    body = render_text(text) if text.strip() else '<p class="searching">Searching the articles…</p>'
    return (
        f'<div class="answer draft">{body}<div class="checking" role="status">'
        f"Checking every quote against the documents…</div></div>"
    )


def render_error(message: str) -> str:
    """A failure the user can act on, in plain words (never a stack trace)."""
    return (
        f'<div class="answer"><div class="error" role="alert"><strong>Could not answer.</strong> '
        f"{multiline(message)}</div></div>"
    )


def _closest(passages: Sequence[Passage], limit: int = 3) -> str:
    items = "".join(render_passage(p, label="not an answer") for p in passages[:limit])
    return (
        (
            f'<div class="closest"><div class="section-h">Closest passages found '
            f'<span class="muted">— not an answer</span></div>{items}</div>'
        )
        if items
        else ""
    )


def _retrieved(passages: Sequence[Passage]) -> str:
    items = "".join(render_passage(p, label=f"score {p.score:.2f}") for p in passages)
    return (
        f'<details class="retrieved"><summary>Retrieved passages ({len(passages)})</summary>{items}</details>'
        if items
        else ""
    )


def render_answer(answer: Answer, document_text: DocumentText, *, show_passages: bool = False) -> str:
    """The verified answer: text with styled quotes and markers, then its sources, each opening its passage.

    Args:
        answer: what ``rag.ask_stream`` finally yields.
        document_text: the cleaned text of a document by id, to show a quote in its context.
        show_passages: also list every retrieved passage with its score.
    """
    parts = ['<div class="answer">']
    if answer.abstained:
        parts.append(f'<div class="abstained">{render_text(answer.text, answer.citations)}</div>')
    else:
        parts.append(render_text(answer.text, answer.citations, answer.uncited))
    model_text = answer.model_text
    if answer.abstained and model_text:
        parts.append(
            '<details class="model-text"><summary>The model\'s own text — not supported by the documents, '
            f'not an answer</summary><div class="model-body">{render_text(model_text, answer.citations)}'
            "</div></details>"
        )
    parts.extend(f'<div class="note">{multiline(note)}</div>' for note in answer.notes)
    passages = {p.n: p for p in answer.passages}
    shown = [] if answer.abstained else list(answer.citations)  # an abstention cites nothing
    if shown:
        cards = "".join(render_citation(c, passages.get(c.passage_n or -1), document_text) for c in shown)
        parts.append(
            f'<div class="sources"><div class="section-h">Sources '
            f'<span class="muted">— open one to see the passage</span></div>{cards}</div>'
        )
    if answer.abstained:
        parts.append(_closest(answer.passages))
    if show_passages:
        parts.append(_retrieved(answer.passages))
    seconds = answer.timings.get("total")
    timing = f" · {seconds:.2f} s" if seconds is not None else ""
    parts.append(f'<div class="answer-foot">{esc(answer.generator)}{timing}</div></div>')
    return "".join(parts)


__all__ = ["STATUS_LABELS", "render_answer", "render_draft", "render_error", "render_text", "render_user"]
