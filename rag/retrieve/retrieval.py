"""Hybrid retrieval over a stored index: dense (FAISS) and BM25 (bm25s), fused, optionally diversified."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index import dense, lexical, sentence_store
from ..index.embedding import Embedder
from ..index.store import StoredIndex
from ..settings import Settings
from ..types import Document, Passage
from . import fusion


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk (its row in the index) with its fused and per-retriever scores."""

    row: int
    score: float
    dense_score: float | None
    bm25_score: float | None


class Retriever:
    """Searches one loaded index; cheap to create, safe to share between threads (read-only)."""

    def __init__(self, index: StoredIndex, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._sentence_vectors: sentence_store.SentenceStore | None = None

    # The ``Searcher`` protocol (rag/retrieve/searcher.py): what callers may use besides search/passages.
    @property
    def generation(self) -> Path:
        return self.index.path

    @property
    def documents(self) -> Mapping[str, Document]:
        return self.index.documents

    @property
    def term_weights(self) -> dict[str, float]:
        return self.index.term_weights

    @property
    def sentence_vectors(self) -> sentence_store.SentenceStore | None:
        """The sentence vectors stored at index time (``Settings.sentence_vectors``), or None.

        Looked for again while there are none: ``rag index`` with the setting on adds them to an index that is
        otherwise up to date, in its live generation.
        """
        if self._sentence_vectors is None:
            self._sentence_vectors = sentence_store.load(self.index.path)
        return self._sentence_vectors

    def chunk_counts(self) -> dict[str, int]:
        return {doc_id: len(rows) for doc_id, rows in self._rows_by_document.items()}

    @functools.cached_property
    def _rows_by_document(self) -> dict[str, np.ndarray]:
        """Each document's chunk rows, read once per loaded index (document-scoped questions use it on every
        search; walking a million chunks each time would not do)."""
        chunks = self.index.chunks
        by_row = getattr(chunks, "doc_id", None)  # on-demand tables read one field without the whole chunk
        rows: dict[str, list[int]] = {}
        for r in range(len(chunks)):
            rows.setdefault(by_row(r) if by_row else chunks[r].doc_id, []).append(r)
        return {doc_id: np.asarray(r, dtype=np.int64) for doc_id, r in rows.items()}

    def dense(self, query: str, n: int) -> fusion.Ranking:
        # An approximate index's candidates are re-scored from the stored vectors: exact cosines, always.
        rerank = None if dense.is_exact(self.index.dense_record) else self.index.vectors
        return dense.dense_search(self.index.faiss_index, self.embedder.embed_query(query), n, rerank=rerank)

    def bm25(self, query: str, n: int) -> fusion.Ranking:
        return lexical.bm25_search(self.index.bm25, query, n, len(self.index.chunks))

    def search(
        self,
        query: str,
        k: int,
        *,
        method: str | None = None,
        dense_weight: float | None = None,
        use_mmr: bool | None = None,
        doc_ids: Collection[str] | None = None,
    ) -> list[Hit]:
        """The ``k`` best chunks for ``query``, best first.

        ``method`` is "convex", "rrf", "dense" or "bm25"; the defaults come from the settings. ``doc_ids``
        restricts the search to those documents (a question about one named document); None searches all.
        """
        s = self.settings
        method = method or s.fusion
        weight = s.dense_weight if dense_weight is None else dense_weight
        n = max(s.candidates, k)
        if doc_ids is not None:
            dense_ranking, bm25_ranking = self._within(query, n, method, doc_ids)
        else:
            dense_ranking, bm25_ranking = self._rankings(query, n, method)
        fused, dense_scores, bm25_scores = fusion.fuse_rankings(
            dense_ranking, bm25_ranking, method, weight, s.rrf_k
        )
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        if use_mmr if use_mmr is not None else s.mmr:
            pool = ranked[: max(4 * k, 20)]
            vectors = np.asarray(self.index.embeddings[pool], dtype=np.float32)
            ranked = fusion.mmr(pool, [fused[r] for r in pool], vectors, k, s.mmr_lambda)
        return [
            Hit(row=r, score=float(fused[r]), dense_score=dense_scores.get(r), bm25_score=bm25_scores.get(r))
            for r in ranked[:k]
        ]

    def _within(
        self, query: str, n: int, method: str, doc_ids: Collection[str]
    ) -> tuple[fusion.Ranking, fusion.Ranking]:
        """Dense and BM25 rankings of the chunks of ``doc_ids`` only.

        Every chunk of those documents is scored exactly (a named document's chunks may all be outside the
        top candidates of the whole index); BM25 scores the whole index once and keeps their rows.
        """
        chunks = self.index.chunks
        by_document = self._rows_by_document
        found = [by_document[d] for d in dict.fromkeys(doc_ids) if d in by_document]
        rows = np.sort(np.concatenate(found)) if found else np.zeros(0, np.int64)
        empty = (np.zeros(0, np.int64), np.zeros(0))
        if not len(rows):
            return empty, empty
        dense_ranking = empty
        if method != "bm25":
            scores = self.index.vectors(rows).astype(np.float32) @ self.embedder.embed_query(query)
            order = np.argsort(-scores, kind="stable")
            dense_ranking = (rows[order], scores[order])
        bm25_ranking = empty
        if method != "dense":
            found_rows, found_scores = self.bm25(query, len(chunks))
            keep = np.isin(found_rows, rows)
            bm25_ranking = (found_rows[keep], found_scores[keep])
        return dense_ranking, bm25_ranking

    def _rankings(self, query: str, n: int, method: str) -> tuple[fusion.Ranking, fusion.Ranking]:
        """The dense and BM25 rankings ``method`` needs; for a fusion both at once, dense in a worker thread.

        FAISS, the query embedder (onnxruntime) and scipy's sparse product for BM25 release the GIL, so on a
        large index the two halves overlap instead of adding up (README "Speed and scale").
        """
        empty: fusion.Ranking = (np.zeros(0, np.int64), np.zeros(0, np.float32))
        if method == "bm25":
            return empty, self.bm25(query, n)
        if method == "dense":
            return self.dense(query, n), empty
        if len(self.index.chunks) < PARALLEL_MIN_CHUNKS or _workers() == 1:
            return self.dense(query, n), self.bm25(query, n)
        dense_future = _executor().submit(self.dense, query, n)
        bm25_ranking = self.bm25(query, n)
        return dense_future.result(), bm25_ranking

    def passages(self, hits: list[Hit]) -> list[Passage]:
        """Hits as numbered passages (1-based, in rank order)."""
        out = []
        for n, hit in enumerate(hits, start=1):
            chunk = self.index.chunks[hit.row]
            document = self.index.documents[chunk.doc_id]
            out.append(
                Passage(
                    n=n,
                    chunk_id=chunk.chunk_id,
                    doc_id=chunk.doc_id,
                    title=document.title,
                    text=chunk.text,
                    start=chunk.start,
                    end=chunk.end,
                    score=hit.score,
                    dense_score=hit.dense_score,
                    bm25_score=hit.bm25_score,
                    author=document.author,
                    date=document.date,
                    publication=document.publication,
                    author_box=document.author_box_in(chunk.start, chunk.end),
                )
            )
        return out


# Below this many chunks both halves take a few milliseconds at most: a thread hand-off would buy little.
PARALLEL_MIN_CHUNKS = 50_000
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _executor() -> ThreadPoolExecutor:
    """One process-wide pool for the dense halves of concurrent searches (created on first use)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(_workers(), thread_name_prefix="rag-dense")
        return _POOL
