"""The index on disk: one immutable generation folder per build, and a ``CURRENT`` file naming the live one.

A build writes a complete new generation next to the old one and then replaces ``CURRENT`` with
``os.replace`` (atomic on POSIX and Windows). A crash at any moment leaves ``CURRENT`` naming a complete
generation, so the previous index stays usable; readers never see a half-written index.

Layout of a generation: ``manifest.json`` (what built it), ``documents.jsonl`` (cleaned text, metadata and the
map back to the source file), ``chunks.jsonl`` (spans), ``embeddings.npy``, ``dense.faiss``, ``bm25/``, and ``bm25_documents/`` (BM25 over
whole documents, row i the i-th line of ``documents.jsonl``, for ranking documents; generations written before
it lack it, and still load).
The large files are memory-mapped when loaded (embeddings, BM25 matrices, the FAISS index where its type
allows), so a million-chunk index costs RAM only for what searches touch.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from ..errors import IndexDamagedError, IndexMismatchError, IndexNotFoundError, RagError
from ..types import Chunk, Document
from . import dense, health, lexical, tables
from .health import CURRENT, Unreadable, reading
from .onnx_backend import EXPORT_VERSION

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


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
    bm25_documents: bm25s.BM25 | None = None  # None: a generation written before it (documents by best chunk)

    @functools.cached_property
    def document_ids(self) -> list[str]:
        """Document ids in ``documents.jsonl`` order: row i of ``bm25_documents`` is ``document_ids[i]``."""
        return list(self.documents)

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
        so a question about "the Harbour Gazette piece" is not taken for one about something absent.
        """
        weights = lexical.idf_table(self.bm25)
        top = max(weights.values(), default=1.0)
        metadata = [" ".join([*d.authors, d.publication or ""]) for d in self.documents.values()]
        for terms in lexical.tokenize(metadata):
            for term in terms:
                weights.setdefault(term, top)
        return weights


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no index here (or ``CURRENT`` names nothing)."""
    name, _problem = health.read_pointer(index_dir)
    if name is None:
        return None
    path = index_dir / name
    return path if (path / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live manifest, or None when there is no index (or an unreadable one) here."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


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
    if backend == "onnx-int8":
        _check_export_version(built.get("export_version"), index_dir, rebuild)


def _check_export_version(version: Any, index_dir: Path, rebuild: str) -> None:
    """Refuse document vectors of another ONNX export than the one that embeds the queries.

    Indexes built before the manifest recorded the export (no ``export_version``) are searched, with one
    warning: they may hold export 1 or 2 vectors, both within 0.003 cosine of torch's, so refusing them would
    break every existing index for a small loss; the next ``rag index`` re-embeds them, since the record
    differs.
    """
    if version is None:
        if str(index_dir) not in _WARNED_UNVERSIONED:
            _WARNED_UNVERSIONED.add(str(index_dir))
            log.warning(
                "The index at %s does not record which ONNX export embedded it; queries use export %s. "
                "To be sure both match: rag index --index-dir %s",
                index_dir, EXPORT_VERSION, index_dir,
            )  # fmt: skip
        return
    if version != EXPORT_VERSION:
        raise IndexMismatchError(
            f"The index at {index_dir} holds vectors of ONNX export {version}, but this version embeds queries "
            f"with export {EXPORT_VERSION}; their vectors are not compared. {rebuild}."
        )


_WARNED_UNVERSIONED: set[str] = set()


def load_index(index_dir: Path) -> StoredIndex:
    """Read the live generation, after checking that it is whole.

    Raises:
        IndexNotFoundError: no index at ``index_dir``.
        IndexDamagedError: the index is there but damaged; the message says what and the repair command.
    """
    index_dir = Path(index_dir)
    for _attempt in range(3):  # a concurrent build may retire a generation between reading CURRENT and it
        name, pointer_problem = health.read_pointer(index_dir)
        if name is None:
            if pointer_problem is None and not health.generations(index_dir):
                raise IndexNotFoundError(
                    f"No index at {index_dir}. Build one with: rag index SOURCES --index-dir {index_dir}"
                )
            raise IndexDamagedError(health.inspect(index_dir, count_lines=False).message())
        path = index_dir / name
        manifest, problems = health.generation_problems(path, count_lines=False)
        if not problems:
            try:
                return _load_generation(path, manifest)
            except Unreadable as e:  # the full check (line counts) names the damage best; else the error
                problems = health.generation_problems(path, count_lines=True)[1] or [str(e)]
        if health.read_pointer(index_dir)[0] != name:
            time.sleep(0.05)
            continue  # a build made another generation live meanwhile: read that one
        report = health.inspect(index_dir, count_lines=False)
        report.problems = problems if report.healthy else report.problems
        report.state = "damaged"
        raise IndexDamagedError(report.message())
    raise IndexNotFoundError(f"The index at {index_dir} kept changing while it was read; try again.")


def load_generation(path: Path) -> StoredIndex:
    """Load one generation folder (whole or not: ``health.Unreadable`` says what cannot be read)."""
    manifest, problems = health.generation_problems(path, count_lines=False)
    if problems:
        raise Unreadable("; ".join(problems))
    return _load_generation(path, manifest)


def _load_generation(path: Path, manifest: dict[str, Any] | None = None) -> StoredIndex:
    """Load one generation; ``Unreadable`` names the file that cannot be read, or that disagrees with the
    manifest."""
    if manifest is None:
        with reading("manifest.json"):
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    chunk_count = int(manifest.get("chunk_count") or 0)
    if chunk_count >= tables.LAZY_MIN_CHUNKS:
        with reading("documents.jsonl"):
            documents_view = tables.DocumentFile(path / "documents.jsonl", path.parent)
        with reading("chunks.jsonl"):
            chunk_table = tables.ChunkTable(path / "chunks.jsonl", documents_view)
        return _checked(_stored(path, manifest, documents_view, chunk_table))
    documents: dict[str, Document] = {}
    with reading("documents.jsonl"), open(path / "documents.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            # Stored relative to the index folder, so a cloned repository's index points at its own files.
            record["source_path"] = os.path.normpath(path.parent / record["source_path"])
            document = Document.from_dict(record)
            documents[document.doc_id] = document
    chunks: list[Chunk] = []
    with reading("chunks.jsonl"), open(path / "chunks.jsonl", encoding="utf-8") as f:
        for line in f:
            chunk_id, doc_id, start, end = json.loads(line)
            chunks.append(Chunk(chunk_id, doc_id, start, end, documents[doc_id].text[start:end]))
    return _checked(_stored(path, manifest, documents, chunks))


def _checked(index: StoredIndex) -> StoredIndex:
    """``index`` when what was read agrees with its manifest; ``Unreadable`` says where it does not."""
    manifest = index.manifest
    if isinstance(manifest.get("documents"), dict) and len(index.documents) != len(manifest["documents"]):
        raise Unreadable(
            f"documents.jsonl holds {len(index.documents):,} documents; "
            f"the manifest lists {len(manifest['documents']):,}"
        )
    chunk_count = manifest.get("chunk_count")
    if chunk_count is not None and len(index.chunks) != int(chunk_count):
        raise Unreadable(
            f"chunks.jsonl holds {len(index.chunks):,} chunks; the manifest says {int(chunk_count):,}"
        )
    if len(index.embeddings) != len(index.chunks):
        raise Unreadable(
            f"embeddings.npy holds {len(index.embeddings):,} vectors for {len(index.chunks):,} chunks"
        )
    if index.faiss_index.ntotal != len(index.chunks) or index.faiss_index.d != index.embeddings.shape[1]:
        raise Unreadable(
            f"dense.faiss holds {index.faiss_index.ntotal:,} vectors of {index.faiss_index.d} dimensions; "
            f"embeddings.npy holds {len(index.chunks):,} of {index.embeddings.shape[1]}"
        )
    return index


def _stored(
    path: Path, manifest: dict[str, Any], documents: Mapping[str, Document], chunks: Sequence[Chunk]
) -> StoredIndex:
    with reading("embeddings.npy"):
        embeddings = np.load(path / "embeddings.npy", mmap_mode="r")
    with reading("dense.faiss"):
        faiss_index = dense.load_faiss(path / "dense.faiss", manifest.get("dense_index"))
    with reading("bm25/"):
        bm25 = lexical.load_bm25(path / "bm25")
    bm25_documents = None
    if (path / health.BM25_DOCUMENTS).is_dir():
        with reading(f"{health.BM25_DOCUMENTS}/"):
            bm25_documents = lexical.load_bm25(path / health.BM25_DOCUMENTS)
    return StoredIndex(
        path=path,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        embeddings=embeddings,
        faiss_index=faiss_index,
        bm25=bm25,
        bm25_documents=bm25_documents,
    )


LOCK = ".lock"
Waiting = Callable[[str], Any]


def _lock_holder(handle) -> str:
    """Who holds the lock, as its holder wrote it: "process 123 (rag index seeds) since 12:00:01"."""
    try:
        handle.seek(0)
        text = handle.read(2048).decode("utf-8", errors="replace").strip()
        info = json.loads(text) if text else {}
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict) or "pid" not in info:
        return "another process"
    since = f" since {info['since']}" if info.get("since") else ""
    command = f" ({info['command']})" if info.get("command") else ""
    return f"process {info['pid']}{command}{since}"


@contextlib.contextmanager
def write_lock(index_dir: Path, on_wait: Waiting | None = None) -> Iterator[None]:
    """One writer at a time per index folder (two `rag index` runs, or an upload during a rebuild).

    A writer that has to wait says so, once, and for whom: through ``on_wait(message)`` when given, else as a
    log warning (which the CLI prints). The holder's process id, command and start time are in ``.lock``.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)  # never truncated: it names the holder
    with os.fdopen(fd, "r+b", buffering=0) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = (
                f"Waiting for the index at {index_dir}: it is being written by {_lock_holder(handle)}. "
                "This run continues when that one has finished."
            )
            (on_wait or log.warning)(message)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            holder = {
                "pid": os.getpid(),
                "command": _command_line(),
                "since": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(holder).encode("utf-8"))
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _command_line() -> str:
    """This process's command line, short, for the lock file ("rag index seeds --index-dir v")."""
    argv = list(sys.argv)
    if argv and os.path.basename(argv[0]) in ("rag", "__main__.py"):
        argv[0] = "rag"
    text = shlex.join(argv) if argv and argv[0] else "python"
    return text if len(text) <= 200 else text[:199] + "…"


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
        # Whole documents too (title and text), for ranking documents rather than passages. A shard skips it:
        # its documents would be scored with the shard's own statistics (see bm25_global).
        document_texts = [lexical.document_text(d.title, d.text) for d in documents]
        lexical.save_bm25(lexical.build_bm25(document_texts), folder / health.BM25_DOCUMENTS)
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
    """Delete old generations and leftovers of crashed builds (never what ``damaged/`` keeps)."""
    for entry in index_dir.iterdir():
        stale_gen = health.is_generation_name(entry.name) and entry.name not in keep
        crashed = entry.name.startswith(".gen-") and entry.name.endswith(".tmp")
        if entry.is_dir() and (stale_gen or crashed):
            shutil.rmtree(entry, ignore_errors=True)
