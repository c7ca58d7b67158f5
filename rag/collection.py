"""The indexed collection as a user sees it: what is in it, one document's text, and adding files to it.

Uploaded files are kept under ``<index_dir>/uploads/`` so that an index folder carries everything it was built
from besides its recorded sources. A file's name comes from a user, so it is checked before anything touches
the disk: no path separators or ``..``, only the allowed suffixes, a size limit, and a name reduced to safe
characters. Each upload is read once in a hidden staging folder first; a broken one is reported (in
``IndexReport.skipped``) and never replaces anything, so one bad file costs nothing else.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .answer.pipeline import get_pipeline
from .errors import RagError
from .index.build import IndexReport, build_index
from .index.store import read_manifest
from .ingest import SkippedFile, UnreadableFileError, load_file
from .settings import DEFAULT_INDEX_DIR, DEFAULT_SOURCES, Settings, default_index_dir
from .types import Document

log = logging.getLogger(__name__)

UPLOADS = "uploads"
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^\w.\- ]+")  # \w is Unicode-aware: accented names stay readable

Upload = str | Path | tuple[str, bytes]  # a file on disk (named by its own name), or (file name, content)
Progress = Callable[[float, str], Any]


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as the document list shows it."""

    doc_id: str
    title: str
    author: str | None
    date: str | None
    url: str | None
    chunks: int
    source_path: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _index(index_dir: str | Path | None, settings: Settings | None):
    folder = Path(index_dir) if index_dir is not None else default_index_dir()
    return get_pipeline(folder, settings or Settings.from_env()).retriever


def list_documents(
    index_dir: str | Path | None = None, settings: Settings | None = None
) -> list[DocumentInfo]:
    """Every document of the live index, sorted by title, with its chunk count.

    Raises:
        IndexNotFoundError / IndexMismatchError: no usable index at ``index_dir``.
    """
    index = _index(index_dir, settings)
    counts = index.chunk_counts()
    infos = [
        DocumentInfo(
            doc_id=d.doc_id,
            title=d.title,
            author=d.author,
            date=d.date,
            url=d.url,
            chunks=counts.get(d.doc_id, 0),
            source_path=d.source_path,
        )
        for d in index.documents.values()
    ]
    return sorted(infos, key=lambda i: (i.title.casefold(), i.doc_id))


def get_document(
    doc_id: str, index_dir: str | Path | None = None, settings: Settings | None = None
) -> Document:
    """The indexed document ``doc_id``: its cleaned text (the one citation spans point into) and metadata.

    Raises:
        RagError: no such document in the live index.
    """
    documents = _index(index_dir, settings).documents
    if doc_id not in documents:
        raise RagError(f"No document {doc_id!r} in the index; list_documents() shows the indexed ones.")
    return documents[doc_id]


def safe_upload_name(name: str) -> str:
    """The name an uploaded file is stored under: ``name`` checked, then reduced to safe characters.

    Raises:
        RagError: the name holds a path (separators, ``..``), has no name left, or a suffix not allowed.
    """
    if not isinstance(name, str) or not name.strip():
        raise RagError("The uploaded file has no name; give it a name such as notes.txt.")
    if any(sep in name for sep in ("/", "\\", "\x00")) or ".." in name:
        raise RagError(
            f"The file name {name!r} contains a path ('/', '\\' or '..'); upload the file itself "
            "under a plain name such as notes.txt."
        )
    stem, suffix = os.path.splitext(unicodedata.normalize("NFC", name.strip()))
    suffix = suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise RagError(
            f"{name!r}: files of type {suffix or '(no suffix)'!r} cannot be added; "
            f"allowed: {', '.join(UPLOAD_SUFFIXES)}."
        )
    stem = _UNSAFE.sub("_", stem).strip(" ._")[: MAX_NAME_CHARS - len(suffix)]
    if not stem:
        raise RagError(f"{name!r} has no usable name left after removing unsafe characters; rename it.")
    return stem + suffix


def _read_upload(item: Upload, max_bytes: int) -> tuple[str, bytes]:
    """(safe name, content) of one upload, size checked before the whole file is read."""
    if isinstance(item, tuple):
        name, data = item
        if not isinstance(data, bytes | bytearray):
            raise RagError(f"{name!r}: the content must be bytes.")
        safe = safe_upload_name(name)
        size = len(data)
    else:
        path = Path(item)
        safe = safe_upload_name(path.name)
        if not path.is_file():
            raise RagError(f"{path.name!r} cannot be read: it is not a file; upload it again.")
        size = path.stat().st_size
    if size > max_bytes:
        raise RagError(
            f"{safe!r} is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB upload limit; "
            "split it into smaller files."
        )
    if size == 0:
        raise RagError(f"{safe!r} is empty; upload a file with text in it.")
    return safe, bytes(data) if isinstance(item, tuple) else Path(item).read_bytes()


def _sources(index_dir: Path, uploads: Path) -> list[Path]:
    """The index's recorded sources (paths relative to the index folder) plus the uploads folder."""
    manifest = read_manifest(index_dir)
    if manifest is None:  # a new index: the bundled one starts from the seeds, any other from uploads only
        recorded = list(DEFAULT_SOURCES) if index_dir.resolve() == DEFAULT_INDEX_DIR.resolve() else []
    else:
        recorded = [index_dir / s for s in manifest.get("sources", [])]
    missing = [str(p) for p in recorded if not p.exists()]
    if missing:
        raise RagError(
            f"The index at {index_dir} was built from {', '.join(missing)}, which no longer exists; "
            "restore it (or rebuild the index with `rag index`) before adding documents, so that "
            "its documents are not dropped."
        )
    sources = [p for p in recorded if p.resolve() != uploads.resolve()]
    return [*sources, uploads]


def _taken_ids(index_dir: Path, uploads: Path) -> dict[str, str]:
    """doc_id -> source path of every indexed document that is not an upload (uploads may be replaced)."""
    manifest = read_manifest(index_dir) or {}
    taken = {}
    for doc_id, entry in manifest.get("documents", {}).items():
        source = index_dir / entry.get("source_path", "")  # relative to the index folder (or absolute)
        if source.parent.resolve() != uploads.resolve():
            taken[doc_id] = entry.get("source_path", "")
    return taken


def add_documents(
    files: Sequence[Upload],
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> IndexReport:
    """Store ``files`` under ``<index_dir>/uploads/`` and index them with the index's existing sources.

    Only new and changed documents are embedded; the running app answers from the new generation as soon as it
    is live. A file that cannot be read is listed in the report's ``skipped`` and stored nowhere; a file with
    the name of an earlier upload replaces it.

    Args:
        files: paths of files to add (stored under their own names), or ``(file name, content)`` pairs.
        progress: called as ``progress(fraction, message)`` while the files are checked and indexed.
        max_bytes: the size limit per file (default 10 MB).

    Raises:
        RagError: no files, a name that holds a path, a suffix not allowed, a file over the size limit, a name
            already used by a document from another source, or a recorded source that no longer exists.
            Nothing is stored or indexed then.
    """
    if not files:
        raise RagError("No files to add; choose one or more .txt, .md, .html or .pdf files.")
    settings = settings or Settings.from_env()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    uploads = index_dir / UPLOADS
    report = progress or (lambda _fraction, _message: None)

    report(0.0, "Checking the files")
    sources = _sources(index_dir, uploads)
    received = [_read_upload(item, max_bytes) for item in files]  # raises before anything is written
    taken = _taken_ids(index_dir, uploads)
    seen: dict[str, str] = {}
    for name, _data in received:
        stem = Path(name).stem
        if stem in taken:
            raise RagError(
                f"{name!r} would replace the indexed document {stem!r} from {taken[stem]}; rename the file."
            )
        if seen.setdefault(stem, name) != name:
            raise RagError(
                f"{seen[stem]!r} and {name!r} would both be document {stem!r}; rename one of them."
            )
        clash = [p.name for p in uploads.glob(f"{_glob_escape(stem)}.*") if p.name != name and p.is_file()]
        if clash:
            raise RagError(
                f"{name!r} would replace the earlier upload {clash[0]!r} (same name, other type); "
                "rename the file."
            )

    uploads.mkdir(parents=True, exist_ok=True)
    # Hidden (never indexed), one per call (two uploads at once do not share it), removed whatever happens.
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=uploads))
    skipped: list[SkippedFile] = []
    try:
        for i, (name, data) in enumerate(received):
            report(0.1 + 0.3 * i / len(received), f"Reading {name}")
            staged = staging / name
            staged.write_bytes(data)
            try:
                load_file(staged, staging)
            except UnreadableFileError as e:
                log.warning("Upload %s was not added: %s", name, e)
                skipped.append(SkippedFile(name, str(e)))
                continue
            os.replace(staged, uploads / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    report(0.4, "Indexing")
    if not any(uploads.iterdir()) and not sources[:-1]:
        raise RagError(
            "None of the files could be read: " + "; ".join(f"{s.path} ({s.reason})" for s in skipped)
        )
    built = build_index(sources, index_dir=index_dir, settings=settings, progress=False)
    report(1.0, "Done")
    return replace(built, skipped=[*skipped, *built.skipped])


def _glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped, to look for files that share a stem."""
    return re.sub(r"([*?\[])", r"[\1]", text)


__all__ = [
    "MAX_UPLOAD_BYTES",
    "UPLOAD_SUFFIXES",
    "DocumentInfo",
    "add_documents",
    "get_document",
    "list_documents",
    "safe_upload_name",
]
