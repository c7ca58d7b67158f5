"""Errors raised while reading one source file; ``load_documents`` turns them into skipped files."""

from __future__ import annotations

from rag.errors import RagError


class UnreadableFileError(RagError):
    """A source file cannot be turned into a document: empty, binary, not UTF-8, unreadable, too big, broken.

    The message says what is wrong with the file and, where there is one, how to fix it.
    """


class UnsupportedFileTypeError(UnreadableFileError):
    """A source file has a suffix ingestion does not read (the message lists the supported ones)."""
