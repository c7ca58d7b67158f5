"""Build and update an index incrementally: only new or changed documents are embedded.

The manifest records what built the index (embedder, chunker, BM25 tokenizer) and each document's content
hash. A run compares the sources with it: unchanged documents keep their chunks and vectors, changed ones are
replaced, deleted ones disappear, and a changed embedder or chunker setting rebuilds everything (saying why).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RagError
from ..ingest import SkippedFile, find_source_files, load_documents
from ..settings import DEFAULT_SOURCES, Settings, default_index_dir
from ..types import Chunk, Document
from . import dense, lexical, store
from .chunking import ChunkerSettings, chunk_document
from .embedding import Embedder, get_embedder

log = logging.getLogger(__name__)

PROGRESS_MIN_CHUNKS = 64  # below this a progress bar is noise


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
        return "\n".join(parts)


def index_text(document: Document, chunk: Chunk) -> str:
    """What is embedded and BM25-indexed for a chunk: the document title gives every chunk its context."""
    if document.title and not chunk.text.startswith(document.title):
        return f"{document.title}\n{chunk.text}"
    return chunk.text


def build_settings_record(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """The part of the manifest that, when it changes, invalidates every vector."""
    return {
        "embedder": {
            "name": settings.embedder,
            "backend": settings.embedder_backend,
            "dimension": embedder.dimension,
            "max_tokens": embedder.max_tokens,
        },
        "chunker": {
            "chunk_tokens": settings.chunk_tokens,
            "overlap_tokens": settings.chunk_overlap,
            "encoding": "cl100k_base",
            "title_prefix": True,
        },
        "bm25": {"tokenizer": lexical.TOKENIZER_ID},
    }


def _rebuild_reason(old: dict[str, Any] | None, new: dict[str, Any]) -> str | None:
    if old is None:
        return None
    if old.get("format_version") != store.FORMAT_VERSION:
        return f"the index format changed ({old.get('format_version')} -> {store.FORMAT_VERSION})"
    for key in ("embedder", "chunker", "bm25"):
        if old.get(key) != new[key]:
            return f"the {key} settings changed ({old.get(key)} -> {new[key]})"
    return None


def _relative(path: Path, index_dir: Path) -> str:
    """Paths in the manifest are relative to the index folder, so a cloned repository still finds its seeds."""
    return Path(os.path.relpath(path.resolve(), index_dir.resolve())).as_posix()


def source_fingerprints(sources: Sequence[Path], index_dir: Path) -> dict[str, str]:
    """sha256 of every file the sources hold, keyed by path relative to the index folder."""
    prints: dict[str, str] = {}
    for path, _root in find_source_files(sources):
        try:
            prints[_relative(path, index_dir)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            prints[_relative(path, index_dir)] = "unreadable"
    return prints


def build_index(
    sources: Sequence[str | Path] | None = None,
    *,
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
    progress: bool | None = None,
) -> IndexReport:
    """Index ``sources`` (files or folders; default ``seeds/``) into ``index_dir`` (default ``vectors/``).

    Raises:
        SourceNotFoundError: a source path does not exist.
        RagError: no document at all could be read (the previous index is kept).
    """
    started = time.perf_counter()
    settings = settings or Settings.from_env()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    source_paths = [Path(s) for s in (sources or DEFAULT_SOURCES)]
    embedder = get_embedder(
        settings.embedder,
        backend=settings.embedder_backend,
        device=settings.device,
        batch_size=settings.batch_size,
    )
    with store.write_lock(index_dir):
        loaded = load_documents(source_paths)
        if not loaded.documents:
            raise RagError(
                "No document could be read from "
                + ", ".join(map(str, source_paths))
                + " (supported: .txt .md .html .htm .pdf .jsonl); the index was left as it was."
            )
        record = build_settings_record(settings, embedder)
        old_manifest = store.read_manifest(index_dir)
        if old_manifest and old_manifest.get("shards"):
            raise RagError(
                f"The index at {index_dir} is sharded; update it on Ray with: "
                f"rag index SOURCES --index-dir {index_dir} --ray ADDRESS"
            )
        reason = _rebuild_reason(old_manifest, record)
        if reason:
            log.warning("Rebuilding the index at %s: %s.", index_dir, reason)
        reusable = _reusable(index_dir, old_manifest) if old_manifest and not reason else {}

        documents = loaded.documents
        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        to_embed: list[tuple[int, Document, list[Chunk]]] = []  # position in `vectors`, document, chunks
        added, updated, unchanged = [], [], 0
        old_docs = (old_manifest or {}).get("documents", {})
        for document in documents:
            previous = reusable.get(document.doc_id)
            # Both hashes: the raw file, and the cleaned text the chunk spans point into (the cleaner may change).
            if previous and previous[0] == (document.content_hash, _text_hash(document)):
                chunks.extend(previous[1])
                vectors.append(previous[2])
                unchanged += 1
                continue
            (updated if document.doc_id in old_docs and not reason else added).append(document.doc_id)
            doc_chunks = chunk_document(document, _chunker(settings), _fits(embedder, document))
            chunks.extend(doc_chunks)
            to_embed.append((len(vectors), document, doc_chunks))
            vectors.append(np.zeros((0, embedder.dimension), dtype=np.float32))
        removed = sorted(set(old_docs) - {d.doc_id for d in documents}) if not reason else []

        manifest_sources = [_relative(p, index_dir) for p in source_paths]
        fingerprints = source_fingerprints(source_paths, index_dir)
        unchanged_all = (
            old_manifest is not None
            and not reason
            and not to_embed
            and not removed
            and old_manifest.get("files") == fingerprints
            and old_manifest.get("sources") == manifest_sources
            and _dense_kind_unchanged(old_manifest, settings, len(chunks))
        )
        embedded = sum(len(c) for _, _, c in to_embed)
        if not unchanged_all:
            texts = [index_text(d, c) for _, d, cs in to_embed for c in cs]
            show = progress if progress is not None else embedded >= PROGRESS_MIN_CHUNKS
            new_vectors = embedder.embed_documents(texts, progress=show)
            offset = 0
            for position, _document, doc_chunks in to_embed:
                vectors[position] = new_vectors[offset : offset + len(doc_chunks)]
                offset += len(doc_chunks)
            by_id = {d.doc_id: d for d in documents}
            manifest = {
                "format_version": store.FORMAT_VERSION,
                **record,
                "sources": manifest_sources,
                "files": fingerprints,
                "documents": {
                    d.doc_id: {
                        "content_hash": d.content_hash,
                        "text_hash": _text_hash(d),
                        "source_path": _relative(Path(d.source_path), index_dir),
                        "title": d.title,
                    }
                    for d in documents
                },
                "chunk_count": len(chunks),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
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
    )


def _dense_kind_unchanged(manifest: dict[str, Any], settings: Settings, chunks: int) -> bool:
    """Whether the live FAISS index is of the type these settings ask for (else it is rebuilt, not re-embedded)."""
    built = (manifest.get("dense_index") or {}).get("type", dense.EXACT)
    return built == dense.choose_kind(chunks, settings.dense_index, settings.exact_max_chunks)


def _chunker(settings: Settings) -> ChunkerSettings:
    return ChunkerSettings(chunk_tokens=settings.chunk_tokens, overlap_tokens=settings.chunk_overlap)


def _fits(embedder: Embedder, document: Document):
    """The embedder's window test for a chunk of this document, title prefix included."""

    def fits(text: str) -> bool:
        body = f"{document.title}\n{text}" if document.title else text
        return embedder.count_tokens([body])[0] <= embedder.max_tokens

    return fits


def _text_hash(document: Document) -> str:
    return hashlib.sha256(document.text.encode("utf-8")).hexdigest()


def _reusable(
    index_dir: Path, manifest: dict[str, Any]
) -> dict[str, tuple[tuple[str, str], list[Chunk], np.ndarray]]:
    """content hash, chunks and vectors of each document in the live index, to skip re-embedding them."""
    try:
        current = store.load_index(index_dir)
    except RagError:
        return {}
    by_doc: dict[str, list[int]] = {}
    for row, chunk in enumerate(current.chunks):
        by_doc.setdefault(chunk.doc_id, []).append(row)
    reusable = {}
    for doc_id, rows in by_doc.items():
        entry = manifest["documents"].get(doc_id, {})
        doc_hash = (entry.get("content_hash", ""), entry.get("text_hash", ""))
        reusable[doc_id] = (doc_hash, [current.chunks[r] for r in rows], np.asarray(current.embeddings[rows]))
    return reusable
