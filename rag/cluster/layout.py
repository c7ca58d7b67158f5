"""The on-disk shape of a sharded index; no Ray here, so a local process can read it.

``DIR/`` holds a top-level generation (``CURRENT`` -> ``gen-.../``) whose ``manifest.json`` lists the shards
(and the generation of each it was built with), every document's hashes and shard, and the collection's BM25
statistics; ``term_weights.json`` holds the collection's idf table for the answer generators. Each shard is an
ordinary index folder, ``DIR/shards/shard-NNN/``, written with ``store.write_generation``: the same atomic
generations and manifest as a one-machine index. The top-level ``CURRENT`` is replaced last, so a reader sees
either the old set of shard generations or the new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from ..index import store

SHARDS = "shards"


def shard_of(doc_id: str, shards: int) -> int:
    """The shard of a document: a stable hash of its id (the same on every machine and Python run)."""
    return int.from_bytes(hashlib.sha1(doc_id.encode("utf-8")).digest()[:8], "big") % shards


def shard_dir(index_dir: Path, shard: int) -> Path:
    return index_dir / SHARDS / f"shard-{shard:03d}"


def is_sharded(manifest: dict[str, Any] | None) -> bool:
    return bool(manifest and manifest.get("shards"))


def write_top_generation(index_dir: Path, manifest: dict[str, Any], term_weights: dict[str, float]) -> Path:
    """Write the top-level generation (manifest and idf table), then make it live atomically."""
    previous = store.current_generation(index_dir)
    name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    tmp = index_dir / f".{name}.tmp"
    tmp.mkdir(parents=True)
    try:
        (tmp / "term_weights.json").write_text(json.dumps(term_weights), encoding="utf-8")
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(tmp, index_dir / name)
        pointer = index_dir / f".{store.CURRENT}.{os.getpid()}.tmp"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, index_dir / store.CURRENT)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for entry in index_dir.iterdir():  # older top-level generations (the one before is kept for readers)
        if (
            entry.is_dir()
            and entry.name.startswith("gen-")
            and entry.name not in {name, getattr(previous, "name", "")}
        ):
            shutil.rmtree(entry, ignore_errors=True)
    return index_dir / name


def read_term_weights(generation: Path) -> dict[str, float]:
    return json.loads((generation / "term_weights.json").read_text(encoding="utf-8"))
