"""The Ray Serve application of a sharded index: one deployment per shard, and a router holding their handles.

The router fans a query out to every shard (or only the shards holding the requested documents), retries a
shard whose replica died (Serve replaces it; another replica, or the new one, answers), merges the candidates
(``merge``) and fuses them with the same code as the local path. A shard that still cannot answer is an error
naming it: never a silently partial answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import ray
from ray import serve

from ..retrieve import fusion
from . import layout, merge
from .shard import ShardSearch


@serve.deployment(max_ongoing_requests=32, health_check_period_s=2, health_check_timeout_s=10)
class ShardDeployment(ShardSearch):
    """A replica of one shard: ``ShardSearch`` over its memory-mapped generation."""


@serve.deployment(max_ongoing_requests=64)
class Router:
    """Fans out to the shard deployments, merges and fuses; returns rows in the global numbering."""

    def __init__(self, info: dict[str, Any], *shards: Any) -> None:
        self.info = info
        self.shards = list(shards)

    def describe(self) -> dict[str, Any]:
        return self.info

    async def _call(self, shard: int, method: str, *args: Any) -> Any:
        """``method`` on a replica of ``shard``; retried on another (or a replacement) replica while
        ``retry_s`` lasts. A ``_Failure`` when it never answered."""
        deadline, wait, last = time.monotonic() + self.info["retry_s"], 0.05, None
        while True:
            try:
                remaining = max(0.1, deadline - time.monotonic())
                return await asyncio.wait_for(getattr(self.shards[shard], method).remote(*args), remaining)
            except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError) as e:
                last = e  # the replica died or is going away: Serve routes the retry to a live one
            except TimeoutError:
                return _Failure(shard, TimeoutError(f"no replica answered in {self.info['retry_s']:.0f} s"))
            except ray.exceptions.RayError as e:
                return _Failure(shard, e)
            if time.monotonic() + wait > deadline:
                return _Failure(shard, last)
            await asyncio.sleep(wait)
            wait = min(wait * 2, 1.0)

    async def _fan_out(self, shards: Sequence[int], method: str, *args: Any, per_shard=None) -> list[Any]:
        """``method`` on each of ``shards`` at once (``per_shard[i]``: extra arguments for shard i).

        Raises:
            ShardDown: a shard could not answer, even after retries (the message names each).
        """
        calls = [self._call(i, method, *args, *((per_shard or {}).get(i, ()))) for i in shards]
        results = await asyncio.gather(*calls)
        failed = [r for r in results if isinstance(r, _Failure)]
        if failed:
            raise ShardDown("; ".join(f.message() for f in failed))
        return list(results)

    async def search(self, vector: np.ndarray, query: str, k: int, options: dict[str, Any]) -> dict[str, Any]:
        """The ``k`` best rows: ``{"hits": [(row, fused, dense, bm25)...]}``, or ``{"error": ...}``."""
        n, method, doc_ids = max(options["candidates"], k), options["method"], options.get("doc_ids")
        count = len(self.shards)
        targets = (
            sorted({layout.shard_of(d, count) for d in doc_ids})
            if doc_ids is not None
            else list(range(count))
        )
        try:
            results = await self._fan_out(targets, "search", vector, query, n, method, doc_ids)
        except ShardDown as e:
            return {"error": str(e)}
        per_dense = [(np.zeros(0, np.int64), np.zeros(0, np.float32))] * count
        per_bm25 = list(per_dense)
        for shard, (d, b) in zip(targets, results, strict=True):
            per_dense[shard], per_bm25[shard] = d, b
        dense_r, bm25_r = merge.merge(per_dense, n), merge.merge(per_bm25, n)
        fused, dense_s, bm25_s = merge.fuse(dense_r, bm25_r, method, options["weight"], options["rrf_k"])
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        if options.get("mmr"):
            pool = ranked[: max(4 * k, 20)]
            try:
                vectors = await self._rows(pool, "vectors")
            except ShardDown as e:
                return {"error": str(e)}
            ranked = fusion.mmr(pool, [fused[r] for r in pool], np.stack(vectors), k, options["mmr_lambda"])
        return {"hits": [(r, float(fused[r]), dense_s.get(r), bm25_s.get(r)) for r in ranked[:k]]}

    async def _rows(self, rows: list[int], method: str) -> list[Any]:
        """``method`` (chunks or vectors) of global ``rows``, in their order, one call per shard."""
        by_shard: dict[int, list[int]] = {}
        for row in rows:
            shard, local = merge.split_row(row)
            by_shard.setdefault(shard, []).append(local)
        shards = sorted(by_shard)
        results = await self._fan_out(shards, method, per_shard={s: (by_shard[s],) for s in shards})
        found = {s: list(r) for s, r in zip(shards, results, strict=True)}
        position = {s: 0 for s in shards}
        out = []
        for row in rows:
            shard = merge.split_row(row)[0]
            out.append(found[shard][position[shard]])
            position[shard] += 1
        return out

    async def chunks(self, rows: list[int]) -> dict[str, Any]:
        try:
            return {"chunks": await self._rows(rows, "chunks")}
        except ShardDown as e:
            return {"error": str(e)}

    async def document(self, doc_id: str) -> dict[str, Any]:
        try:
            [doc] = await self._fan_out([layout.shard_of(doc_id, len(self.shards))], "document", doc_id)
        except ShardDown as e:
            return {"error": str(e)}
        return {"document": doc}

    async def documents(self) -> dict[str, Any]:
        try:
            parts = await self._fan_out(range(len(self.shards)), "documents")
        except ShardDown as e:
            return {"error": str(e)}
        return {"documents": [d for part in parts for d in part]}

    async def chunk_counts(self) -> dict[str, Any]:
        try:
            parts = await self._fan_out(range(len(self.shards)), "chunk_counts")
        except ShardDown as e:
            return {"error": str(e)}
        return {"counts": {k: v for part in parts for k, v in part.items()}}


class ShardDown(Exception):
    """Internal to the router: some shard could not answer (turned into an ``{"error": ...}`` reply)."""


class _Failure:
    def __init__(self, shard: int, error: BaseException | None) -> None:
        self.shard, self.error = shard, error

    def message(self) -> str:
        cause = str(self.error).strip().splitlines()[-1][:200] if self.error else "no replica answered"
        return f"shard {self.shard:03d} could not answer ({type(self.error).__name__}: {cause})"
