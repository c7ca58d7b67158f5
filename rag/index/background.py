"""Embedding in a background thread while a build goes on chunking the next documents.

Reading and chunking run on one core; without this, the other cores wait for them before the first text is
embedded. Texts are handed over in blocks as their documents are chunked, and embedded in order. A text's
vector does not depend on the block it falls in: the onnx-int8 backend's vectors are independent of their
batch, and torch's differ by float rounding only, as they already do between a full and an incremental build.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

import numpy as np

BLOCK = 256  # texts per hand-over: small enough to start early, large enough to batch similar lengths


class BackgroundEmbedding:
    """Embeds the texts given to ``add`` in a background thread; ``vectors`` returns them all, in order."""

    def __init__(
        self, embed: Callable[[list[str]], np.ndarray], dimension: int, *, block: int = BLOCK
    ) -> None:
        self._embed = embed
        self._dimension = dimension
        self._block = max(1, block)
        self._pending: list[str] = []
        self._futures: list[tuple[int, Future[np.ndarray]]] = []
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="rag-embed-stream")
        self.count = 0

    def add(self, texts: Sequence[str]) -> None:
        """Queue ``texts``; a full block starts embedding at once."""
        self._pending.extend(texts)
        self.count += len(texts)
        if len(self._pending) >= self._block:
            self._submit()

    def _submit(self) -> None:
        if self._pending:
            block, self._pending = self._pending, []
            self._futures.append((len(block), self._pool.submit(self._embed, block)))

    def vectors(self, *, progress: bool = False) -> np.ndarray:
        """Every queued text's vector, one row per text in the order they were added (waits for them).

        Args:
            progress: show a bar over the texts, those already embedded counted as done.
        """
        self._submit()
        finished = {id(f) for _, f in self._futures if f.done()}
        bar = None
        if progress and self.count:
            from tqdm.auto import tqdm

            done = sum(n for n, f in self._futures if id(f) in finished)
            bar = tqdm(total=self.count, initial=done, desc="Embedding", unit="chunk", file=sys.stderr)
        parts = []
        for size, future in self._futures:
            parts.append(future.result())
            if bar is not None and id(future) not in finished:
                bar.update(size)
        if bar is not None:
            bar.close()
        if not parts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.concatenate(parts)

    def close(self) -> None:
        """Stop: texts not yet embedded are dropped (a build that failed does not wait for them)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> BackgroundEmbedding:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
