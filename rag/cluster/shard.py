"""What one shard replica does: search its memory-mapped shard, and read chunks and documents from it.

A plain class (no Ray import), so it is tested and benchmarked in-process too; ``serving`` turns it into a
Ray Serve deployment. The query arrives already embedded: one embedding per question, not one per shard.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np

from ..index import dense, lexical, store
from ..types import Document

Ranking = tuple[np.ndarray, np.ndarray]
_EMPTY: Ranking = (np.zeros(0, np.int64), np.zeros(0, np.float32))


class ShardSearch:
    """Search over one shard generation (``folder/generation``), memory-mapped, read-only."""

    def __init__(self, folder: str, generation: str) -> None:
        # The generation the top-level manifest names, not the shard's CURRENT: every shard of one
        # top-level generation was built together (same BM25 statistics).
        self.index = store._load_generation(Path(folder) / generation)
        self._rows_of: dict[str, list[int]] | None = None

    def search(
        self, vector: np.ndarray, query: str, n: int, method: str, doc_ids: Collection[str] | None = None
    ) -> tuple[Ranking, Ranking]:
        """(dense ranking, BM25 ranking) of this shard's rows, each at most ``n`` long, best first."""
        chunks = self.index.chunks
        if doc_ids is not None:
            return self._search_within(vector, query, n, method, doc_ids)
        dense_ranking = _EMPTY
        if method != "bm25":
            rerank = None if dense.is_exact(self.index.dense_record) else self.index.vectors
            dense_ranking = dense.dense_search(self.index.faiss_index, vector, n, rerank=rerank)
        bm25_ranking = (
            lexical.bm25_search(self.index.bm25, query, n, len(chunks)) if method != "dense" else _EMPTY
        )
        return dense_ranking, bm25_ranking

    def _search_within(
        self, vector: np.ndarray, query: str, n: int, method: str, doc_ids: Collection[str]
    ) -> tuple[Ranking, Ranking]:
        """Exact scores over the chunks of ``doc_ids`` only (a few documents: cheaper than a filtered ANN)."""
        rows = np.array(sorted(r for d in set(doc_ids) for r in self._rows().get(d, [])), dtype=np.int64)
        if len(rows) == 0:
            return _EMPTY, _EMPTY
        dense_ranking = bm25_ranking = _EMPTY
        if method != "bm25":
            scores = self.index.vectors(rows) @ np.asarray(vector, dtype=np.float32).reshape(-1)
            order = np.argsort(-scores, kind="stable")[:n]
            dense_ranking = (rows[order], scores[order].astype(np.float32))
        if method != "dense":
            ids, scores = lexical.bm25_search(
                self.index.bm25, query, len(self.index.chunks), len(self.index.chunks)
            )
            keep = np.isin(ids, rows)
            bm25_ranking = (ids[keep][:n], scores[keep][:n])
        return dense_ranking, bm25_ranking

    def _rows(self) -> dict[str, list[int]]:
        if self._rows_of is None:
            rows: dict[str, list[int]] = {}
            for row, chunk in enumerate(self.index.chunks):
                rows.setdefault(chunk.doc_id, []).append(row)
            self._rows_of = rows
        return self._rows_of

    def chunks(self, rows: list[int]) -> list[dict[str, Any]]:
        """Chunk id, document, span, text, title and author-box spans of each row."""
        out = []
        for row in rows:
            chunk = self.index.chunks[row]
            document = self.index.documents[chunk.doc_id]
            out.append(
                {
                    "chunk_id": chunk.chunk_id,
                    "doc_id": chunk.doc_id,
                    "start": chunk.start,
                    "end": chunk.end,
                    "text": chunk.text,
                    "title": document.title,
                    "author_box": [list(s) for s in document.author_box_in(chunk.start, chunk.end)],
                }
            )
        return out

    def vectors(self, rows: list[int]) -> np.ndarray:
        return np.asarray(self.index.embeddings[np.asarray(rows, dtype=np.int64)], dtype=np.float32)

    def document(self, doc_id: str) -> Document | None:
        return self.index.documents.get(doc_id)

    def documents(self) -> list[Document]:
        return list(self.index.documents.values())

    def chunk_counts(self) -> dict[str, int]:
        return {doc_id: len(rows) for doc_id, rows in self._rows().items()}

    def where(self) -> dict[str, Any]:
        """This replica's process and files (tests check that workers import this checkout's ``rag``)."""
        import rag

        return {"pid": os.getpid(), "rag": rag.__file__, "generation": str(self.index.path)}
