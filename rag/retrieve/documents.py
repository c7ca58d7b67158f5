"""Ranking whole documents for a query (a BEIR run, a list of the documents a collection holds on a topic).

Passages are what answers quote, but a document is relevant as a whole. Two evidences, each normalised to
a z-score (how far above the query's typical score a document stands) and added with a weight:

- dense: the document's best chunk among the dense index's top chunks (z over the documents found there;
  a document not found gets the lowest z found);
- BM25 over the whole document, title and text (``bm25_documents/`` of the index; z over every document).

Chosen on SciFact's 809 train queries (README "Retrieval"): ranking documents this way instead of by their
best fused chunk took train nDCG@10 from 0.7303 to 0.7416 (``rag eval --beir``; test 0.7263 to 0.7374).
Whole-document BM25 counts each term once per document however the chunks overlap, and normalises by the
document's length; the z-score keeps one outlying score from flattening the others, as min-max does.

Generations written before ``bm25_documents/`` existed rank documents by their best fused chunk, as before.
"""

from __future__ import annotations

import numpy as np

from ..index import lexical
from .document_rerank import RERANKED, check_rerank, rerank_documents
from .retrieval import Retriever

DENSE_CHUNKS_PER_DOCUMENT = 3  # dense chunks read per document wanted: documents have ~2 chunks each
BM25_WEIGHT = 0.7  # of the whole-document BM25 z-score, the dense one weighing 1 (SciFact train)


def rank_documents(retriever: Retriever, query: str, n: int = 100) -> list[tuple[str, float]]:
    """The ``n`` documents that best match ``query``: (doc_id, score), best first.

    Hybrid (dense best chunk + whole-document BM25) when the index holds ``bm25_documents/``; otherwise each
    document scores its best chunk's fused score (``rank_by_best_chunk``). With ``Settings.document_rerank``
    ``"late"``, the top of that ranking is re-ordered by ``document_rerank.rerank_documents``.

    Raises:
        SettingError: ``Settings.document_rerank`` names no known re-ranking.
    """
    if check_rerank(retriever.settings.document_rerank) == "none" or n <= 0:
        return _rank_documents(retriever, query, n)
    return rerank_documents(retriever, query, _rank_documents(retriever, query, max(n, RERANKED)))[:n]


def _rank_documents(retriever: Retriever, query: str, n: int) -> list[tuple[str, float]]:
    index = retriever.index
    if index.bm25_documents is None or n <= 0:
        return rank_by_best_chunk(retriever, query, n)
    rows, cosines = retriever.dense(query, max(retriever.settings.candidates, DENSE_CHUNKS_PER_DOCUMENT * n))
    best: dict[str, float] = {}
    for row, cosine in zip(rows.tolist(), cosines.tolist(), strict=True):
        best.setdefault(index.chunks[row].doc_id, cosine)  # rows come best first
    dense_z = _z_scores(np.fromiter(best.values(), dtype=np.float64, count=len(best)))
    dense_floor = float(dense_z.min()) if len(dense_z) else 0.0

    ids = index.document_ids
    bm25_z = _z_scores(lexical.bm25_scores(index.bm25_documents, query).astype(np.float64))
    scores = BM25_WEIGHT * bm25_z + dense_floor
    position = {doc_id: i for i, doc_id in enumerate(ids)} if best else {}
    for doc_id, z in zip(best, dense_z.tolist(), strict=True):
        i = position.get(doc_id)
        if i is not None:
            scores[i] += z - dense_floor
    top = lexical.top_rows(scores.astype(np.float32), min(n, len(ids)))
    return [(ids[i], float(scores[i])) for i in top.tolist()]


def rank_by_best_chunk(
    retriever: Retriever,
    query: str,
    n: int = 100,
    *,
    method: str | None = None,
    dense_weight: float | None = None,
) -> list[tuple[str, float]]:
    """Documents ranked by their best chunk's fused score: (doc_id, score), best first, at most ``n``."""
    chunks = retriever.index.chunks
    hits = retriever.search(
        query, k=min(len(chunks), n * 3), method=method, dense_weight=dense_weight, use_mmr=False
    )
    best: dict[str, float] = {}
    for hit in hits:
        best.setdefault(chunks[hit.row].doc_id, hit.score)
    return list(best.items())[:n]


def _z_scores(values: np.ndarray) -> np.ndarray:
    """(value - mean) / standard deviation; all zeros when the values do not vary."""
    if len(values) == 0:
        return values
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)
