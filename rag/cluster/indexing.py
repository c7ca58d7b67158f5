"""``rag index --ray``: a sharded index built by a Ray Data job.

documents (read and cleaned as on one machine) -> chunks (Ray tasks) -> vectors (an actor pool, one embedder
per actor, loaded once, spread over the nodes) -> S shards by a stable hash of the document id -> one builder
actor per shard, which counts its BM25 statistics, then writes its FAISS + BM25 generation with the summed,
collection-wide statistics -> the top-level manifest that lists the shards. Unchanged documents are not
embedded again: their vectors come from their shard's live generation.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import ray

from ..errors import ClusterError, RagError
from ..index import bm25_global, lexical, store
from ..index.build import (
    IndexReport,
    _chunker,
    _fits,
    _rebuild_reason,
    _relative,
    _text_hash,
    build_settings_record,
    document_entry,
    index_text,
    source_fingerprints,
)
from ..index.chunking import chunk_document
from ..index.embedding import get_embedder
from ..ingest import load_documents
from ..settings import Settings
from ..types import Chunk, Document
from . import layout
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


def _settings_of(record: str) -> Settings:
    return Settings(**json.loads(record))


def chunk_batch(batch: dict[str, np.ndarray], settings_json: str) -> dict[str, list]:
    """Ray Data task: documents (as JSON) -> their chunks, with the text that is embedded."""
    settings = _settings_of(settings_json)
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend, device=settings.device)
    out: dict[str, list] = {"doc_id": [], "seq": [], "chunk_id": [], "start": [], "end": [], "text": []}
    for raw in batch["doc"]:
        document = Document.from_dict(json.loads(raw))
        for seq, chunk in enumerate(chunk_document(document, _chunker(settings), _fits(embedder, document))):
            for key, value in (("doc_id", chunk.doc_id), ("seq", seq), ("chunk_id", chunk.chunk_id)):
                out[key].append(value)
            out["start"].append(chunk.start)
            out["end"].append(chunk.end)
            out["text"].append(index_text(document, chunk))
    return out


class EmbedActor:
    """Ray Data actor: one embedder, loaded once, embeds batches of chunk texts and notes its node."""

    def __init__(self, settings_json: str) -> None:
        s = _settings_of(settings_json)
        self.embedder = get_embedder(
            s.embedder, backend=s.embedder_backend, device=s.device, batch_size=s.batch_size
        )
        self.node = ray.get_runtime_context().get_node_id()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        vectors = self.embedder.embed_documents(list(batch["text"]))
        out = {k: v for k, v in batch.items() if k != "text"}
        out["vector"] = vectors
        out["node"] = np.array([self.node] * len(vectors))
        return out


def _embed(documents: list[Document], settings: Settings, actors: int, progress: bool):
    """doc id -> (chunks, vectors) for ``documents``, and chunks embedded per node id."""
    if not documents:
        return {}, Counter()
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = progress
    record = json.dumps(settings.to_dict())
    ds = ray.data.from_items(
        [{"doc": json.dumps(d.to_dict())} for d in documents],
        override_num_blocks=max(1, min(len(documents), 4 * actors)),
    )
    ds = ds.map_batches(chunk_batch, fn_kwargs={"settings_json": record}, batch_size=32, num_cpus=0.25)
    ds = ds.map_batches(
        EmbedActor,
        fn_constructor_kwargs={"settings_json": record},
        batch_size=128,
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=0.5,
        # One embedder per node where it can: the point of a cluster.
        ray_remote_args_fn=lambda: {"scheduling_strategy": "SPREAD"},
    )
    by_id = {d.doc_id: d for d in documents}
    rows: dict[str, list[tuple[int, Chunk, np.ndarray]]] = {}
    nodes: Counter = Counter()
    for batch in ds.iter_batches(batch_size=1024, batch_format="numpy"):
        for i in range(len(batch["doc_id"])):
            doc_id, start, end = str(batch["doc_id"][i]), int(batch["start"][i]), int(batch["end"][i])
            chunk = Chunk(str(batch["chunk_id"][i]), doc_id, start, end, by_id[doc_id].text[start:end])
            rows.setdefault(doc_id, []).append((int(batch["seq"][i]), chunk, batch["vector"][i]))
            nodes[str(batch["node"][i])] += 1
    parts = {}
    for doc_id, items in rows.items():
        items.sort(
            key=lambda item: item[0]
        )  # the job does not keep order; the chunker's order is the index's
        parts[doc_id] = ([c for _, c, _ in items], np.stack([v for _, _, v in items]).astype(np.float32))
    return parts, nodes


def _say(progress: bool, message: str) -> None:
    """A progress line on stderr (Ray Data draws its own bars for the embedding job)."""
    log.info(message)
    if progress:
        print(message, file=sys.stderr, flush=True)


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
        loaded = load_documents([Path(s) for s in sources])
        if not loaded.documents:
            raise RagError(
                "No document could be read from " + ", ".join(map(str, sources)) + "; nothing was built."
            )
        old = store.read_manifest(index_dir)
        old_shards = len(old["shards"]) if layout.is_sharded(old) else None
        shards = shards or old_shards or DEFAULT_SHARDS
        if shards < 1:
            raise RagError(f"--shards must be at least 1, got {shards}.")
        record = build_settings_record(settings, embedder)
        reason = _rebuild_reason(old, record)
        if old is not None and not reason and old_shards != shards:
            reason = f"the number of shards changed ({old_shards or 'not sharded'} -> {shards})"
        old_docs = (old or {}).get("documents", {}) if not reason else {}
        documents = loaded.documents
        todo = [
            d
            for d in documents
            if (old_docs.get(d.doc_id, {}).get("content_hash"), old_docs.get(d.doc_id, {}).get("text_hash"))
            != (d.content_hash, _text_hash(d))
        ]
        removed = sorted(set(old_docs) - {d.doc_id for d in documents})
        fingerprints = source_fingerprints([Path(s) for s in sources], index_dir)
        manifest_sources = [_relative(Path(s), index_dir) for s in sources]
        if old is not None and not reason and not todo and not removed and old.get("files") == fingerprints:
            return _report(
                index_dir, documents, old, [], removed, loaded.skipped, None, Counter(), shards, started
            )
        _say(
            progress, f"Embedding {len(todo)} of {len(documents)} documents on Ray ({_worker_nodes()} nodes)."
        )
        try:
            parts, nodes = _embed(todo, settings, _worker_nodes(), progress)
            _say(progress, f"Embedded {sum(nodes.values())} chunks; writing {shards} shards.")
            shard_records = _build_shards(
                index_dir, documents, parts, shards, record, settings, reuse=not reason
            )
        except ray.exceptions.RayError as e:
            cause = str(e).strip().splitlines()[-1][:300]
            raise ClusterError(f"The Ray indexing job failed ({cause}); the index was left as it was.") from e
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
