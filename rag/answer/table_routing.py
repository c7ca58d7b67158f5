"""Table rows reach the answerer: from deeper in the ranking, and with the chunk that holds their header.

A question about one value of a configuration table ("What is the default abstention threshold?") is
answered by one row among dozens, in a chunk of rows whose vector and BM25 terms are the average of all of
them: the chunk ranks below prose that shares the question's words. So when the documents the question
reaches hold tables, the best few passages holding table rows come along from deeper in the ranking
(``row_hits``, as a how-to's code blocks do), and the answerer picks the row by its own words.

A passage that holds rows of a table begun in an earlier chunk brings the chunk with the table's header.

A table longer than a chunk is cut between rows (``rag/index/sections.py``), so only its first chunk holds
the header row ("| Option | Default | Meaning |"). A row found in a later chunk means little without it, and
the answer shows a row under its header, each quoted verbatim from the passage that holds it: the header's
chunk is retrieved alongside, however it ranks. Only documents with recorded headings have such tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..index.sections import TABLE_ROW as _ROW
from ..retrieve.retrieval import Hit
from ..retrieve.searcher import Searcher
from .structured import heading_before, table_header

ROW_POOL = 30  # how deep a question looks for passages that hold table rows
ROW_PASSAGES = 2  # passages with table rows added from that depth
MAX_TABLES = 2  # tables whose header chunk is brought in for one question
FIRST_DEPTH = 10  # where the header's chunk is looked for first
HEADER_DEPTH = 256  # how deep in its document's ranking the header's chunk is looked for (as for sections)


def row_hits(retriever: Searcher, query: str, hits: list[Hit], doc_ids: Sequence[str] | None) -> list[Hit]:
    """Up to ``ROW_PASSAGES`` passages holding table rows from the top ``ROW_POOL``, past ``hits``; none when
    no document of ``hits`` has headings and a table (plain articles: no extra search)."""
    documents = retriever.documents
    reached = {p.doc_id for p in retriever.passages(hits)}
    if not any(
        (d := documents.get(doc_id)) is not None and d.headings and _ROW.search(d.text) for doc_id in reached
    ):
        return []
    held = {h.row for h in hits}
    pool = [h for h in retriever.search(query, ROW_POOL, doc_ids=doc_ids) if h.row not in held]
    return [h for h, p in zip(pool, retriever.passages(pool), strict=True) if _ROW.search(p.text)][
        :ROW_PASSAGES
    ]


def header_hits(retriever: Searcher, hits: list[Hit]) -> list[Hit]:
    """Hits of the chunks holding the header rows of tables whose later rows ``hits`` hold without it."""
    passages = retriever.passages(hits)
    wanted: dict[tuple[str, int], tuple[int, int]] = {}  # (doc_id, header start) -> header span
    for p in passages:
        if not p.text.lstrip().startswith("|"):
            continue  # a table's later chunk starts with a row (a chunk never starts mid-table otherwise)
        document = retriever.documents.get(p.doc_id)
        if document is None or not document.headings:
            continue
        at = p.start + len(p.text) - len(p.text.lstrip())
        span = table_header(document.text, at)
        if span is not None and not p.start <= span[0] < span[1] <= p.end:
            wanted.setdefault((p.doc_id, span[0]), span)
    found: list[Hit] = []
    held = {(p.doc_id, p.start, p.end) for p in passages}
    counts = retriever.chunk_counts() if wanted else {}
    for (doc_id, _), (a, b) in list(wanted.items())[:MAX_TABLES]:
        if any(d == doc_id and s <= a and b <= e for d, s, e in held):
            continue
        text = retriever.documents[doc_id].text
        query = f"{heading_before(text, a)} {text[a:b]}"  # the table's first chunk holds both
        # Near the top as a rule: a deep search (a README's every chunk) only when it is not.
        depths = dict.fromkeys(min(counts.get(doc_id, HEADER_DEPTH), d) for d in (FIRST_DEPTH, HEADER_DEPTH))
        for depth in depths:
            ranked = retriever.search(query, depth, doc_ids=[doc_id])
            passages = retriever.passages(ranked)
            holding = [h for h, q in zip(ranked, passages, strict=True) if q.start <= a and b <= q.end]
            if holding:
                found.append(holding[0])
                break
    return found
