"""An answer as plain Markdown: its text with ``[n]`` markers, its notes, and a short list of its sources.

A client that shows only text (a chat client over the OpenAI API, an MCP host, an exported conversation)
still shows where every quote comes from. Works on ``Answer.to_dict()`` so fields added later flow through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SOURCES_HEADING = "**Sources**"
SEPARATOR = "\n\n---\n"  # sets the sources apart; also how a later turn recognises (and drops) them

STATUS_LABEL = {
    "verified": "exact quote",
    "repaired": "corrected to the source's words",
    "unverified": "not found",
}


def source_line(citation: Mapping[str, Any]) -> str:
    """``[n] Title (author, date) <url> — doc_id, characters start-end — exact quote``."""
    who = ", ".join(str(x) for x in (citation.get("author"), citation.get("date")) if x)
    parts = [f"[{citation['n']}] {citation.get('title') or citation.get('doc_id')}"]
    if who:
        parts.append(f" ({who})")
    if citation.get("url"):
        parts.append(f" <{citation['url']}>")
    parts.append(f" — {citation.get('doc_id')}")
    if citation.get("verified"):
        parts.append(f", characters {citation.get('start')}-{citation.get('end')}")
    status = citation.get("status", "verified" if citation.get("verified") else "unverified")
    parts.append(f" — {STATUS_LABEL.get(status, status)}")
    return "".join(parts)


def sources_markdown(answer: Mapping[str, Any], notes: list[str] | None = None) -> str:
    """What follows the answer text: its notes, then its sources (empty when it has neither)."""
    lines: list[str] = []
    for note in notes if notes is not None else answer.get("notes", ()):
        lines.append(f"_Note: {note}_")
    citations = answer.get("citations") or []
    if citations:
        if lines:
            lines.append("")
        lines.append(SOURCES_HEADING)
        lines.extend(f"- {source_line(c)}" for c in citations)
    return SEPARATOR + "\n".join(lines) if lines else ""


def answer_markdown(answer: Mapping[str, Any], notes: list[str] | None = None) -> str:
    """The answer text, then its notes and sources (``notes`` replaces the answer's own when given)."""
    return str(answer.get("text", "")) + sources_markdown(answer, notes)


def strip_sources(content: str) -> str:
    """An earlier reply without the sources block this module appended (what a follow-up is answered from)."""
    head, sep, tail = content.rpartition(SEPARATOR)
    if sep and (tail.startswith("_Note:") or tail.startswith(SOURCES_HEADING)):
        return head
    return content
