"""Memory-light views of a large generation's documents and chunks, for indexes of a million chunks.

A loaded index used to hold every document and every chunk as Python objects, each chunk with its own copy
of its text: ~2 KB of RAM per chunk, 2 GB at a million. Above ``LAZY_MIN_CHUNKS`` chunks the store loads
these views instead: documents are read from ``documents.jsonl`` when asked for (a few per question) and
kept in a small cache; chunks are three integer arrays and their ids, and a ``Chunk`` is made on demand with
its text sliced from its document. Both behave as the ``dict`` and ``list`` they replace.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np

from ..types import Chunk, Document

LAZY_MIN_CHUNKS = 50_000  # below this, plain objects: a few MB, and no file reads while answering
_DOC_ID = re.compile(rb'^\{"doc_id": ("(?:[^"\\]|\\.)*")')  # Document.to_dict() writes doc_id first


class DocumentFile(Mapping[str, Document]):
    """``documents.jsonl`` as a read-only mapping doc_id -> Document, parsed line by line when accessed."""

    def __init__(self, path: Path, index_dir: Path, cache_size: int = 2048) -> None:
        self._index_dir = index_dir
        self._fd = os.open(path, os.O_RDONLY)
        self._spans: dict[str, tuple[int, int]] = {}
        offset = 0
        with open(path, "rb") as f:
            for line in f:
                match = _DOC_ID.match(line)
                doc_id = json.loads(match.group(1)) if match else json.loads(line)["doc_id"]
                self._spans[doc_id] = (offset, len(line))
                offset += len(line)
        self._cache: OrderedDict[str, Document] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def __getitem__(self, doc_id: str) -> Document:
        with self._lock:
            cached = self._cache.get(doc_id)
            if cached is not None:
                self._cache.move_to_end(doc_id)
                return cached
        offset, length = self._spans[doc_id]  # KeyError for an unknown id, as a dict
        record = json.loads(os.pread(self._fd, length, offset))
        # Stored relative to the index folder, so a cloned repository's index points at its own files.
        record["source_path"] = os.path.normpath(self._index_dir / record["source_path"])
        document = Document.from_dict(record)
        with self._lock:
            self._cache[doc_id] = document
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return document

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._spans

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)


class ChunkTable(Sequence[Chunk]):
    """The chunks of a generation as arrays; ``table[i]`` is the ``Chunk`` of row ``i``, made on demand."""

    def __init__(self, path: Path, documents: Mapping[str, Document]) -> None:
        self._documents = documents
        ids: list[str] = []
        doc_ids: list[str] = []
        doc_rows: dict[str, int] = {}
        spans: list[tuple[int, int, int]] = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                chunk_id, doc_id, start, end = json.loads(line)
                row = doc_rows.get(doc_id)
                if row is None:
                    row = doc_rows[doc_id] = len(doc_ids)
                    doc_ids.append(doc_id)
                ids.append(chunk_id)
                spans.append((row, start, end))
        self._ids = ids
        self._doc_ids = doc_ids
        table = np.asarray(spans, dtype=np.int64).reshape(-1, 3)
        self._doc_row, self._start, self._end = table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy()

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, row: int) -> Chunk: ...

    @overload
    def __getitem__(self, row: slice) -> list[Chunk]: ...

    def __getitem__(self, row: int | slice) -> Chunk | list[Chunk]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(f"chunk row {row} out of range (0..{len(self) - 1})")
        doc_id = self._doc_ids[self._doc_row[row]]
        start, end = int(self._start[row]), int(self._end[row])
        return Chunk(self._ids[row], doc_id, start, end, self._documents[doc_id].text[start:end])

    def doc_id(self, row: int) -> str:
        """The document of chunk ``row``, without reading the document."""
        return self._doc_ids[self._doc_row[row]]
