"""One shard's part of a sharded build, run in a Ray actor (one per shard) in two steps.

``prepare`` puts the shard's chunks and vectors together (new ones from the embedding job, unchanged
documents' from the shard's live generation: they are not embedded again) and counts its BM25 statistics.
The driver sums every shard's counts, then ``write`` writes the shard's generation with the collection's
statistics, so that every shard's BM25 scores as one index of all chunks would. No Ray import here: the
driver wraps this class with ``ray.remote``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RagError
from ..index import bm25_global, store
from ..index.build import index_text
from ..types import Chunk, Document

NewParts = dict[str, tuple[list[Chunk], np.ndarray]]  # doc id -> its new chunks and their vectors


class ShardBuilder:
    """Builds the generation of shard ``shard`` in ``folder``."""

    def __init__(self, shard: int, folder: str, dimension: int) -> None:
        self.shard = shard
        self.folder = Path(folder)
        self.dimension = dimension
        self.documents: list[Document] = []
        self.chunks: list[Chunk] = []
        self.vectors = np.zeros((0, dimension), dtype=np.float32)
        self.texts: list[str] = []

    def prepare(self, documents: list[Document], new_parts: NewParts, reuse: bool) -> dict[str, Any]:
        """Assemble the shard (documents in the given order) and return its ``CorpusStats`` as a dict.

        Raises:
            RagError: a document was neither embedded now nor found in the shard's live generation.
        """
        old = self._old_rows() if reuse and any(d.doc_id not in new_parts for d in documents) else None
        chunks: list[Chunk] = []
        parts: list[np.ndarray] = []
        for document in documents:
            if document.doc_id in new_parts:
                doc_chunks, vectors = new_parts[document.doc_id]
            elif old is not None and document.doc_id in old[1]:
                rows = old[1][document.doc_id]
                doc_chunks = [old[0].chunks[r] for r in rows]
                vectors = np.asarray(old[0].embeddings[rows], dtype=np.float32)
            else:
                raise RagError(
                    f"Shard {self.shard}: document {document.doc_id} has no vectors; rebuild from scratch "
                    f"by deleting {self.folder.parent.parent} and running rag index again."
                )
            chunks.extend(doc_chunks)
            parts.append(vectors)
        self.documents, self.chunks = documents, chunks
        self.vectors = np.concatenate(parts) if parts else np.zeros((0, self.dimension), np.float32)
        by_id = {d.doc_id: d for d in documents}
        self.texts = [index_text(by_id[c.doc_id], c) for c in chunks]
        return bm25_global.count(self.texts).to_dict()

    def write(self, manifest: dict[str, Any], stats: dict[str, Any], dense_index: str, exact_max: int) -> str:
        """Write the shard's generation with the collection's BM25 ``stats``; returns its folder name."""
        manifest = {
            **manifest,
            "documents": {
                d.doc_id: {"content_hash": d.content_hash, "title": d.title} for d in self.documents
            },
            "chunk_count": len(self.chunks),
        }
        path = store.write_generation(
            self.folder,
            manifest,
            self.documents,
            self.chunks,
            self.vectors,
            self.texts,
            dense_index=dense_index,
            exact_max_chunks=exact_max,
            bm25_stats=bm25_global.CorpusStats.from_dict(stats),
        )
        return path.name

    def _old_rows(self) -> tuple[store.StoredIndex, dict[str, list[int]]] | None:
        try:
            current = store.load_index(self.folder)
        except RagError:
            return None
        rows: dict[str, list[int]] = {}
        for row, chunk in enumerate(current.chunks):
            rows.setdefault(chunk.doc_id, []).append(row)
        return current, rows
