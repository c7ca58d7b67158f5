"""Build and update an index incrementally: only new or changed documents are embedded.

The manifest records what built the index (embedder, chunker, BM25 tokenizer) and each document's content
hash. A run compares the sources with it: unchanged documents keep their chunks and vectors, changed ones are
replaced, deleted ones disappear, and a changed embedder or chunker setting rebuilds everything (saying why).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NothingToIndexError, RagError, SourceNotFoundError
from ..ingest import IngestResult, SkippedFile, find_source_files, load_documents
from ..settings import DEFAULT_INDEX_DIR, DEFAULT_SOURCES, Settings, default_index_dir
from ..types import Chunk, Document
from . import dense, health, lexical, sections, sentence_store, store
from .background import BackgroundEmbedding
from .chunking import chunk_document
from .embedding import Embedder, get_embedder
from .onnx_backend import EXPORT_VERSION
from .records import chunker_settings, rebuild_reason, relative_path, text_hash, window_test
from .sections import context_prefix

log = logging.getLogger(__name__)

PROGRESS_MIN_CHUNKS = 64  # below this a progress bar is noise
PROGRESS_MIN_BYTES = 2 * 2**20  # sources this large take seconds to read: progress is shown from the start
PROGRESS_MIN_FILES = 200
UPLOADS = "uploads"  # <index>/uploads: files added through the chat or add_documents, always indexed


@dataclass(frozen=True)
class IndexReport:
    """What a build did."""

    index_dir: str
    documents: int
    chunks: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    rebuilt_because: str | None = None
    embedded_chunks: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # documents indexed under another id, a repair's leftovers
    sources: list[str] = field(default_factory=list)  # what was read: the recorded sources and the uploads

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt_because)

    def summary(self) -> str:
        parts = [f"{self.documents} documents, {self.chunks} chunks in {self.index_dir}"]
        if self.rebuilt_because:
            parts.append(f"rebuilt because {self.rebuilt_because}")
        parts.append(
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged; {self.embedded_chunks} chunks embedded in {self.seconds:.1f} s"
        )
        if self.skipped:
            parts.append(
                f"{len(self.skipped)} files skipped: "
                + "; ".join(f"{s.path} ({s.reason})" for s in self.skipped)
            )
        parts.extend(self.notes)
        return "\n".join(parts)


def index_text(document: Document, chunk: Chunk) -> str:
    """What is embedded and BM25-indexed for a chunk: the document title and, in a document with headings,
    the chunk's heading path give every chunk its context."""
    context = [document.title] if document.title and not chunk.text.startswith(document.title) else []
    if document.headings and (path := context_prefix(document, chunk.start, chunk.text)):
        context.append(path)
    return "\n".join([*context, chunk.text])


def build_settings_record(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """The part of the manifest that, when it changes, invalidates every vector."""
    embedder_record: dict[str, Any] = {
        "name": settings.embedder,
        "backend": settings.embedder_backend,
        "dimension": embedder.dimension,
        "max_tokens": embedder.max_tokens,
    }
    if settings.embedder_backend == "onnx-int8":
        # Two exports of one model give slightly different vectors: queries must come from the same one.
        embedder_record["export_version"] = EXPORT_VERSION
    return {
        "embedder": embedder_record,
        "chunker": {
            "chunk_tokens": settings.chunk_tokens,
            "overlap_tokens": settings.chunk_overlap,
            "encoding": "cl100k_base",
            "title_prefix": True,
            "sections": True,  # chunks break at headings and carry their heading path
        },
        "bm25": {"tokenizer": lexical.TOKENIZER_ID},
    }


def source_fingerprints(sources: Sequence[Path], index_dir: Path) -> dict[str, str]:
    """sha256 of every file the sources hold (the index folder aside), keyed by path relative to the index
    folder."""
    prints: dict[str, str] = {}
    for path, _root in find_source_files(sources, exclude=[index_dir]):
        try:
            prints[relative_path(path, index_dir)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            prints[relative_path(path, index_dir)] = "unreadable"
    return prints


Waiting = Callable[[str], Any]


@dataclass(frozen=True)
class _Sources:
    """What a build reads: the recorded sources plus new ones, the uploads folder, and documents left out."""

    folders: list[Path]  # recorded first, in recorded order, then new ones; not the uploads folder
    uploads: Path | None  # <index>/uploads when it exists
    # doc_id -> its source path (relative to the index folder): documents removed with `rag remove`
    excluded: dict[str, str]

    @property
    def walked(self) -> list[Path]:
        return [*self.folders, *([self.uploads] if self.uploads else [])]


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it."""
    inner, outer = os.path.realpath(path), os.path.realpath(folder)
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def _recorded_sources(index_dir: Path, manifest: dict[str, Any] | None) -> list[Path]:
    """The sources a manifest records (the uploads folder aside: it is always read when it exists)."""
    uploads = index_dir / UPLOADS
    recorded = [index_dir / s for s in (manifest or {}).get("sources", [])]
    return [p for p in recorded if not _same(p, uploads)]


def recorded_paths(index_dir: Path, manifest: dict[str, Any]) -> list[Path]:
    """What a build of this index reads again: its recorded sources, then its uploads folder."""
    uploads = index_dir / UPLOADS
    return [*_recorded_sources(index_dir, manifest), *([uploads] if uploads.is_dir() else [])]


def plan_sources(
    index_dir: Path,
    manifest: dict[str, Any] | None,
    explicit: Sequence[Path] = (),
    *,
    forget: Sequence[Path] = (),
    damaged: bool = False,
) -> _Sources:
    """The sources a build of ``index_dir`` reads: those it recorded, the ``explicit`` ones added to them, and
    its uploads folder; ``forget`` drops recorded ones (``rag remove --source``).

    Raises:
        SourceNotFoundError: an explicit source does not exist.
        RagError: a recorded source no longer exists (its documents would be lost: restore it or forget it),
            a source to forget is not recorded, or a damaged index with no record of its sources and none given.
    """
    for path in explicit:
        if not path.exists():
            raise SourceNotFoundError(
                f"Source path not found: {path} (resolved: {path.resolve()}); pass an existing file or folder"
            )
    recorded = _recorded_sources(index_dir, manifest)
    for path in forget:
        if not any(_same(path, r) or os.path.abspath(path) == os.path.abspath(r) for r in recorded):
            listed = ", ".join(relative_path(r, Path.cwd()) for r in recorded) or "none"
            raise RagError(f"{path} is not a source of the index at {index_dir} (its sources: {listed}).")
    recorded = [
        r
        for r in recorded
        if not any(_same(r, f) or os.path.abspath(f) == os.path.abspath(r) for f in forget)
    ]
    uploads = index_dir / UPLOADS
    if manifest is None and not explicit:
        if damaged and index_dir.resolve() != DEFAULT_INDEX_DIR.resolve():
            raise RagError(
                f"The index at {index_dir} is damaged and no longer records what it was built from; give its "
                f"sources: rag index SOURCES --index-dir {index_dir}"
            )
        recorded = [Path(p) for p in DEFAULT_SOURCES]
        if not recorded and not (uploads.is_dir() and any(uploads.iterdir())):  # an installed copy: no seeds
            raise NothingToIndexError(
                f"Nothing to index at {index_dir} yet: give your documents with: rag index SOURCES"
            )
    missing = [r for r in recorded if not r.exists()]
    if missing:
        where = os.path.relpath(missing[0])
        raise RagError(
            f"The index at {index_dir} was built from {where}, which no longer exists. Restore it, or stop "
            f"indexing it (its documents are then removed) with: rag remove --source {where} --index-dir {index_dir}"
        )
    folders = list(recorded)
    # New sources join the recorded ones; one that a recorded folder already holds is read there.
    for path in explicit:
        if not _same(path, uploads) and not any(_within(path, f) for f in folders):
            folders.append(path)
    excluded = dict((manifest or {}).get("excluded") or {})
    for doc_id, source in list(excluded.items()):  # a file given again by name comes back
        if any(path.is_file() and _same(path, index_dir / source) for path in explicit):
            del excluded[doc_id]
    return _Sources(folders, uploads if uploads.is_dir() else None, excluded)


def build_index(
    sources: Sequence[str | Path] | None = None,
    *,
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
    progress: bool | None = None,
    on_wait: Waiting | None = None,
) -> IndexReport:
    """Index ``sources`` (files or folders) into ``index_dir`` (default ``vectors/``), with what it holds.

    An index remembers its sources and its uploads folder: ``sources`` are added to the recorded ones, and a
    build without ``sources`` refreshes those (a new index without any indexes ``seeds/``). Documents leave the
    index only when their files are deleted or through ``remove_documents`` (``rag remove``). A damaged index
    is rebuilt from its recorded sources, the damaged generation kept in ``<index>/damaged/``.

    Args:
        progress: show progress bars (reading, chunking, embedding); None: only for large jobs.
        on_wait: called with a message when another process is writing this index and the build waits.

    Raises:
        SourceNotFoundError: a source path does not exist.
        RagError: no document at all could be read, or a recorded source is gone (the index is kept as it was).
    """
    return _update(sources, index_dir=index_dir, settings=settings, progress=progress, on_wait=on_wait)


def remove_documents(
    doc_ids: Sequence[str] = (),
    *,
    sources: Sequence[str | Path] = (),
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
    on_wait: Waiting | None = None,
) -> IndexReport:
    """Remove documents from the index, on purpose: by id, and every document of the recorded ``sources``.

    An uploaded document's file is deleted from ``<index>/uploads/``; a document from a source folder stays on
    disk and is left out of later builds (indexing its file by name again brings it back).

    Raises:
        RagError: an unknown id or source, nothing to remove, or nothing would be left in the index.
    """
    if not doc_ids and not sources:
        raise RagError("Nothing to remove: give document ids (rag remove DOC_ID ...) or --source PATH.")
    return _update(
        None,
        index_dir=index_dir,
        settings=settings,
        progress=False,
        on_wait=on_wait,
        remove=list(doc_ids),
        forget=[Path(s) for s in sources],
    )


def _update(
    sources: Sequence[str | Path] | None,
    *,
    index_dir: str | Path | None,
    settings: Settings | None,
    progress: bool | None,
    on_wait: Waiting | None,
    remove: Sequence[str] = (),
    forget: Sequence[Path] = (),
) -> IndexReport:
    started = time.perf_counter()
    settings = settings or Settings.from_env()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    explicit = [Path(s) for s in sources or ()]
    for path in explicit:
        if not path.exists():
            raise SourceNotFoundError(
                f"Source path not found: {path} (resolved: {path.resolve()}); pass an existing file or folder"
            )
    stages = _Stages(progress)
    stages.say(f"Loading the embedder {settings.embedder} ({settings.embedder_backend})")
    embedder = get_embedder(
        settings.embedder,
        backend=settings.embedder_backend,
        device=settings.device,
        batch_size=settings.batch_size,
    )
    with store.write_lock(index_dir, on_wait), contextlib.ExitStack() as stack:
        state = health.inspect(index_dir)
        notes: list[str] = []
        old_manifest = state.recorded  # what the index was built from, even when the live one is damaged
        plan = plan_sources(index_dir, old_manifest, explicit, forget=forget, damaged=state.damaged)
        drop_uploads: list[Path] = []
        removing: set[str] = set()
        for doc_id in remove:
            entry = (state.manifest or {}).get("documents", {}).get(doc_id) if state.healthy else None
            if entry is None:
                raise RagError(_unknown_document(doc_id, index_dir, state))
            source = index_dir / entry.get("source_path", "")
            if plan.uploads is not None and _same(source.parent, plan.uploads):
                drop_uploads.append(source)
            else:
                plan.excluded[doc_id] = entry.get("source_path", "")
            removing.add(doc_id)

        loaded = _read_sources(plan, index_dir, stages)
        documents = [
            d for d in loaded.documents if d.doc_id not in plan.excluded and d.doc_id not in removing
        ]
        if not documents:
            if remove or forget:
                raise RagError(
                    f"That would leave the index at {index_dir} empty; to drop the whole index, delete the "
                    "folder instead."
                )
            raise RagError(
                "No document could be read from "
                + ", ".join(map(str, plan.walked))
                + " (supported: .txt .md .html .htm .pdf .jsonl); the index was left as it was."
            )
        present = {d.doc_id for d in loaded.documents}
        excluded = {k: v for k, v in plan.excluded.items() if k in present}  # forget files deleted since
        notes.extend(loaded.renamed)
        record = build_settings_record(settings, embedder)
        # Chunks are embedded in the background while the next documents are chunked.
        background = stack.enter_context(BackgroundEmbedding(embedder.embed_documents, embedder.dimension))
        if old_manifest and old_manifest.get("shards"):
            raise RagError(
                f"The index at {index_dir} is sharded; update it on Ray with: "
                f"rag index SOURCES --index-dir {index_dir} --ray ADDRESS"
            )
        reason = rebuild_reason(old_manifest, record)
        if state.damaged:
            reason = f"the index was damaged ({'; '.join(state.problems)})"
            log.warning("The index at %s is damaged (%s); rebuilding it from its sources.", index_dir,
                        "; ".join(state.problems))  # fmt: skip
        elif reason:
            log.warning("Rebuilding the index at %s: %s.", index_dir, reason)
        # Vectors are reused from the newest whole generation built with these settings (the live one, or,
        # when the live one is damaged, the one before it).
        reuse = state.intact is not None and not rebuild_reason(state.intact_manifest, record)
        reusable = _reusable(state.intact) if reuse else {}

        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        to_embed: list[tuple[int, Document, list[Chunk]]] = []  # position in `vectors`, document, chunks
        added, updated, unchanged = [], [], 0
        # A rebuild (damage, other settings) reports every document as added, as a first build does.
        old_docs = (state.manifest or {}).get("documents", {}) if not reason else {}
        chunker = chunker_settings(settings)
        new_chars = sum(len(d.text) for d in documents if not _is_reusable(reusable.get(d.doc_id), d))
        chunking = stages.bar("Chunking", new_chars, "chars") if new_chars else None
        for document in documents:
            previous = reusable.get(document.doc_id)
            if _is_reusable(previous, document):
                chunks.extend(previous[1])
                vectors.append(previous[2])
                if document.doc_id in old_docs:
                    unchanged += 1
                else:
                    added.append(document.doc_id)
                continue
            (updated if document.doc_id in old_docs else added).append(document.doc_id)
            doc_chunks = chunk_document(document, chunker, window_test(embedder, document))
            if chunking is not None:
                chunking.update(len(document.text))
            chunks.extend(doc_chunks)
            background.add([index_text(document, c) for c in doc_chunks])
            to_embed.append((len(vectors), document, doc_chunks))
            vectors.append(np.zeros((0, embedder.dimension), dtype=np.float32))
        if chunking is not None:
            chunking.close()
        removed = sorted(set(old_docs) - {d.doc_id for d in documents})

        manifest_sources = [relative_path(p, index_dir) for p in plan.folders]
        fingerprints = source_fingerprints(plan.walked, index_dir)
        live = state.manifest if state.healthy else None
        unchanged_all = (
            live is not None
            and not reason
            and not to_embed
            and not removed
            and not added
            and live.get("files") == fingerprints
            and live.get("sources") == manifest_sources
            and (live.get("excluded") or {}) == excluded
            and bool(live.get("uploads")) == (plan.uploads is not None)
            and _dense_kind_unchanged(live, settings, len(chunks))
        )
        embedded = sum(len(c) for _, _, c in to_embed)
        uploads_record = relative_path(plan.uploads, index_dir) if plan.uploads else None
        recorded = {"sources": manifest_sources, "uploads": uploads_record, "excluded": excluded}
        before = store.current_generation(index_dir)
        if not unchanged_all:
            show = stages.show(embedded >= PROGRESS_MIN_CHUNKS)
            if embedded:
                stages.say(f"Embedding {embedded:,} chunks", large_job=show)
            new_vectors = background.vectors(progress=show)
            offset = 0
            for position, _document, doc_chunks in to_embed:
                vectors[position] = new_vectors[offset : offset + len(doc_chunks)]
                offset += len(doc_chunks)
            by_id = {d.doc_id: d for d in documents}
            manifest = {
                "format_version": store.FORMAT_VERSION,
                **record,
                "sources": manifest_sources,
                "uploads": uploads_record,
                "excluded": excluded,
                "files": fingerprints,
                "documents": {d.doc_id: document_entry(d, index_dir) for d in documents},
                "chunk_count": len(chunks),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            if state.damaged:
                kept = health.set_aside(state)
                if kept:
                    notes.append(
                        f"The damaged index was set aside for inspection: {', '.join(map(str, kept))}"
                    )
            store.write_generation(
                index_dir,
                manifest,
                documents,
                chunks,
                np.concatenate(vectors) if vectors else np.zeros((0, embedder.dimension), np.float32),
                [index_text(by_id[c.doc_id], c) for c in chunks],
                dense_index=settings.dense_index,
                exact_max_chunks=settings.exact_max_chunks,
            )
            for path in drop_uploads:  # after the new generation is live: a failed build keeps them
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        live_now = store.current_generation(index_dir)
        if settings.sentence_vectors and live_now is not None and sentence_store.load(live_now) is None:
            stages.say(
                "Embedding the chunks' sentences (sentence_vectors)",
                large_job=len(chunks) >= PROGRESS_MIN_CHUNKS,
            )
            kept = sentence_store.write(live_now, (c.text for c in chunks), embedder, previous=before)
            notes.append(f"{len(kept):,} sentence vectors stored for answering")
        if health.read_sources_record(index_dir) != recorded:
            health.write_sources_record(index_dir, recorded)
    return IndexReport(
        index_dir=str(index_dir),
        documents=len(documents),
        chunks=len(chunks),
        added=added,
        updated=updated,
        removed=removed,
        unchanged=unchanged,
        skipped=loaded.skipped,
        rebuilt_because=reason,
        embedded_chunks=embedded,
        seconds=time.perf_counter() - started,
        notes=notes,
        sources=[str(p) for p in plan.walked],
    )


# How chunks of a document with headings are laid out: 2 keeps table rows whole (1: a row could be cut at a
# full stop). A document with headings chunked under another layout is re-chunked at the next build, whose
# file and text are unchanged; plain documents (the articles, BEIR corpora) have no layout and are reused.
TABLE_LAYOUT = "2"


def _layout(document: Document) -> str:
    return TABLE_LAYOUT if sections.table_rows(document) else ""


def document_key(document: Document) -> tuple[str, str, str]:
    """What must match a manifest's ``entry_key`` for a document's chunks and vectors to be reused: both
    hashes (the raw file, and the cleaned text the chunk spans point into: the cleaner may change) and the
    layout its chunks were cut with."""
    return document.content_hash, text_hash(document), _layout(document)


def entry_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    """``document_key`` as a manifest's document entry recorded it."""
    return entry.get("content_hash", ""), entry.get("text_hash", ""), entry.get("layout", "")


def _is_reusable(previous, document: Document) -> bool:
    return bool(previous) and previous[0] == document_key(document)


def _unknown_document(doc_id: str, index_dir: Path, state: health.IndexHealth) -> str:
    if not state.healthy:
        return state.message() if state.damaged else f"No index at {index_dir}."
    known = list((state.manifest or {}).get("documents", {}))
    close = difflib.get_close_matches(doc_id, known, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"No document {doc_id!r} in the index at {index_dir}.{hint}"


def _read_sources(plan: _Sources, index_dir: Path, stages: _Stages) -> IngestResult:
    """Load every document of the plan's sources, with a progress bar over the bytes read."""
    files = find_source_files(plan.walked, exclude=[index_dir])
    total = 0
    for path, _root in files:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    stages.big_input(total, len(files))
    stages.say(f"Reading {len(files):,} file{'s' if len(files) != 1 else ''} ({total / 2**20:.1f} MB)")
    bar = stages.bar("Reading", total, "B")
    loaded = load_documents(plan.walked, exclude=[index_dir], on_bytes=bar.update if bar else None)
    if bar:
        bar.close()
    return loaded


def _dense_kind_unchanged(manifest: dict[str, Any], settings: Settings, chunks: int) -> bool:
    """Whether the live FAISS index is of the type these settings ask for (else it is rebuilt, not re-embedded)."""
    built = (manifest.get("dense_index") or {}).get("type", dense.EXACT)
    return built == dense.choose_kind(chunks, settings.dense_index, settings.exact_max_chunks)


def document_entry(document: Document, index_dir: Path) -> dict[str, str]:
    """What a manifest records of one document: enough to tell, at the next build, whether it changed."""
    layout = _layout(document)
    return {
        "content_hash": document.content_hash,
        "text_hash": text_hash(document),
        **({"layout": layout} if layout else {}),
        "source_path": relative_path(Path(document.source_path), index_dir),
        "title": document.title,
    }


def _reusable(
    generation: Path,
) -> dict[str, tuple[tuple[str, str, str], list[Chunk], np.ndarray]]:
    """content hash, chunks and vectors of each document of a whole ``generation``, to skip re-embedding them."""
    try:
        current = store.load_generation(generation)
    except (RagError, health.Unreadable):
        return {}
    by_doc: dict[str, list[int]] = {}
    for row, chunk in enumerate(current.chunks):
        by_doc.setdefault(chunk.doc_id, []).append(row)
    documents = current.manifest.get("documents", {})
    reusable = {}
    for doc_id, rows in by_doc.items():
        entry = documents.get(doc_id, {})
        reusable[doc_id] = (
            entry_key(entry),
            [current.chunks[r] for r in rows],
            np.asarray(current.embeddings[rows]),
        )
    return reusable


class _Stages:
    """A build's progress on stderr from its first moment: a line per stage, bars for reading, chunking and
    embedding. ``progress=None`` shows them for large jobs only (large sources, or many chunks to embed)."""

    def __init__(self, progress: bool | None) -> None:
        self.progress = progress
        self.large = False

    def big_input(self, total_bytes: int, files: int) -> None:
        self.large = total_bytes >= PROGRESS_MIN_BYTES or files >= PROGRESS_MIN_FILES

    def show(self, large_job: bool = False) -> bool:
        return self.progress if self.progress is not None else (self.large or large_job)

    def say(self, message: str, large_job: bool = False) -> None:
        if self.show(large_job):
            print(message, file=sys.stderr, flush=True)

    def bar(self, stage: str, total: int, unit: str):
        if not self.show() or total <= 0:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=stage, unit=unit, unit_scale=True, unit_divisor=1024 if unit == "B" else 1000,
                    file=sys.stderr, mininterval=0.5)  # fmt: skip
