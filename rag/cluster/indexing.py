"""``rag index --ray``: a sharded index built by a Ray Data job.

documents (read and cleaned in Ray tasks) -> chunks (Ray tasks) -> vectors (an actor pool, one embedder per
actor, loaded once, spread over the nodes): the job in ``job.py``; then S shards by a stable hash of the
document id -> one builder actor per shard, which counts its BM25 statistics, then writes its FAISS + BM25
generation with the summed, collection-wide statistics -> the top-level manifest that lists the shards.
Unchanged documents are not embedded again: their vectors come from their shard's live generation.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ray

from ..errors import ClusterError, RagError
from ..index import bm25_global, lexical, store
from ..index.build import (
    IndexReport,
    build_settings_record,
    document_entry,
    document_key,
    entry_key,
    source_fingerprints,
)
from ..index.embedding import get_embedder
from ..index.records import rebuild_reason, relative_path
from ..ingest import find_source_files
from ..settings import Settings
from ..types import Document
from . import job, layout
from .errors import connect
from .shard_build import ShardBuilder

log = logging.getLogger(__name__)

DEFAULT_SHARDS = 2


@dataclass(frozen=True)
class ShardedIndexReport(IndexReport):
    """An ``IndexReport`` with the shards and, per Ray node id, how many chunks it embedded."""

    shards: int = 0
    workers: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        nodes = ", ".join(f"{node[:12]}: {n}" for node, n in sorted(self.workers.items())) or "none"
        return super().summary() + f"\n{self.shards} shards; chunks embedded per Ray node: {nodes}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changed": self.changed}


def _say(progress: bool, message: str) -> None:
    """A progress line on stderr (Ray Data draws its own bars for the embedding job)."""
    log.info(message)
    if progress:
        print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _job_failing() -> Iterator[None]:
    """A failure of the Ray job as a ``ClusterError`` with its cause in one line."""
    try:
        yield
    except ray.exceptions.RayError as e:
        cause = str(e).strip().splitlines()[-1][:300]
        raise ClusterError(f"The Ray indexing job failed ({cause}); the index was left as it was.") from e


def _worker_nodes() -> int:
    alive = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
    return max(1, len(alive))


def build_sharded_index(
    sources: Sequence[str | Path],
    *,
    index_dir: str | Path,
    settings: Settings,
    shards: int | None = None,
    progress: bool = True,
) -> ShardedIndexReport:
    """Build or update the sharded index at ``index_dir`` from ``sources`` on the Ray cluster of ``settings``.

    Raises:
        ClusterError: Ray is missing or unreachable.
        RagError: no document could be read, or a bad shard count.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    connect(settings.ray_address or "auto")
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend, device=settings.device)
    with store.write_lock(index_dir):
        old = store.read_manifest(index_dir)
        old_shards = len(old["shards"]) if layout.is_sharded(old) else None
        shards = shards or old_shards or DEFAULT_SHARDS
        if shards < 1:
            raise RagError(f"--shards must be at least 1, got {shards}.")
        files = find_source_files([Path(s) for s in sources], exclude=[index_dir])
        _say(progress, f"Reading {len(files)} files on Ray ({_worker_nodes()} nodes).")
        with _job_failing():
            loaded = job.read_documents(files, progress) if files else None
        if loaded is None or not loaded.documents:
            raise RagError(
                "No document could be read from " + ", ".join(map(str, sources)) + "; nothing was built."
            )
        record = build_settings_record(settings, embedder)
        reason = rebuild_reason(old, record)
        if old is not None and not reason and old_shards != shards:
            reason = f"the number of shards changed ({old_shards or 'not sharded'} -> {shards})"
        old_docs = (old or {}).get("documents", {}) if not reason else {}
        documents = loaded.documents
        todo = [
            d
            for d in documents
            if d.doc_id not in old_docs or entry_key(old_docs[d.doc_id]) != document_key(d)
        ]
        removed = sorted(set(old_docs) - {d.doc_id for d in documents})
        fingerprints = source_fingerprints([Path(s) for s in sources], index_dir)
        manifest_sources = [relative_path(Path(s), index_dir) for s in sources]
        if old is not None and not reason and not todo and not removed and old.get("files") == fingerprints:
            return _report(
                index_dir, documents, old, [], removed, loaded.skipped, None, Counter(), shards, started
            )
        _say(
            progress, f"Embedding {len(todo)} of {len(documents)} documents on Ray ({_worker_nodes()} nodes)."
        )
        with _job_failing():
            parts, nodes = job.embed(todo, settings, _worker_nodes(), progress)
            _say(progress, f"Embedded {sum(nodes.values())} chunks; writing {shards} shards.")
            shard_records = _build_shards(
                index_dir, documents, parts, shards, record, settings, reuse=not reason
            )
        manifest = {
            "format_version": store.FORMAT_VERSION,
            **record,
            "sources": manifest_sources,
            "files": fingerprints,
            "documents": {
                d.doc_id: {**document_entry(d, index_dir), "shard": layout.shard_of(d.doc_id, shards)}
                for d in documents
            },
            "chunk_count": sum(s["chunks"] for s in shard_records[0]),
            "shards": shard_records[0],
            "bm25_stats": {"n_docs": shard_records[1].n_docs, "total_length": shard_records[1].total_length},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        layout.write_top_generation(index_dir, manifest, _term_weights(shard_records[1], documents))
    return _report(
        index_dir,
        documents,
        manifest,
        todo,
        removed,
        loaded.skipped,
        reason,
        nodes,
        shards,
        started,
        old_docs,
    )


def _build_shards(index_dir, documents, parts, shards, record, settings, *, reuse):
    """One builder actor per shard: prepare (counts), sum the counts, write every shard in parallel."""
    builder = ray.remote(num_cpus=0.25, scheduling_strategy="SPREAD")(ShardBuilder)
    members: list[list[Document]] = [[] for _ in range(shards)]
    for d in documents:
        members[layout.shard_of(d.doc_id, shards)].append(d)
    dimension = int(record["embedder"]["dimension"])
    actors = [builder.remote(i, str(layout.shard_dir(index_dir, i)), dimension) for i in range(shards)]
    try:
        counted = ray.get(
            [
                a.prepare.remote(
                    members[i], {d.doc_id: parts[d.doc_id] for d in members[i] if d.doc_id in parts}, reuse
                )
                for i, a in enumerate(actors)
            ]
        )
        total = bm25_global.merge(bm25_global.CorpusStats.from_dict(c) for c in counted)
        base = {"format_version": store.FORMAT_VERSION, **record}
        names = ray.get(
            [
                a.write.remote(
                    {**base, "shard": {"index": i, "of": shards}},
                    total.to_dict(),
                    settings.dense_index,
                    settings.exact_max_chunks,
                )
                for i, a in enumerate(actors)
            ]
        )
    finally:
        for a in actors:
            ray.kill(a)
    return [
        {
            "dir": layout.shard_dir(index_dir, i).relative_to(index_dir).as_posix(),
            "generation": names[i],
            "chunks": int(counted[i]["n_docs"]),
        }
        for i in range(shards)
    ], total


def _term_weights(stats: bm25_global.CorpusStats, documents: list[Document]) -> dict[str, float]:
    """The collection's idf table with the metadata words at the top weight, as ``StoredIndex.term_weights``."""
    weights = bm25_global.idf_table(stats)
    top = max(weights.values(), default=1.0)
    for terms in lexical.tokenize([" ".join([*d.authors, d.publication or ""]) for d in documents]):
        for term in terms:
            weights.setdefault(term, top)
    return weights


def _report(
    index_dir, documents, manifest, todo, removed, skipped, reason, nodes, shards, started, old_docs=None
):
    old_docs = old_docs or {}
    added = [d.doc_id for d in todo if d.doc_id not in old_docs]
    updated = [d.doc_id for d in todo if d.doc_id in old_docs]
    return ShardedIndexReport(
        index_dir=str(index_dir),
        documents=len(documents),
        chunks=int(manifest.get("chunk_count", 0)),
        added=added,
        updated=updated,
        removed=removed,
        unchanged=len(documents) - len(todo),
        skipped=list(skipped),
        rebuilt_because=reason,
        embedded_chunks=sum(nodes.values()),
        seconds=time.perf_counter() - started,
        shards=shards,
        workers=dict(nodes),
    )
