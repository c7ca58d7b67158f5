"""A citation's source as HTML: title, author, date, a link to the original, the passage, quote marked.

All text is escaped before markup is added; a link is made only from an ``http(s)`` address.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from urllib.parse import urlsplit

from rag import Citation, Passage

DocumentText = Callable[[str], str | None]
CONTEXT_CHARS = 400  # shown around a quote when the passage it came from is not known

LABELS = {
    "verified": "✓ exact quote",
    "repaired": "≈ corrected to the source's words",
    "unverified": "✗ not found in the source",
    "reference": "source",
}


def esc(text: object) -> str:
    """``text`` safe to put between tags and inside attribute values."""
    return html.escape(str(text), quote=True)


def multiline(text: str) -> str:
    """Escaped text whose line breaks survive (as ``<br>``) without any newline in the HTML itself."""
    return esc(text.strip()).replace("\r\n", "\n").replace("\n", "<br>")


def human_date(iso: str | None) -> str | None:
    """``2021-02-16`` as ``16 February 2021``; anything else as it is."""
    if not iso:
        return None
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address, else None (no ``javascript:`` or relative links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _byline(author: str | None, date: str | None) -> str:
    return " · ".join(esc(x) for x in (author, human_date(date)) if x)


def _context(
    citation: Citation, passage: Passage | None, document_text: DocumentText
) -> tuple[str, int, int, bool, bool] | None:
    """(text, quote start, quote end, cut before, cut after) to show the quote in, or None without one."""
    if citation.status in ("verified", "repaired") and citation.quote:
        text = document_text(citation.doc_id)
        if text is not None and text[citation.start : citation.end] == citation.quote:
            lo = min(passage.start, citation.start) if passage else max(0, citation.start - CONTEXT_CHARS)
            hi = max(passage.end, citation.end) if passage else min(len(text), citation.end + CONTEXT_CHARS)
            return text[lo:hi], citation.start - lo, citation.end - lo, lo > 0, hi < len(text)
        if passage is not None:  # the document changed since the answer: the passage as retrieved holds it
            at, end = citation.start - passage.start, citation.end - passage.start
            if 0 <= at <= end <= len(passage.text) and passage.text[at:end] == citation.quote:
                return passage.text, at, end, True, True
    return None


def _highlighted(text: str, start: int, end: int, cut_before: bool, cut_after: bool) -> str:
    before, quote, after = text[:start], text[start:end], text[end:]
    return (
        ("…" if cut_before else "")
        + multiline_keep(before)
        + f"<mark>{multiline_keep(quote)}</mark>"
        + multiline_keep(after)
        + ("…" if cut_after else "")
    )


def multiline_keep(text: str) -> str:
    """Like ``multiline`` but keeps leading and trailing white space (the pieces around a highlight)."""
    return esc(text).replace("\r\n", "\n").replace("\n", "<br>")


def render_source_meta(title: str, author: str | None, date: str | None, url: str | None) -> str:
    """Title, byline and a link to the original publication."""
    link = safe_url(url)
    if link:
        host = urlsplit(link).netloc.removeprefix("www.")
        anchor = (
            f'<a class="source-link" href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"Original publication ({esc(host)}) ↗</a>"
        )
    else:
        anchor = '<span class="muted">No link to the original publication is recorded.</span>'
    byline = _byline(author, date)
    return (
        f'<div class="source-meta"><div class="source-title">{esc(title)}</div>'
        + (f'<div class="source-byline">{byline}</div>' if byline else "")
        + anchor
        + "</div>"
    )


def render_citation(citation: Citation, passage: Passage | None, document_text: DocumentText) -> str:
    """One source entry: a summary line that opens to the source card with the quote highlighted."""
    c, status = citation, citation.status
    label = LABELS.get(status, status)
    byline = _byline(c.author, c.date)
    summary = (
        f'<summary><span class="cn c-{esc(status)}">[{c.n}]</span><span class="ct">{esc(c.title)}</span>'
        + (f'<span class="cm">{byline}</span>' if byline else "")
        + f'<span class="badge b-{esc(status)}">{esc(label)}</span></summary>'
    )
    context = _context(c, passage, document_text)
    if context is not None:
        body = f'<div class="passage-text">{_highlighted(*context)}</div>'
        if status == "repaired":
            body = (
                '<div class="muted">The answer\'s words differed slightly; the highlight shows the '
                "document's exact words.</div>"
            ) + body
    elif status == "unverified":
        body = (
            f'<div class="claimed">Quoted as “{multiline(c.quote)}”. These words are not in the cited '
            "passage, so they are not shown as a quote.</div>"
        )
        if passage is not None:
            body += f'<div class="passage-text">{multiline(passage.text)}</div>'
    else:
        body = f'<div class="passage-text">{multiline(passage.text)}</div>' if passage is not None else ""
    where = f"{esc(c.doc_id)} · characters {c.start:,}–{c.end:,}" + (f" · page {c.page}" if c.page else "")
    return (
        f'<details class="citation c-{esc(status)}" data-n="{c.n}">{summary}<div class="source-card">'
        f"{render_source_meta(c.title, c.author, c.date, c.url)}{body}"
        f'<div class="source-where">{where}</div></div></details>'
    )


def render_passage(passage: Passage, *, label: str) -> str:
    """A retrieved passage, collapsed to its title and first words, with a label (``not an answer``)."""
    words = " ".join(passage.text.split())
    snippet = words[:160] + ("…" if len(words) > 160 else "")
    return (
        f'<details class="passage-card"><summary><span class="pn">#{passage.n}</span>'
        f'<span class="ct">{esc(passage.title)}</span><span class="badge b-passage">{esc(label)}</span>'
        f'<span class="snippet">{esc(snippet)}</span></summary><div class="source-card">'
        f'<div class="passage-text">{multiline(passage.text)}</div>'
        f'<div class="source-where">{esc(passage.doc_id)} · characters {passage.start:,}–{passage.end:,}'
        "</div></div></details>"
    )


__all__ = [
    "LABELS",
    "esc",
    "human_date",
    "multiline",
    "render_citation",
    "render_passage",
    "render_source_meta",
    "safe_url",
]
