"""Ingestion: source files on disk -> clean ``Document``s with metadata and a map back to the original text.

Text, markdown and HTML pages are cleaned of web-page furniture (see ``clean``); every copied character keeps
its offset in the decoded file (``Document.segments``), so a quote can be shown where it stands in the source.
PDFs keep page numbers instead; BEIR ``.jsonl`` corpora give one document per line. A broken file never stops
a run: it is logged, listed in ``IngestResult.skipped``, and the rest still load.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
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
    "read_file",
    "read_source_text",
    "unique_documents",
]

logger = logging.getLogger(__name__)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _is_index_folder(dirs: Sequence[str], names: Sequence[str]) -> bool:
    """Whether a folder is an index (``CURRENT`` and ``gen-*`` generations): never a source of documents."""
    return "CURRENT" in names and any(d.startswith("gen-") for d in dirs)


def find_source_files(
    sources: Sequence[str | Path], exclude: Sequence[str | Path] = ()
) -> list[tuple[Path, Path]]:
    """Every file under the given files and folders, as ``(file, root it was found under)``.

    Folders are walked recursively (symlinked folders are not followed), hidden files and folders are skipped,
    and each folder's files come sorted by relative path; a file given directly is its own entry with its
    parent as root; a file that two sources hold is listed once, under the first. Folders in ``exclude`` (an index folder inside its source folder) and any index folder met
    on the way are not walked. Files of any suffix are returned: ``load_documents`` reports the unsupported
    ones.

    Raises SourceNotFoundError naming the first path that does not exist.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    found: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise SourceNotFoundError(
                f"Source path not found: {path} (resolved: {path.resolve()}); pass an existing file or folder"
            )
        if path.is_file():
            if os.path.realpath(path) not in seen:
                seen.add(os.path.realpath(path))
                found.append((path, path.parent))
            continue
        files: list[Path] = []
        for folder, dirs, names in os.walk(path):
            if os.path.realpath(folder) in excluded or (
                Path(folder) != path and _is_index_folder(dirs, names)
            ):
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if not _hidden(d)]  # prune so hidden trees are never walked
            files.extend(Path(folder) / n for n in names if not _hidden(n))
        files.sort(key=lambda f: f.relative_to(path).as_posix())
        for file in files:
            if file.is_file() and os.path.realpath(file) not in seen:  # sources that overlap: each file once
                seen.add(os.path.realpath(file))
                found.append((file, path))
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


class _FileMeter:
    """Turns one file's progress (a fraction) into bytes for ``on_bytes``, each byte counted once."""

    def __init__(self, path: Path, on_bytes: Callable[[int], object] | None) -> None:
        self.on_bytes = on_bytes
        self.reported = 0
        self.size = 0
        if on_bytes is not None:
            try:
                self.size = path.stat().st_size
            except OSError:
                self.size = 0

    def fraction(self, done: float) -> None:
        # Cleaning is about four fifths of a large file's time; the rest is counted when the file is done.
        target = int(self.size * 0.8 * min(max(done, 0.0), 1.0))
        if self.on_bytes is not None and target > self.reported:
            self.on_bytes(target - self.reported)
            self.reported = target

    def done(self) -> None:
        if self.on_bytes is not None and self.size > self.reported:
            self.on_bytes(self.size - self.reported)
            self.reported = self.size


def _unique_id(document: Document, path: Path, root: Path, taken: Mapping[str, str], same_root: bool) -> str:
    """An id for ``document`` that no earlier document has: with the file's suffix when the earlier one is in
    the same source folder (``notes.md`` beside ``notes.txt``), else with its source folder's name in front
    (``b/notes`` for ``b/notes.txt``); a number when even that is taken."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.name
    if path.suffix.lower() == ".jsonl":
        stem = Path(relative).with_suffix("").as_posix()
        candidates = [f"{stem}/{document.doc_id}", f"{root.name}/{stem}/{document.doc_id}"]
    elif same_root:
        candidates = [relative, f"{root.name}/{relative}"]
    else:
        candidates = [f"{root.name}/{document.doc_id}", f"{root.name}/{relative}"]
    for candidate in candidates:
        if candidate and candidate not in taken:
            return candidate
    n = 2
    while f"{document.doc_id}~{n}" in taken:
        n += 1
    return f"{document.doc_id}~{n}"


def load_documents(
    sources: Sequence[str | Path],
    exclude: Sequence[str | Path] = (),
    on_bytes: Callable[[int], object] | None = None,
) -> IngestResult:
    """Documents from every supported file under ``sources``, in order, and the files that were skipped.

    Broken files are logged as warnings and listed in ``skipped``; unsupported suffixes are listed too but
    only logged at debug level. Folders in ``exclude`` are not walked (see ``find_source_files``).
    ``on_bytes(n)`` is told as the files are read, ``n`` bytes at a time (a large file's share while it is
    being cleaned), for a progress bar.

    Every document gets an id of its own: two files whose ids would be the same (``notes.txt`` in two source
    folders, ``notes.md`` beside ``notes.txt``) keep both, the first under the plain id, a later one under an
    id that adds its suffix or its source folder's name; ``renamed`` says which. Within one ``.jsonl`` a
    repeated ``_id`` is skipped and reported.

    Raises SourceNotFoundError when a source path does not exist.
    """
    skipped: list[SkippedFile] = []

    def files() -> Iterator[tuple[Path, Path, list[Document]]]:
        for path, root in find_source_files(sources, exclude):
            meter = _FileMeter(path, on_bytes)
            try:
                documents, skipped_here = read_file(path, root, meter.fraction if on_bytes else None)
            finally:
                meter.done()
            skipped.extend(skipped_here)
            yield path, root, documents

    documents, renamed = unique_documents(files())
    return IngestResult(documents, skipped, renamed)


def read_file(
    path: Path, root: Path, progress: Callable[[float], object] | None = None
) -> tuple[list[Document], list[SkippedFile]]:
    """The documents of one file and what it skipped: a broken file is one ``SkippedFile`` (logged as a warning;
    an unsupported suffix at debug level), never an exception. Ids are not made unique across files here (see
    ``unique_documents``). ``progress(fraction)`` hears how far a large file's cleaning has come."""
    try:
        return load_path(path, root, progress)
    except UnreadableFileError as e:
        unsupported = isinstance(e, UnsupportedFileTypeError)
        logger.log(logging.DEBUG if unsupported else logging.WARNING, "Skipping %s: %s", path, e)
        return [], [SkippedFile(str(path), str(e))]


def unique_documents(files: Iterable[tuple[Path, Path, list[Document]]]) -> tuple[list[Document], list[str]]:
    """The documents of files read in source order (``(file, root it was found under, its documents)``), each
    with an id of its own as ``load_documents`` gives them, and a note for each document indexed under another
    id than its file's."""
    documents: list[Document] = []
    renamed: list[str] = []
    seen: dict[str, str] = {}  # doc_id -> the file it came from
    roots: dict[str, Path] = {}  # doc_id -> the source folder it was found under
    for path, root, loaded in files:
        for document in loaded:
            if document.doc_id in seen:
                same_root = roots[document.doc_id] == root
                unique = _unique_id(document, path, root, seen, same_root)
                note = f"{path} is indexed as {unique!r} ({seen[document.doc_id]} has the id {document.doc_id!r})"
                logger.info("%s", note)
                renamed.append(note)
                document = replace(document, doc_id=unique)
            seen[document.doc_id] = document.source_path
            roots[document.doc_id] = root
            documents.append(document)
    return documents, renamed
