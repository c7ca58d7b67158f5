"""The app's look: a quiet theme with system fonts (nothing fetched from the internet) and the answer styles.

Quotes are styled by how they were checked: verified ones are solid green quotations, repaired ones amber,
unverified words red and dashed (and never styled as a quotation by the renderer).
"""

from __future__ import annotations

import gradio as gr

FONTS = [
    "ui-sans-serif",
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Helvetica Neue",
    "Arial",
    "sans-serif",
]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="indigo", neutral_hue="slate", font=FONTS, font_mono=MONO)


CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#app-header { padding: 6px 2px 2px; }
#app-header h1 { font-size: 1.55rem; margin: 0; font-weight: 700; letter-spacing: -0.01em; }
#app-header p { margin: 4px 0 0; color: var(--body-text-color-subdued); }
#chat .message-content { font-size: 0.97rem; line-height: 1.55; }
.user-question { white-space: normal; }
.answer p { margin: 0 0 0.6em; }
.answer ul { margin: 0 0 0.6em 1.2em; }
.answer .searching, .answer .checking { color: var(--body-text-color-subdued); font-style: italic;
  font-size: 0.9em; }
.answer .checking::before { content: "⏳ "; font-style: normal; }
.answer.draft blockquote { border-left: 4px solid #cbd5e1; background: transparent; }
blockquote.quote { margin: 0.25em 0 0.8em; padding: 0.6em 0.9em; border-radius: 6px; font-style: normal;
  font-size: 1.02em; line-height: 1.55; quotes: none; }
blockquote.quote::before, blockquote.quote::after { content: none; }
table.quote-table { border-collapse: collapse; margin: 0; }
table.quote-table th, table.quote-table td { border: 1px solid #cbd5e1; padding: 0.2em 0.6em; text-align: left; }
table.quote-table td.cite { border: 0; }
blockquote.q-verified { border-left: 4px solid #16a34a; background: rgba(22, 163, 74, 0.07); }
blockquote.q-repaired { border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.08); }
blockquote.q-unverified { border-left: 4px dashed #dc2626; background: rgba(220, 38, 38, 0.06); }
blockquote.q-reference { border-left: 4px solid #94a3b8; }
.quote-inline.q-verified { background: rgba(22, 163, 74, 0.10); border-bottom: 2px solid #16a34a; }
.quote-inline.q-repaired { background: rgba(217, 119, 6, 0.10); border-bottom: 2px solid #d97706; }
.quote-inline.q-unverified { border-bottom: 2px dashed #dc2626; }
sup.cite-ref { font-weight: 700; margin-left: 2px; font-size: 0.75em; }
sup.c-verified { color: #15803d; } sup.c-repaired { color: #b45309; } sup.c-unverified { color: #b91c1c; }
.unverified-note { color: #b91c1c; font-size: 0.9em; }
.badge { display: inline-block; font-size: 0.72rem; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  margin-left: 8px; vertical-align: 1px; white-space: nowrap; font-style: normal; }
.b-verified { background: #dcfce7; color: #166534; }
.b-repaired { background: #fef3c7; color: #92400e; }
.b-unverified { background: #fee2e2; color: #991b1b; }
.b-reference, .b-passage { background: #e2e8f0; color: #334155; }
.section-h { font-weight: 600; font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--body-text-color-subdued); margin: 0.9em 0 0.35em; }
.muted { color: var(--body-text-color-subdued); font-weight: 400; text-transform: none; letter-spacing: 0; }
details.citation, details.passage-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  margin: 0 0 6px; background: var(--background-fill-primary); }
details.citation > summary, details.passage-card > summary { cursor: pointer; padding: 7px 10px;
  list-style: none; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; }
details > summary::-webkit-details-marker { display: none; }
details.citation > summary::before, details.passage-card > summary::before { content: "▸"; color: #64748b; }
details[open].citation > summary::before, details[open].passage-card > summary::before { content: "▾"; }
details.citation[open] { box-shadow: 0 1px 3px rgba(15, 23, 42, 0.08); }
.cn, .pn { font-weight: 700; }
.cn.c-verified { color: #15803d; } .cn.c-repaired { color: #b45309; } .cn.c-unverified { color: #b91c1c; }
.ct { font-weight: 600; }
.cm { color: var(--body-text-color-subdued); font-size: 0.88em; }
.snippet { flex-basis: 100%; color: var(--body-text-color-subdued); font-size: 0.86em; margin-left: 16px; }
.source-card { padding: 8px 14px 10px; border-top: 1px solid var(--border-color-primary); }
.source-meta { margin: 6px 0 8px; }
.source-title { font-weight: 700; font-size: 1.02em; }
.source-byline { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 1px 0 3px; }
.source-link { font-size: 0.9em; }
.passage-text { font-size: 0.93em; line-height: 1.6; padding: 8px 10px; border-radius: 6px;
  background: var(--background-fill-secondary); max-height: 320px; overflow-y: auto; }
.passage-text mark { background: #fde68a; color: inherit; padding: 1px 0; border-radius: 2px; }
details.c-repaired .passage-text mark { background: #fed7aa; }
.source-where { color: var(--body-text-color-subdued); font-size: 0.78em; margin-top: 6px;
  font-family: var(--font-mono); }
.claimed { color: #991b1b; font-size: 0.92em; margin: 4px 0 8px; }
.abstained { padding: 0.6em 0.9em; border-radius: 6px; background: rgba(100, 116, 139, 0.08);
  border-left: 4px solid #64748b; }
.abstained p:last-child { margin-bottom: 0; }
.closest details.passage-card { opacity: 0.92; }
.uncited { color: var(--body-text-color-subdued); text-decoration: underline dotted #94a3b8; }
details.model-text { margin-top: 0.6em; font-size: 0.92em; border-left: 4px dashed #dc2626; padding: 0.3em 0.8em; }
details.model-text > summary { cursor: pointer; color: #991b1b; }
details.model-text .model-body { color: var(--body-text-color-subdued); }
details.retrieved { margin-top: 0.8em; font-size: 0.92em; }
details.retrieved > summary { cursor: pointer; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.note { font-size: 0.88em; color: #92400e; margin: 0.2em 0 0.5em; }
.error { color: #991b1b; background: rgba(220, 38, 38, 0.07); border-left: 4px solid #dc2626;
  border-radius: 6px;
  padding: 0.55em 0.85em; margin: 0.2em 0; }
.ok { color: #166534; background: rgba(22, 163, 74, 0.08); border-left: 4px solid #16a34a; border-radius: 6px;
  padding: 0.55em 0.85em; margin: 0.2em 0; }
.upload-report .muted { font-size: 0.85em; margin-top: 4px; }
.answer-foot { color: var(--body-text-color-subdued); font-size: 0.75em; margin-top: 8px; text-align: right; }
.legend { font-size: 0.85em; line-height: 1.9; }
.legend .badge { margin-left: 0; margin-right: 6px; }
.doc-list table { width: 100%; border-collapse: collapse; font-size: 0.93em; border: 0 !important; }
.doc-list th, .doc-list td { border-left: 0 !important; border-right: 0 !important; background: transparent; }
.doc-list th { text-align: left; font-weight: 600; border-bottom: 2px solid var(--border-color-primary);
  padding: 6px 8px; }
.doc-list td { border-bottom: 1px solid var(--border-color-primary); padding: 6px 8px; vertical-align: top; }
.doc-list .num { text-align: right; }
.doc-list .doc-id { font-family: var(--font-mono); font-size: 0.78em; color: var(--body-text-color-subdued); }
.doc-count { color: var(--body-text-color-subdued); font-size: 0.88em; margin-bottom: 6px; }
"""

__all__ = ["CSS", "theme"]
