"""The indexed collection as a user sees it: what is in it, one document's text, and adding files to it.

Uploaded files are kept under ``<index_dir>/uploads/`` so that an index folder carries everything it was built
from besides its recorded sources. A file's name comes from a user, so it is checked before anything touches
the disk: no path separators or ``..``, only the allowed suffixes, a size limit, and a name reduced to safe
characters. Each upload is read once in a hidden staging folder first; a broken one is reported (in
``IndexReport.skipped``) and never replaces anything, so one bad file costs nothing else.
"""

from __future__ import annotations

import contextlib
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
from .index import health
from .index.build import UPLOADS, IndexReport, build_index, plan_sources
from .index.build import remove_documents as _remove
from .index.store import read_manifest
from .ingest import SkippedFile, UnreadableFileError, load_file
from .settings import DEFAULT_INDEX_DIR, DEFAULT_SOURCES, Settings, default_index_dir
from .types import Document

log = logging.getLogger(__name__)

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
    """(safe name, content) of one upload, size checked before the whole file is read (an empty file gives
    empty content: it is skipped and reported, not refused with the rest)."""
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
    return safe, bytes(data) if isinstance(item, tuple) else Path(item).read_bytes()


def _sources(index_dir: Path, uploads: Path) -> list[Path]:
    """What the build reads besides the uploads (their recorded sources), checked before anything is stored.

    Raises:
        RagError: a recorded source no longer exists (adding would drop its documents).
    """
    recorded = health.inspect(index_dir, count_lines=False).recorded
    if recorded is None:  # a new index: the bundled one starts from the seeds, any other from uploads only
        sources = list(DEFAULT_SOURCES) if index_dir.resolve() == DEFAULT_INDEX_DIR.resolve() else []
        return [*sources, uploads]
    plan_sources(index_dir, recorded)  # raises when a recorded source is gone
    return [uploads]


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
    is live. A file that cannot be read (empty, binary, broken) is listed in the report's ``skipped`` and stored
    nowhere, and the others are added; a file with the name of an earlier upload replaces it. When the build
    fails, the files this call stored are taken back out (and replaced ones restored), so nothing unindexed
    is left in ``uploads/`` for a later build to pick up.

    Args:
        files: paths of files to add (stored under their own names), or ``(file name, content)`` pairs.
        progress: called as ``progress(fraction, message)`` while the files are checked and indexed (and when
            it waits for another build of this index to finish).
        max_bytes: the size limit per file (default 10 MB).

    Raises:
        RagError: no files, a name that holds a path, a suffix not allowed, a file over the size limit, a name
            already used by a document from another source, a recorded source that no longer exists, or no
            file that could be read. Nothing is stored or indexed then.
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
    stored: list[
        tuple[Path, Path | None]
    ] = []  # (file in uploads/, the earlier upload it replaced, kept aside)
    try:
        readable: list[tuple[str, Path]] = []
        for i, (name, data) in enumerate(received):
            report(0.1 + 0.3 * i / len(received), f"Reading {name}")
            staged = staging / name
            staged.write_bytes(data)
            try:
                if not data.strip():
                    raise UnreadableFileError("the file is empty")
                load_file(staged, staging)
            except UnreadableFileError as e:
                log.warning("Upload %s was not added: %s", name, e)
                skipped.append(SkippedFile(name, str(e)))
                continue
            readable.append((name, staged))
        nothing_else = sources == [uploads] and read_manifest(index_dir) is None
        if not readable and nothing_else and not any(p.is_file() for p in uploads.iterdir()):
            raise RagError(
                "None of the files could be read: " + "; ".join(f"{s.path} ({s.reason})" for s in skipped)
            )
        for name, staged in readable:
            target = uploads / name
            previous = None
            if target.exists():
                previous = staging / f".previous-{name}"
                os.replace(target, previous)
            os.replace(staged, target)
            stored.append((target, previous))

        report(0.4, "Indexing")
        try:
            built = build_index(
                sources,
                index_dir=index_dir,
                settings=settings,
                progress=False,
                on_wait=lambda message: report(0.4, message),
            )
        except BaseException:
            for target, previous in stored:  # take back what this call stored: nothing unindexed stays
                with contextlib.suppress(OSError):
                    if previous is not None:
                        os.replace(previous, target)
                    else:
                        target.unlink()
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report(1.0, "Done")
    return replace(built, skipped=[*skipped, *built.skipped])


def remove_documents(
    doc_ids: Sequence[str],
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> IndexReport:
    """Remove documents from the index by id: an upload's file is deleted from ``uploads/``; a document from a
    source folder stays on disk and is left out of later builds.

    Raises:
        RagError: no ids, an id not in the index, or nothing would be left.
    """
    if not doc_ids:
        raise RagError("Choose one or more documents to remove.")
    return _remove(list(doc_ids), index_dir=index_dir, settings=settings)


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
    "remove_documents",
    "safe_upload_name",
]
