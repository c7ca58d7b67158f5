"""The index on disk: one immutable generation folder per build, and a ``CURRENT`` file naming the live one.

A build writes a complete new generation next to the old one and then replaces ``CURRENT`` with
``os.replace`` (atomic on POSIX and Windows). A crash at any moment leaves ``CURRENT`` naming a complete
generation, so the previous index stays usable; readers never see a half-written index.

Layout of a generation: ``manifest.json`` (what built it), ``documents.jsonl`` (cleaned text, metadata and the
map back to the source file), ``chunks.jsonl`` (spans), ``embeddings.npy``, ``dense.faiss``, ``bm25/``.
The large files are memory-mapped when loaded (embeddings, BM25 matrices, the FAISS index where its type
allows), so a million-chunk index costs RAM only for what searches touch.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from ..errors import IndexMismatchError, IndexNotFoundError, RagError
from ..types import Chunk, Document
from . import dense, lexical, tables

FORMAT_VERSION = 1
CURRENT = "CURRENT"


@dataclass
class StoredIndex:
    """A loaded generation: everything retrieval and citation need, read-only."""

    path: Path
    manifest: dict[str, Any]
    documents: Mapping[str, Document]  # a dict, or for large indexes a view that reads documents on demand
    chunks: Sequence[Chunk]  # a list, or for large indexes a table that makes each Chunk on demand
    embeddings: np.ndarray
    faiss_index: faiss.Index
    bm25: bm25s.BM25

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """Stored vectors of ``rows`` (sorted ascending is fastest), read from the file, not the memory map.

        Re-scoring ANN candidates reads a hundred scattered rows per question; through the map, each read
        pulls ~64 KB of neighbouring pages into this process (the kernel's fault-around), and a million-chunk
        index's 1.5 GB of vectors is resident after a few hundred questions. ``pread`` leaves them in the
        page cache, shared and reclaimable, instead.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if not isinstance(self.embeddings, np.memmap):  # vectors held in memory: nothing to avoid
            return np.asarray(self.embeddings[rows])
        dtype, dim = self.embeddings.dtype, self.embeddings.shape[1]
        width, offset = dim * dtype.itemsize, int(self.embeddings.offset)
        out = np.empty((len(rows), dim), dtype=dtype)
        fd = os.open(self.path / "embeddings.npy", os.O_RDONLY)
        try:
            for i, row in enumerate(rows.tolist()):
                out[i] = np.frombuffer(os.pread(fd, width, offset + row * width), dtype=dtype)
        finally:
            os.close(fd)
        return out

    @property
    def dense_record(self) -> dict[str, Any]:
        """The dense index's type and tuned parameters (``{"type": "flat"}`` for indexes that predate them)."""
        return self.manifest.get("dense_index") or {"type": dense.EXACT}

    @functools.cached_property
    def term_weights(self) -> dict[str, float]:
        """BM25 idf of every indexed term: how telling a word is in this collection.

        Words of the documents' metadata (authors, publication) count as known too, at the highest weight,
        so a question about "the National Interest piece" is not taken for one about something absent.
        """
        weights = lexical.idf_table(self.bm25)
        top = max(weights.values(), default=1.0)
        metadata = [" ".join([*d.authors, d.publication or ""]) for d in self.documents.values()]
        for terms in lexical.tokenize(metadata):
            for term in terms:
                weights.setdefault(term, top)
        return weights


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no index here."""
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    path = index_dir / name
    return path if name and (path / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live manifest, or None when there is no index (or an unreadable one) here."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check_compatible(manifest: dict[str, Any], embedder: str, backend: str, index_dir: Path) -> None:
    """Refuse an index built with another format or embedder, saying how to rebuild it.

    Raises:
        IndexMismatchError: the index cannot be searched with this embedder.
    """
    rebuild = f"Rebuild it with: rag index SOURCES --index-dir {index_dir}"
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index at {index_dir} has format {manifest.get('format_version')}, this version reads "
            f"{FORMAT_VERSION}. {rebuild}"
        )
    built = manifest.get("embedder", {})
    built_backend = built.get("backend", "torch")
    if built.get("name") != embedder or built_backend != backend:
        switch = (
            f"RAG_EMBEDDER={built.get('name')}"
            if built.get("name") != embedder
            else f"RAG_EMBEDDER_BACKEND={built_backend}"
        )
        raise IndexMismatchError(
            f"The index at {index_dir} was built with embedder '{built.get('name')}' "
            f"(backend {built_backend}), but '{embedder}' (backend {backend}) is configured. "
            f"Vectors from different embedders or backends are not compared. {rebuild}, or set {switch}."
        )


def load_index(index_dir: Path) -> StoredIndex:
    """Read the live generation.

    Raises:
        IndexNotFoundError: no index at ``index_dir``.
    """
    for _attempt in range(3):  # a concurrent build may retire a generation between reading CURRENT and it
        generation = current_generation(index_dir)
        if generation is None:
            raise IndexNotFoundError(
                f"No index at {index_dir}. Build one with: rag index SOURCES --index-dir {index_dir}"
            )
        try:
            return _load_generation(generation)
        except FileNotFoundError:
            time.sleep(0.05)
    raise IndexNotFoundError(f"The index at {index_dir} kept changing while it was read; try again.")


def _load_generation(path: Path) -> StoredIndex:
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    if int(manifest.get("chunk_count") or 0) >= tables.LAZY_MIN_CHUNKS:
        documents_view = tables.DocumentFile(path / "documents.jsonl", path.parent)
        return _stored(
            path, manifest, documents_view, tables.ChunkTable(path / "chunks.jsonl", documents_view)
        )
    documents: dict[str, Document] = {}
    with open(path / "documents.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            # Stored relative to the index folder, so a cloned repository's index points at its own files.
            record["source_path"] = os.path.normpath(path.parent / record["source_path"])
            document = Document.from_dict(record)
            documents[document.doc_id] = document
    chunks: list[Chunk] = []
    with open(path / "chunks.jsonl", encoding="utf-8") as f:
        for line in f:
            chunk_id, doc_id, start, end = json.loads(line)
            chunks.append(Chunk(chunk_id, doc_id, start, end, documents[doc_id].text[start:end]))
    return _stored(path, manifest, documents, chunks)


def _stored(
    path: Path, manifest: dict[str, Any], documents: Mapping[str, Document], chunks: Sequence[Chunk]
) -> StoredIndex:
    return StoredIndex(
        path=path,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        embeddings=np.load(path / "embeddings.npy", mmap_mode="r"),
        faiss_index=dense.load_faiss(path / "dense.faiss", manifest.get("dense_index")),
        bm25=lexical.load_bm25(path / "bm25"),
    )


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time per index folder (two `rag index` runs, or an upload during a rebuild)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_generation(
    index_dir: Path,
    manifest: dict[str, Any],
    documents: list[Document],
    chunks: list[Chunk],
    embeddings: np.ndarray,
    bm25_texts: list[str],
    *,
    dense_index: str = dense.AUTO,
    exact_max_chunks: int = 100_000,
    bm25_stats: Any = None,
) -> Path:
    """Write a complete new generation, then make it live atomically; older generations are removed.

    The generation before the new one is kept, so a reader that opened it a moment ago can finish.
    ``dense_index`` and ``exact_max_chunks`` choose the FAISS index (see ``dense.choose_kind``); the choice
    and its tuned parameters are added to the manifest as ``dense_index``. ``bm25_stats`` (a shard's
    ``bm25_global.CorpusStats`` of the whole collection) makes BM25 score with the collection's statistics.
    """
    if len(chunks) != len(embeddings) or len(chunks) != len(bm25_texts):
        raise RagError(f"Internal error: {len(chunks)} chunks but {len(embeddings)} vectors.")
    previous = current_generation(index_dir)
    name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    tmp = index_dir / f".{name}.tmp"
    tmp.mkdir(parents=True)
    try:
        index, record = dense.build_dense_index(
            embeddings, kind=dense_index, exact_max_chunks=exact_max_chunks
        )
        manifest = {**manifest, "dense_index": record}
        _write_files(tmp, manifest, documents, chunks, embeddings, index, bm25_texts, bm25_stats)
        os.replace(tmp, index_dir / name)  # the folder appears whole under its final name
        _fsync_dir(index_dir)
        pointer_tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        with open(pointer_tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(pointer_tmp, index_dir / CURRENT)
        _fsync_dir(index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_stale(index_dir, keep={name, previous.name if previous else ""})
    return index_dir / name


def _write_files(
    folder: Path,
    manifest: dict[str, Any],
    documents: list[Document],
    chunks: list[Chunk],
    embeddings: np.ndarray,
    faiss_index: faiss.Index,
    bm25_texts: list[str],
    bm25_stats: Any = None,
) -> None:
    with open(folder / "documents.jsonl", "w", encoding="utf-8") as f:
        for document in documents:
            record = document.to_dict()
            record["source_path"] = os.path.relpath(os.path.abspath(document.source_path), folder.parent)
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as f:
        for chunk in chunks:
            f.write(json.dumps([chunk.chunk_id, chunk.doc_id, chunk.start, chunk.end]) + "\n")
    np.save(folder / "embeddings.npy", np.ascontiguousarray(embeddings, dtype=np.float32))
    dense.save_faiss(faiss_index, folder / "dense.faiss")
    if bm25_stats is None:
        lexical.save_bm25(lexical.build_bm25(bm25_texts), folder / "bm25")
    else:
        from . import bm25_global  # a shard of a sharded index: BM25 with the whole collection's statistics

        lexical.save_bm25(bm25_global.build_bm25(bm25_texts, bm25_stats), folder / "bm25")
    # The manifest goes last: a generation without one is never made live.
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as f:
                os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(index_dir: Path, keep: set[str]) -> None:
    """Delete old generations and leftovers of crashed builds."""
    for entry in index_dir.iterdir():
        stale_gen = entry.name.startswith("gen-") and entry.name not in keep
        crashed = entry.name.startswith(".gen-") and entry.name.endswith(".tmp")
        if entry.is_dir() and (stale_gen or crashed):
            shutil.rmtree(entry, ignore_errors=True)
