"""Sentence vectors embedded ahead of the call that needs them.

When the first round of ``ExtractiveGenerator.select`` (the likeliest sentences) scores under every threshold
before any answer check, a second round over every sentence is certain: the checks only drop sentences or
lower their scores. Its texts then start embedding at once, in a background thread, while the first round's
checks and the second round's preparation run on this one; the second round finds them done or waits for
them. The batch is the very one the second round would embed (the same texts in the same order), so every
vector is what it would have been.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np


class EmbeddingAhead:
    """Texts embedded in the background into ``store`` (text -> vector); ``wait`` for those in flight."""

    def __init__(
        self, embed: Callable[[list[str]], np.ndarray], store: MutableMapping[str, np.ndarray]
    ) -> None:
        self._embed = embed
        self._store = store
        self._pending: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def start(self, texts: Sequence[str]) -> None:
        """Embed ``texts`` (one call) in the background; their vectors go into the store when done."""
        with self._lock:
            texts = [t for t in texts if t not in self._pending]
            if not texts:
                return
            future = _pool().submit(self._run, texts)
            for t in texts:
                self._pending[t] = future

    def wait(self, texts: Iterable[str]) -> None:
        """Return once none of ``texts`` is still being embedded ahead (a failure there is not raised here:
        the caller embeds what the store still lacks)."""
        with self._lock:
            futures = {self._pending[t] for t in texts if t in self._pending}
        for future in futures:
            future.exception()  # waits

    def _run(self, texts: list[str]) -> None:
        try:
            # stored before the future is done, so that whoever waited finds every vector
            self._store.update(zip(texts, self._embed(texts), strict=True))
        finally:
            with self._lock:
                for t in texts:
                    self._pending.pop(t, None)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """One thread that hands the background batches to the embedder (whose own workers run them)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(1, thread_name_prefix="rag-embed-ahead")
        return _POOL
