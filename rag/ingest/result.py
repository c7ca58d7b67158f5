"""What an ingestion run hands back: the documents it made and the files (or records) it had to skip."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.types import Document


@dataclass(frozen=True)
class SkippedFile:
    """A file (or, for JSONL, ``file:line``) that produced no document, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class IngestResult:
    """Documents in source order, each with an id of its own, everything that was skipped, and notes on
    documents indexed under another id than their file's (a name that two sources share)."""

    documents: list[Document]
    skipped: list[SkippedFile]
    renamed: list[str] = field(default_factory=list)
