"""The Ray Data jobs of a sharded build: files -> documents (read and cleaned in tasks), then documents ->
chunks (tasks) -> vectors (an actor pool, one embedder per actor, loaded once, spread over the nodes).

Reading runs the product's own loaders (``rag.ingest.read_file``) on the workers, one row per document. The
driver gathers the documents between the two jobs: it makes their ids unique across files as
``load_documents`` does, compares their hashes with the manifest, and hands each shard builder its members;
only new or changed documents go on to be chunked and embedded.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import ray

from ..index.build import index_text
from ..index.chunking import chunk_document
from ..index.embedding import get_embedder
from ..index.records import chunker_settings, window_test
from ..ingest import IngestResult, SkippedFile, read_file, unique_documents
from ..settings import Settings
from ..types import Chunk, Document

# doc id -> its chunks (in the chunker's order) and their vectors
Parts = dict[str, tuple[list[Chunk], np.ndarray]]


def _settings_of(record: str) -> Settings:
    return Settings(**json.loads(record))


def read_batch(batch: dict[str, np.ndarray]) -> dict[str, list]:
    """Ray Data task: files -> one row per document (as JSON), or per file or line skipped (with the reason).

    The file is opened by its absolute path (a worker's working folder is not the driver's); documents and
    skipped entries keep the path as the driver spelled it, as a one-machine build records it.
    """
    out: dict[str, list] = {"order": [], "position": [], "doc": [], "skipped": []}

    def row(order: int, position: int, doc: str, skipped: str) -> None:
        for column, value in zip(out, (order, position, doc, skipped), strict=True):
            out[column].append(value)

    for order, given, absolute, root in zip(
        batch["order"], batch["path"], batch["absolute"], batch["root"], strict=True
    ):
        documents, skipped = read_file(Path(absolute), Path(root))
        for position, document in enumerate(documents):
            if document.source_path == absolute:
                document = replace(document, source_path=str(given))
            row(int(order), position, json.dumps(document.to_dict()), "")
        for s in skipped:  # a file, or a line of a .jsonl ("path:line")
            path = str(given) + s.path[len(absolute) :] if s.path.startswith(absolute) else s.path
            row(int(order), -1, "", json.dumps([path, s.reason]))
    return out


def read_documents(files: list[tuple[Path, Path]], progress: bool) -> IngestResult:
    """Read and clean ``files`` (``find_source_files``'s list) in Ray tasks: what ``load_documents`` returns
    for them (documents in source order with ids of their own, the files and lines skipped, the renamings)."""
    ray.data.DataContext.get_current().enable_progress_bars = progress
    items = [
        {"order": i, "path": str(p), "absolute": os.path.abspath(p), "root": os.path.abspath(r)}
        for i, (p, r) in enumerate(files)
    ]
    ds = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 16)))
    ds = ds.map_batches(read_batch, batch_size=4, num_cpus=0.25)
    rows = sorted(ds.iter_rows(), key=lambda r: (int(r["order"]), int(r["position"])))
    per_file: dict[int, list[Document]] = {}
    skipped: list[SkippedFile] = []
    for row in rows:
        if row["skipped"]:
            skipped.append(SkippedFile(*json.loads(row["skipped"])))
        else:
            per_file.setdefault(int(row["order"]), []).append(Document.from_dict(json.loads(row["doc"])))
    documents, renamed = unique_documents(
        (path, root, per_file.get(order, [])) for order, (path, root) in enumerate(files)
    )
    return IngestResult(documents, skipped, renamed)


def chunk_batch(batch: dict[str, np.ndarray], settings_json: str) -> dict[str, list]:
    """Ray Data task: documents (as JSON) -> their chunks, with the text that is embedded."""
    settings = _settings_of(settings_json)
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend, device=settings.device)
    chunker = chunker_settings(settings)
    out: dict[str, list] = {"doc_id": [], "seq": [], "chunk_id": [], "start": [], "end": [], "text": []}
    for raw in batch["doc"]:
        document = Document.from_dict(json.loads(raw))
        for seq, chunk in enumerate(chunk_document(document, chunker, window_test(embedder, document))):
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


def embed(
    documents: list[Document], settings: Settings, actors: int, progress: bool
) -> tuple[Parts, Counter]:
    """Chunk and embed ``documents`` on the cluster: their chunks and vectors by doc id, and how many chunks
    each Ray node id embedded."""
    if not documents:
        return {}, Counter()
    ray.data.DataContext.get_current().enable_progress_bars = progress
    record = json.dumps(settings.to_dict())
    # Blocks made here, not by a repartition: an all-to-all step asks for a whole CPU, which a node whose
    # embedders hold half of its one CPU never has.
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
        scheduling_strategy="SPREAD",
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
    parts: Parts = {}
    for doc_id, items in rows.items():
        # The job does not keep order; the chunker's order is the index's.
        items.sort(key=lambda item: item[0])
        parts[doc_id] = ([c for _, c, _ in items], np.stack([v for _, _, v in items]).astype(np.float32))
    return parts, nodes
