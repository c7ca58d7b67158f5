"""The document list and the outcome of an upload, as escaped HTML."""

from __future__ import annotations

from collections.abc import Sequence

from rag import DocumentInfo, IndexReport

from .sources import esc, human_date, safe_url


def render_documents(documents: Sequence[DocumentInfo]) -> str:
    """A table of what is indexed: title (linked to the original when known), author, date, chunks."""
    if not documents:
        return '<div class="doc-list muted">No documents are indexed yet: add some above.</div>'
    rows = []
    for d in documents:
        url = safe_url(d.url)
        title = esc(d.title)
        if url:
            title = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>'
        rows.append(
            f'<tr><td class="dt">{title}<div class="doc-id">{esc(d.doc_id)}</div></td>'
            f"<td>{esc(d.author or '—')}</td><td>{esc(human_date(d.date) or '—')}</td>"
            f'<td class="num">{d.chunks}</td></tr>'
        )
    chunks = sum(d.chunks for d in documents)
    return (
        f'<div class="doc-list"><div class="doc-count">{len(documents)} documents · {chunks} chunks</div>'
        '<table><thead><tr><th>Title</th><th>Author</th><th>Date</th><th class="num">Chunks</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_upload_report(report: IndexReport, uploaded: Sequence[str] = ()) -> str:
    """What an upload did: documents added or updated, and which of the ``uploaded`` file names could not be
    read and why (files skipped in the index's other sources are not this upload's news)."""
    parts = []
    added = [*report.added, *report.updated]
    if added:
        parts.append(
            f'<div class="ok">Added {len(added)} document{"s" if len(added) != 1 else ""}: '
            f"{esc(', '.join(added))}. They can be asked about now.</div>"
        )
    elif not report.skipped:
        parts.append('<div class="ok">These files were already indexed; nothing changed.</div>')
    for skipped in report.skipped:
        name = skipped.path.replace("\\", "/").rsplit("/", 1)[-1]
        if uploaded and name not in uploaded:
            continue
        parts.append(f'<div class="error">Not added: {esc(name)} — {esc(skipped.reason)}</div>')
    parts.append(
        f'<div class="muted">{report.documents} documents, {report.chunks} chunks indexed; '
        f"{report.embedded_chunks} new chunks embedded in {report.seconds:.1f} s.</div>"
    )
    return f'<div class="upload-report">{"".join(parts)}</div>'


def render_remove_report(report: IndexReport) -> str:
    """What a removal did: the documents that left the index."""
    removed = report.removed
    parts = [
        f'<div class="ok">Removed {len(removed)} document{"s" if len(removed) != 1 else ""}: '
        f"{esc(', '.join(removed))}.</div>"
        if removed
        else '<div class="ok">Nothing was removed.</div>',
        f'<div class="muted">{report.documents} documents, {report.chunks} chunks indexed.</div>',
    ]
    return f'<div class="upload-report">{"".join(parts)}</div>'


def render_upload_error(message: str) -> str:
    """An upload refused as a whole (name, type, size): nothing was stored."""
    return f'<div class="upload-report"><div class="error" role="alert">{esc(message)}</div></div>'


__all__ = ["render_documents", "render_remove_report", "render_upload_error", "render_upload_report"]
