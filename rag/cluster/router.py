"""The sharded index as a ``Searcher``: this process embeds the question and asks the Serve router.

``open_sharded`` deploys the index's Serve application (one deployment per shard with ``settings.replicas``
replicas, and the router), or reuses it when a running one already serves the same generation.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from ray import serve
from ray.serve.config import ProxyLocation

from ..errors import ClusterError, IndexNotFoundError, ShardUnavailableError
from ..index import store
from ..index.embedding import Embedder
from ..retrieve.retrieval import Hit
from ..settings import Settings
from ..types import Document, Passage
from . import layout
from .errors import connect
from .serving import Router, ShardDeployment

log = logging.getLogger(__name__)
logging.getLogger("ray.serve").setLevel(logging.WARNING)  # Serve logs every deployment step at INFO

REPLY_TIMEOUT_S = 120.0
RETRY_SECONDS = 30.0  # how long a shard query is retried: Serve starts a replacement replica well within it
REPLICA_CPUS = 0.1  # a shard replica mostly waits on memory-mapped pages; many fit on one core


def app_name(index_dir: Path) -> str:
    """One Serve application per index folder (on this cluster)."""
    return "rag-" + hashlib.sha1(str(index_dir.resolve()).encode("utf-8")).hexdigest()[:10]


def open_sharded(
    index_dir: Path, embedder: Embedder, settings: Settings, *, retry_s: float = RETRY_SECONDS
) -> ShardedSearcher:
    """Connect to the cluster and deploy (or reuse) the Serve application of the sharded index at ``index_dir``.

    ``retry_s``: how long the router retries a shard whose replicas died before it reports the shard down.

    Raises:
        ClusterError: Ray is missing or unreachable, or the deployment failed.
        IndexNotFoundError: no sharded index there.
    """
    if settings.replicas < 1:
        raise ClusterError(f"--replicas must be at least 1, got {settings.replicas} (RAG_REPLICAS).")
    connect(settings.ray_address or "auto")
    generation = store.current_generation(index_dir)
    manifest = store.read_manifest(index_dir)
    if generation is None or not layout.is_sharded(manifest):
        raise IndexNotFoundError(
            f"No sharded index at {index_dir}. Build one with: rag index SOURCES --ray ADDRESS"
        )
    info = {
        "generation": generation.name,
        "replicas": settings.replicas,
        "shards": len(manifest["shards"]),
        "retry_s": retry_s,
    }
    name = app_name(index_dir)
    handle = _running(name, info)
    if handle is None:
        handle = _deploy(name, index_dir, manifest, info)
    return ShardedSearcher(index_dir, generation, manifest, handle, embedder, settings)


def _running(name: str, info: dict[str, Any]):
    """The router of a running application serving exactly ``info``, else None."""
    try:
        status = serve.status().applications.get(name)
        if status is None or str(status.status) not in ("RUNNING", "ApplicationStatus.RUNNING"):
            return None
        handle = serve.get_app_handle(name)
        return handle if handle.describe.remote().result(timeout_s=30) == info else None
    except Exception:  # noqa: BLE001 (anything wrong with the old one: deploy afresh)
        log.debug("No reusable Serve application %s.", name, exc_info=True)
        return None


def _deploy(name: str, index_dir: Path, manifest: dict[str, Any], info: dict[str, Any]):
    # No HTTP proxy: callers use handles, and a sharded index must not open a port of its own.
    serve.start(proxy_location=ProxyLocation.Disabled)
    shards = [
        ShardDeployment.options(
            name=f"shard-{i:03d}",
            num_replicas=info["replicas"],
            ray_actor_options={"num_cpus": REPLICA_CPUS},
        ).bind(str(index_dir.resolve() / shard["dir"]), shard["generation"])
        for i, shard in enumerate(manifest["shards"])
    ]
    router = Router.options(num_replicas=info["replicas"], ray_actor_options={"num_cpus": REPLICA_CPUS})
    log.info(
        "Deploying %d shards x %d replicas of %s on Ray Serve.", len(shards), info["replicas"], index_dir
    )
    try:
        return serve.run(router.bind(info, *shards), name=name, route_prefix=None)
    except Exception as e:  # noqa: BLE001 (Serve raises many kinds; the user needs one line)
        raise ClusterError(
            f"Deploying the shards of {index_dir} on Ray Serve failed: {e}".splitlines()[0]
        ) from e


class _Documents(Mapping[str, Document]):
    """The documents of a sharded index: ids from the manifest, each document read from its shard once."""

    def __init__(self, searcher: ShardedSearcher, ids: Collection[str]) -> None:
        self._searcher, self._ids = searcher, ids
        self._cache: dict[str, Document] = {}

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._ids:
            raise KeyError(doc_id)
        if doc_id not in self._cache:
            self._cache[doc_id] = self._searcher._ask("document", doc_id)["document"]
        return self._cache[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def values(self):  # one call per shard instead of one per document
        if len(self._cache) < len(self._ids):
            self._cache.update({d.doc_id: d for d in self._searcher._ask("documents")["documents"]})
        return [self._cache[i] for i in self._ids]


class ShardedSearcher:
    """A ``Searcher`` over a sharded index served by Ray Serve."""

    def __init__(
        self,
        index_dir: Path,
        generation: Path,
        manifest: dict,
        handle,
        embedder: Embedder,
        settings: Settings,
    ):
        self.index_dir, self._generation, self.manifest = index_dir, generation, manifest
        self.handle, self.embedder, self.settings = handle, embedder, settings
        self._documents = _Documents(self, manifest["documents"])

    @property
    def generation(self) -> Path:
        return self._generation

    @property
    def documents(self) -> Mapping[str, Document]:
        return self._documents

    @functools.cached_property
    def term_weights(self) -> dict[str, float]:
        return layout.read_term_weights(self._generation)

    def chunk_counts(self) -> dict[str, int]:
        return self._ask("chunk_counts")["counts"]

    def _ask(self, method: str, *args: Any) -> dict[str, Any]:
        try:
            reply = getattr(self.handle, method).remote(*args).result(timeout_s=REPLY_TIMEOUT_S)
        except Exception as e:  # noqa: BLE001 (the router itself gone or timed out)
            raise ShardUnavailableError(
                f"The Ray router of {self.index_dir} did not answer ({type(e).__name__}); "
                "check the cluster with `ray status`."
            ) from e
        if "error" in reply:
            raise ShardUnavailableError(f"The sharded index at {self.index_dir}: {reply['error']}.")
        return reply

    def search(
        self,
        query: str,
        k: int,
        *,
        method: str | None = None,
        dense_weight: float | None = None,
        use_mmr: bool | None = None,
        doc_ids: Collection[str] | None = None,
    ) -> list[Hit]:
        """The ``k`` best chunks of all shards for ``query``, fused as one index would fuse them."""
        s = self.settings
        options = {
            "method": method or s.fusion,
            "weight": s.dense_weight if dense_weight is None else dense_weight,
            "rrf_k": s.rrf_k,
            "candidates": s.candidates,
            "mmr": use_mmr if use_mmr is not None else s.mmr,
            "mmr_lambda": s.mmr_lambda,
            "doc_ids": sorted(doc_ids) if doc_ids is not None else None,
        }
        # BM25 alone needs no vector: the question is not embedded for it.
        vector = self.embedder.embed_query(query) if options["method"] != "bm25" else None
        hits = self._ask("search", vector, query, k, options)["hits"]
        return [Hit(row=r, score=f, dense_score=d, bm25_score=b) for r, f, d, b in hits]

    def passages(self, hits: list[Hit]) -> list[Passage]:
        """Hits as numbered passages (1-based, in rank order), their text read from their shards."""
        if not hits:
            return []
        chunks = self._ask("chunks", [h.row for h in hits])["chunks"]
        return [
            Passage(
                n=n,
                chunk_id=c["chunk_id"],
                doc_id=c["doc_id"],
                title=c["title"],
                text=c["text"],
                start=c["start"],
                end=c["end"],
                score=hit.score,
                dense_score=hit.dense_score,
                bm25_score=hit.bm25_score,
                author_box=tuple((a, b) for a, b in c.get("author_box", ())),
            )
            for n, (hit, c) in enumerate(zip(hits, chunks, strict=True), start=1)
        ]
