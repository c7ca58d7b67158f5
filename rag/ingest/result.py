"""What an ingestion run hands back: the documents it made and the files (or records) it had to skip."""

from __future__ import annotations

from dataclasses import dataclass

from rag.types import Document


@dataclass(frozen=True)
class SkippedFile:
    """A file (or, for JSONL, ``file:line``) that produced no document, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class IngestResult:
    """Documents in source order (first occurrence of each ``doc_id``) and everything that was skipped."""

    documents: list[Document]
    skipped: list[SkippedFile]
