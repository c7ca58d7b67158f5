"""The retrieval seam: what answering, the UI, the CLI and the evaluation need from "an index to search".

Two implementations satisfy it: ``Retriever`` (one index folder, searched in this process) and the sharded
index on a Ray cluster (``rag.cluster.router.ShardedSearcher``: shards served by Ray Serve, fanned out to and
fused by the same ``fusion`` code). Callers hold a ``Searcher`` and never know which one they have.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..types import Document, Passage
from .retrieval import Hit


@runtime_checkable
class Searcher(Protocol):
    """Search one index: dense, BM25 and their fusion over candidates, with the scores of each."""

    @property
    def generation(self) -> Path:
        """The live generation folder this searcher reads (a new one means: load again)."""
        ...

    @property
    def documents(self) -> Mapping[str, Document]:
        """Every indexed document by id (what citations are verified against)."""
        ...

    @property
    def term_weights(self) -> dict[str, float]:
        """BM25 idf of every indexed term, over the whole collection."""
        ...

    def chunk_counts(self) -> dict[str, int]:
        """How many chunks each document has."""
        ...

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
        """The ``k`` best chunks for ``query``, best first; only chunks of ``doc_ids`` when it is given."""
        ...

    def passages(self, hits: list[Hit]) -> list[Passage]:
        """Hits as numbered passages (1-based, in rank order)."""
        ...
