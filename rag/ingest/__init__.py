"""Ingestion: source files on disk -> clean ``Document``s with metadata and a map back to the original text.

Text, markdown and HTML pages are cleaned of web-page furniture (see ``clean``); every copied character keeps
its offset in the decoded file (``Document.segments``), so a quote can be shown where it stands in the source.
PDFs keep page numbers instead; BEIR ``.jsonl`` corpora give one document per line. A broken file never stops
a run: it is logged, listed in ``IngestResult.skipped``, and the rest still load.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from rag.errors import SourceNotFoundError
from rag.ingest.errors import UnreadableFileError, UnsupportedFileTypeError
from rag.ingest.readers import SUPPORTED_SUFFIXES, decode_text, load_path, read_bytes
from rag.ingest.result import IngestResult, SkippedFile
from rag.types import Document

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestResult",
    "SkippedFile",
    "UnreadableFileError",
    "UnsupportedFileTypeError",
    "find_source_files",
    "load_documents",
    "load_file",
    "read_source_text",
]

logger = logging.getLogger(__name__)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def find_source_files(sources: Sequence[str | Path]) -> list[tuple[Path, Path]]:
    """Every file under the given files and folders, as ``(file, root it was found under)``.

    Folders are walked recursively (symlinked folders are not followed), hidden files and folders are skipped,
    and each folder's files come sorted by relative path; a file given directly is its own entry with its
    parent as root. Files of any suffix are returned: ``load_documents`` reports the unsupported ones.

    Raises SourceNotFoundError naming the first path that does not exist.
    """
    found: list[tuple[Path, Path]] = []
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise SourceNotFoundError(
                f"Source path not found: {path} (resolved: {path.resolve()}); pass an existing file or folder"
            )
        if path.is_file():
            found.append((path, path.parent))
            continue
        files: list[Path] = []
        for folder, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if not _hidden(d)]  # prune so hidden trees are never walked
            files.extend(Path(folder) / n for n in names if not _hidden(n))
        files.sort(key=lambda f: f.relative_to(path).as_posix())
        found.extend((f, path) for f in files if f.is_file())
    return found


def load_file(path: Path, root: Path) -> list[Document]:
    """The documents of one file (one; one per good line of a ``.jsonl``); ``doc_id`` is relative to ``root``.

    Raises UnreadableFileError (UnsupportedFileTypeError for an unknown suffix) when the file is empty,
    binary, not UTF-8, unreadable, over 50 MB, an unparseable PDF, or leaves no text after cleaning.
    """
    documents, _skipped_lines = load_path(Path(path), Path(root))
    return documents


def read_source_text(path: Path) -> str:
    """The decoded original of a text, markdown or HTML file: the string ``Document.segments`` index into."""
    return decode_text(read_bytes(Path(path)))


def load_documents(sources: Sequence[str | Path]) -> IngestResult:
    """Documents from every supported file under ``sources``, in order, and the files that were skipped.

    Broken files are logged as warnings and listed in ``skipped``; unsupported suffixes are listed too but
    only logged at debug level. A ``doc_id`` seen before is skipped with a warning (the first one wins).

    Raises SourceNotFoundError when a source path does not exist.
    """
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path, root in find_source_files(sources):
        try:
            loaded, skipped_lines = load_path(path, root)
        except UnsupportedFileTypeError as e:
            logger.debug("Skipping %s: %s", path, e)
            skipped.append(SkippedFile(str(path), str(e)))
            continue
        except UnreadableFileError as e:
            logger.warning("Skipping %s: %s", path, e)
            skipped.append(SkippedFile(str(path), str(e)))
            continue
        skipped.extend(skipped_lines)
        for document in loaded:
            first = seen.setdefault(document.doc_id, document.source_path)
            if first is not document.source_path:
                reason = f"duplicate doc_id {document.doc_id!r}, already loaded from {first}"
                logger.warning("Skipping %s: %s", path, reason)
                skipped.append(SkippedFile(str(path), reason))
                continue
            documents.append(document)
    return IngestResult(documents, skipped)
