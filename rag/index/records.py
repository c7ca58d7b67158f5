"""What a build compares with the manifest and how it chunks: shared by the one-machine build (``build.py``)
and the sharded Ray build (``rag/cluster``), so that both decide "changed" and cut chunks the same way.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..types import Document
from . import store
from .chunking import ChunkerSettings
from .embedding import Embedder
from .sections import longest_prefix


def rebuild_reason(old: dict[str, Any] | None, new: dict[str, Any]) -> str | None:
    """Why every vector of an index with manifest ``old`` is invalid under the settings record ``new``
    (another format, embedder, chunker or BM25 tokenizer); None when its vectors can be reused."""
    if old is None:
        return None
    if old.get("format_version") != store.FORMAT_VERSION:
        return f"the index format changed ({old.get('format_version')} -> {store.FORMAT_VERSION})"
    for key in ("embedder", "chunker", "bm25"):
        if old.get(key) != new[key]:
            return f"the {key} settings changed ({old.get(key)} -> {new[key]})"
    return None


def relative_path(path: Path, index_dir: Path) -> str:
    """``path`` relative to the index folder, as the manifest records it: a cloned repository still finds its
    seeds."""
    return Path(os.path.relpath(path.resolve(), index_dir.resolve())).as_posix()


def text_hash(document: Document) -> str:
    """sha256 of the cleaned text the chunk spans point into (the cleaner may change while the file does not)."""
    return hashlib.sha256(document.text.encode("utf-8")).hexdigest()


def chunker_settings(settings: Settings) -> ChunkerSettings:
    """The chunker the settings ask for."""
    return ChunkerSettings(chunk_tokens=settings.chunk_tokens, overlap_tokens=settings.chunk_overlap)


def window_test(embedder: Embedder, document: Document) -> Callable[[str], bool]:
    """The embedder's window test for a chunk of this document, title prefix (and room for the longest heading
    path, see ``index_text``) included."""
    prefix = "\n".join(p for p in (document.title, longest_prefix(document)) if p)

    def fits(text: str) -> bool:
        body = f"{prefix}\n{text}" if prefix else text
        return embedder.count_tokens([body])[0] <= embedder.max_tokens

    return fits
