"""Is an index folder whole? The checks every load runs, ``rag check``, and setting damage aside for repair.

A generation is whole when its manifest parses, every file it needs is there, and the arrays have the sizes
the manifest says (as many vectors as chunks, of the recorded dimension, no file cut short). The cheap checks
(file headers and sizes) run before every load; counting the lines of the JSONL files is left to the load
itself, which reads them anyway, and to ``rag check`` and ``rag index``, which count them.

``rag index`` treats a damaged generation as missing: it moves it into ``<index>/damaged/`` for inspection and
rebuilds from the sources the index recorded, reusing the vectors of the newest whole generation, if any.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..settings import DEFAULT_INDEX_DIR, DEFAULT_SOURCES

CURRENT = "CURRENT"
DAMAGED = "damaged"  # where damaged generations are kept for inspection, inside the index folder
MANIFEST = "manifest.json"
SOURCES_RECORD = "sources.json"  # beside CURRENT: what the index is built from, should every manifest be lost
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
EMBEDDINGS = "embeddings.npy"
DENSE = "dense.faiss"
BM25 = "bm25"
BM25_DOCUMENTS = "bm25_documents"  # optional: generations written before it lack it, and still load
BM25_FILES = ("params.index.json", "vocab.index.json")
BM25_ARRAYS = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
_GENERATION = re.compile(r"gen-[0-9A-Za-z][0-9A-Za-z._-]{0,120}")
_MAX_POINTER_BYTES = 256


class Unreadable(Exception):
    """A generation's file could not be read; the message says which, and how (used inside the store)."""


def is_generation_name(name: str) -> bool:
    return _GENERATION.fullmatch(name) is not None


def read_pointer(index_dir: Path) -> tuple[str | None, str | None]:
    """(the generation ``CURRENT`` names, what is wrong with ``CURRENT``); (None, None) when it is absent.

    Never raises: garbage in ``CURRENT`` (binary bytes, a path, a huge file) is a problem to report.
    """
    pointer = Path(index_dir) / CURRENT
    try:
        with open(pointer, "rb") as f:
            raw = f.read(_MAX_POINTER_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as e:
        return None, f"{CURRENT} cannot be read ({e.strerror or e})"
    name = raw.decode("ascii", errors="replace").strip()
    if len(raw) > _MAX_POINTER_BYTES or not is_generation_name(name):
        return None, (
            f"{CURRENT} does not name a generation (it holds {len(raw)}{'+' if len(raw) > _MAX_POINTER_BYTES else ''} "
            "bytes of something else)"
        )
    return name, None


def generations(index_dir: Path) -> list[Path]:
    """The generation folders in ``index_dir``, oldest first (names start with their build time)."""
    try:
        entries = list(Path(index_dir).iterdir())
    except OSError:
        return []
    return sorted((p for p in entries if p.is_dir() and is_generation_name(p.name)), key=lambda p: p.name)


def _count_lines(path: Path) -> tuple[int, bool]:
    """(number of lines, whether the file ends with a line break), read in blocks."""
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n"), last == b"\n"


def npy_header(path: Path) -> tuple[tuple[int, ...], np.dtype, int]:
    """(shape, dtype, offset of the data) of a ``.npy`` file; ValueError when it is not one."""
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            shape, _fortran, dtype = np.lib.format._read_array_header(f, version)  # noqa: SLF001
        return tuple(shape), np.dtype(dtype), f.tell()


def _npy_problem(path: Path, label: str) -> tuple[tuple[int, ...] | None, str | None]:
    """(shape, None) when the array file is whole, else (None, what is wrong)."""
    try:
        shape, dtype, offset = npy_header(path)
    except FileNotFoundError:
        return None, f"{label} is missing"
    except (OSError, ValueError, SyntaxError) as e:
        return None, f"{label} is not a NumPy array file ({' '.join(str(e).split())[:120]})"
    expected = offset + math.prod(shape) * dtype.itemsize
    size = path.stat().st_size
    if size < expected:
        return None, f"{label} is cut short ({size:,} of {expected:,} bytes)"
    return shape, None


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{value!r} is not a number")
    return int(value)


def generation_problems(path: Path, *, count_lines: bool = True) -> tuple[dict[str, Any] | None, list[str]]:
    """(the generation's manifest when it parses, what is wrong with the generation: empty when it is whole).

    ``count_lines`` also counts the lines of ``chunks.jsonl`` and ``documents.jsonl`` against the manifest
    (a full read of both; loading the index checks the same from what it read).
    """
    path = Path(path)
    if not path.is_dir():
        return None, [f"{CURRENT} names {path.name}, which is not in {path.parent}"]
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{MANIFEST} is missing from {path.name}"]
    except (OSError, ValueError) as e:
        return None, [f"{MANIFEST} of {path.name} cannot be parsed ({' '.join(str(e).split())[:120]})"]
    if not isinstance(manifest, dict):
        return None, [f"{MANIFEST} of {path.name} is not a JSON object"]
    problems: list[str] = []
    # What the manifest says is checked; what it does not say (an index written by other tools) is not.
    try:
        chunk_count = _optional_int(manifest.get("chunk_count"))
        dimension = _optional_int((manifest.get("embedder") or {}).get("dimension"))
        documents = manifest.get("documents")
        if documents is not None and not isinstance(documents, dict):
            raise TypeError("'documents' is not an object")
    except (TypeError, ValueError, AttributeError) as e:
        return None, [f"{MANIFEST} of {path.name} is incomplete ({e})"]

    for name in (DOCUMENTS, CHUNKS, DENSE):
        if not (path / name).is_file():
            problems.append(f"{name} is missing")
    shape, problem = _npy_problem(path / EMBEDDINGS, EMBEDDINGS)
    stored = shape if shape is not None and len(shape) == 2 else None
    if problem:
        problems.append(problem)
    elif stored is None:
        problems.append(f"{EMBEDDINGS} holds an array of shape {shape}, not one vector per chunk")
    else:
        if chunk_count is not None and stored[0] != chunk_count:
            problems.append(
                f"{EMBEDDINGS} holds {stored[0]:,} vectors, the manifest says {chunk_count:,} chunks"
            )
        if dimension is not None and stored[1] != dimension:
            problems.append(
                f"{MANIFEST} says {dimension} dimensions, but {EMBEDDINGS} holds vectors of {stored[1]}"
            )
    if not (path / BM25).is_dir():
        problems.append(f"{BM25}/ is missing")
    for folder in (BM25, BM25_DOCUMENTS):
        if (path / folder).is_dir():
            problems.extend(
                f"{folder}/{name} is missing" for name in BM25_FILES if not (path / folder / name).is_file()
            )
            for name in BM25_ARRAYS:
                _shape, problem = _npy_problem(path / folder / name, f"{folder}/{name}")
                if problem:
                    problems.append(problem)
    dense = path / DENSE
    if dense.is_file() and stored is not None:
        flat = (manifest.get("dense_index") or {}).get("type", "flat") == "flat"
        size = dense.stat().st_size
        if size < max(stored[0] * stored[1] * 4 if flat else 0, 1):  # a flat index stores every vector
            problems.append(f"{DENSE} is cut short ({size:,} bytes for {stored[0]:,} vectors)")
    if count_lines:
        expected_lines = [(CHUNKS, chunk_count, "chunks")]
        if documents is not None:
            expected_lines.append((DOCUMENTS, len(documents), "documents"))
        for name, expected, what in expected_lines:
            if expected is not None and (path / name).is_file():
                lines, whole = _count_lines(path / name)
                if lines != expected or not whole:
                    cut = "" if whole else ", its last line cut short"
                    problems.append(
                        f"{name} holds {lines:,} lines{cut}; the manifest says {expected:,} {what}"
                    )
    return manifest, problems


@dataclass
class IndexHealth:
    """What ``inspect`` found in an index folder."""

    index_dir: Path
    state: str  # "missing" (nothing here), "healthy", or "damaged"
    problems: list[str] = field(default_factory=list)
    generation: Path | None = None  # the generation CURRENT names (whole or not)
    manifest: dict[str, Any] | None = None  # the live manifest, when it parses
    intact: Path | None = None  # the newest whole generation (the live one when healthy)
    intact_manifest: dict[str, Any] | None = None
    pointer_damaged: bool = False  # CURRENT itself is missing, unreadable, or names nothing
    sources_record: dict[str, Any] | None = None  # sources.json, read when no manifest says it

    @property
    def healthy(self) -> bool:
        return self.state == "healthy"

    @property
    def damaged(self) -> bool:
        return self.state == "damaged"

    @property
    def recorded(self) -> dict[str, Any] | None:
        """What says what the index was built from: the live manifest, else the newest whole generation's,
        else ``sources.json`` (its sources, uploads and removed documents only)."""
        return self.manifest or self.intact_manifest or self.sources_record

    def message(self) -> str:
        """One line: what is damaged and the command that repairs it."""
        return (
            f"The index at {self.index_dir} is damaged: {'; '.join(self.problems)}. "
            f"Repair it with: {repair_command(self.index_dir, sources_known=self.recorded is not None)}"
        )


def repair_command(index_dir: Path, *, sources_known: bool = True) -> str:
    """The ``rag index`` command that rebuilds this index."""
    bundled = Path(index_dir).resolve() == DEFAULT_INDEX_DIR.resolve()
    if bundled:  # the default folder: a checkout rebuilds it from its seeds, an installed copy needs sources
        return "rag index" if DEFAULT_SOURCES or sources_known else "rag index SOURCES"
    return f"rag index {'' if sources_known else 'SOURCES '}--index-dir {index_dir}"


def inspect(index_dir: Path, *, count_lines: bool = True) -> IndexHealth:
    """The health of the index at ``index_dir``: missing, healthy, or damaged (and what is damaged)."""
    index_dir = Path(index_dir)
    name, pointer_problem = read_pointer(index_dir)
    found = generations(index_dir)
    health = IndexHealth(index_dir=index_dir, state="healthy")
    if name is None:
        if pointer_problem is None and not found:
            health.state = "missing"
            return health
        health.state = "damaged"
        health.pointer_damaged = True
        health.problems.append(
            pointer_problem
            or f"{CURRENT} is missing (the folder holds {len(found)} generation{'s' if len(found) != 1 else ''})"
        )
    else:
        health.generation = index_dir / name
        health.manifest, problems = generation_problems(health.generation, count_lines=count_lines)
        if problems:
            health.state = "damaged"
            health.problems.extend(problems)
            health.pointer_damaged = not health.generation.is_dir()
        else:
            health.intact, health.intact_manifest = health.generation, health.manifest
            return health
    for candidate in reversed(found):  # the newest whole generation: its sources, and vectors to reuse
        if candidate == health.generation:
            continue
        manifest, problems = generation_problems(candidate, count_lines=count_lines)
        if not problems:
            health.intact, health.intact_manifest = candidate, manifest
            break
    if health.recorded is None:
        health.sources_record = read_sources_record(index_dir)
    return health


def read_sources_record(index_dir: Path) -> dict[str, Any] | None:
    """``sources.json``: the sources, uploads folder and removed documents of the last build, or None."""
    try:
        record = json.loads((Path(index_dir) / SOURCES_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("sources"), list):
        return None
    return {
        "sources": record["sources"],
        "uploads": record.get("uploads"),
        "excluded": record.get("excluded") or {},
    }


def write_sources_record(index_dir: Path, manifest: dict[str, Any]) -> None:
    """Keep what the index is built from beside ``CURRENT`` too (written atomically), so that a damaged
    index whose every manifest is lost can still be rebuilt from its sources."""
    record = {key: manifest.get(key) for key in ("sources", "uploads", "excluded")}
    target = Path(index_dir) / SOURCES_RECORD
    tmp = target.with_name(f".{SOURCES_RECORD}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def set_aside(health: IndexHealth) -> list[Path]:
    """Move what is damaged into ``<index>/damaged/`` (kept for inspection); returns where it went."""
    folder = health.index_dir / DAMAGED
    moved: list[Path] = []
    stamp = time.strftime("%Y%m%dT%H%M%S")
    targets: list[Path] = []
    if health.generation is not None and health.generation.is_dir() and health.intact != health.generation:
        targets.append(health.generation)
    if health.pointer_damaged and (health.index_dir / CURRENT).exists():
        targets.append(health.index_dir / CURRENT)
    for source in targets:
        folder.mkdir(exist_ok=True)
        target = folder / (source.name if source.name != CURRENT else f"{CURRENT}-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{source.name}-{stamp}-{n}"
        os.replace(source, target)
        moved.append(target)
    return moved


@contextlib.contextmanager
def reading(name: str) -> Iterator[None]:
    """Turn any failure to read the generation's file ``name`` into ``Unreadable`` with a short reason."""
    try:
        yield
    except Unreadable:
        raise
    except FileNotFoundError as e:
        raise Unreadable(f"{name} is missing") from e
    except (OSError, ValueError, KeyError, IndexError, TypeError, RuntimeError, EOFError) as e:
        detail = " ".join(str(e).split())
        if isinstance(e, RuntimeError) and "Error:" in detail:  # faiss: keep its reason, drop the C++ frame
            detail = detail.rsplit("Error:", 1)[-1].strip()
        if isinstance(e, KeyError):
            detail = f"it refers to {detail}, which is not in {DOCUMENTS}"
        raise Unreadable(f"{name} cannot be read ({detail[:160]})") from e


__all__ = [
    "IndexHealth",
    "Unreadable",
    "generation_problems",
    "generations",
    "inspect",
    "read_pointer",
    "reading",
    "repair_command",
    "set_aside",
]


def lock_holder(index_dir: Path) -> str | None:
    """Who is writing the index now ("process 123 (rag index seeds) since ..."), or None when nobody is."""
    import fcntl

    from .store import LOCK, _lock_holder

    path = Path(index_dir) / LOCK
    if not path.is_file():
        return None
    with open(path, "r+b", buffering=0) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _lock_holder(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


@dataclass
class CheckReport:
    """What ``rag check`` says: whether the index can be used as it is, and the lines that say why."""

    ok: bool
    lines: list[str]

    def text(self) -> str:
        return "\n".join(self.lines)


def check_index(index_dir: Path, settings: Any = None) -> CheckReport:
    """The health of an index, for people: whole or damaged (and how to repair it), what it was built from,
    whether its sources changed since, uploads and removed documents, and who is writing it now.

    ``ok`` is False when the index is missing, damaged, or built with another embedder than ``settings`` use.
    """
    from ..errors import IndexMismatchError
    from ..settings import Settings
    from .build import UPLOADS, recorded_paths, source_fingerprints
    from .store import check_compatible

    index_dir = Path(index_dir)
    settings = settings or Settings.from_env()
    state = inspect(index_dir)
    lines: list[str] = []
    writer = lock_holder(index_dir)
    if writer:
        lines.append(f"Being written now by {writer}.")
    if state.state == "missing":
        return CheckReport(
            False,
            [f"No index at {index_dir}. Build one with: rag index SOURCES --index-dir {index_dir}", *lines],
        )
    kept = sorted(p.name for p in (index_dir / DAMAGED).iterdir()) if (index_dir / DAMAGED).is_dir() else []
    kept_line = (
        f"Kept for inspection in {index_dir / DAMAGED}: {', '.join(kept)} (delete them when done)."
        if kept
        else None
    )
    if state.damaged:
        lines = [f"DAMAGED: the index at {index_dir}", *(f"  - {p}" for p in state.problems)]
        if state.intact is not None:
            lines.append(
                f"  the generation {state.intact.name} before it is whole; its vectors will be reused"
            )
        lines.append(f"Repair it with: {repair_command(index_dir, sources_known=state.recorded is not None)}")
        lines.extend(x for x in (kept_line, writer and f"Being written now by {writer}.") if x)
        return CheckReport(False, lines)
    manifest = state.manifest or {}
    embedder = manifest.get("embedder", {})
    dense = manifest.get("dense_index") or {"type": "flat"}
    lines = [
        f"Healthy: the index at {index_dir} ({state.generation.name if state.generation else '?'})",
        f"  {len(manifest.get('documents', {})):,} documents, {int(manifest.get('chunk_count') or 0):,} chunks, "
        f"built {manifest.get('built_at', '?')}",
        f"  embedder {embedder.get('name')} ({embedder.get('backend', 'torch')}, {embedder.get('dimension')} "
        f"dimensions); dense index {dense.get('type')}",
        *lines,
    ]
    ok = True
    try:
        check_compatible(manifest, settings.embedder, settings.embedder_backend, index_dir)
    except IndexMismatchError as e:
        ok = False
        lines.append(f"Cannot be searched with the current settings: {e}")
    sources = [index_dir / s for s in manifest.get("sources", [])]
    for source in sources:
        where = os.path.normpath(source)
        lines.append(
            f"  source {where}"
            + ("" if source.exists() else " — MISSING: restore it, or rag remove --source")
        )
    uploads = index_dir / UPLOADS
    if uploads.is_dir():
        count = sum(1 for p in uploads.iterdir() if p.is_file() and not p.name.startswith("."))
        lines.append(f"  uploads {uploads} ({count} files)")
    excluded = manifest.get("excluded") or {}
    if excluded:
        lines.append(f"  {len(excluded)} documents removed with rag remove: {', '.join(sorted(excluded)[:5])}"
                     + (" ..." if len(excluded) > 5 else ""))  # fmt: skip
    walked = recorded_paths(index_dir, manifest)
    if all(p.exists() for p in walked):
        now = source_fingerprints(walked, index_dir)
        then = manifest.get("files") or {}
        changed = sorted(k for k in now.keys() | then.keys() if now.get(k) != then.get(k))
        if changed:
            lines.append(
                f"Out of date: {len(changed)} source files changed since the build ({', '.join(changed[:3])}"
                f"{' ...' if len(changed) > 3 else ''}); update it with: {repair_command(index_dir)}"
            )
        else:
            lines.append("Up to date with its sources.")
    if kept_line:
        lines.append(kept_line)
    return CheckReport(ok, lines)
