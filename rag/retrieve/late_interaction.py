"""Late interaction with the index's own embedder: token-level MaxSim between a query and a document.

The sentence vector is the mean of the model's token vectors; ColBERT-style late interaction keeps them
apart and scores a document by, for each query token, its best cosine with any of the document's tokens,
averaged over the query's tokens. The model (all-MiniLM-L6-v2) was not trained for it, but on SciFact it
orders the top few documents differently from the pooled vectors, and that difference carries signal
(README "A last round towards 0.75").

Token vectors come from the torch model in fp32 (sentence-transformers' ``output_value="token_embeddings"``,
as measured), whatever backend the index's vectors use: the int8 ONNX export returns pooled vectors only.
The query drops its [CLS] and [SEP] vectors (they match almost anything); a document is its title, ". " and
its text, cut at the model's window, every token kept. A document's token vectors are cached in-process
(least recently used first out, about ``CACHE_BYTES`` at most, stored as float16 as measured) because the
queries of a batch share their top documents and encoding a document costs ~0.04-0.1 s of a CPU core.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ..index.embedding import get_embedder
from ..settings import Settings
from ..types import Document

CACHE_BYTES = 1 << 30  # SciFact's 5,183 documents take ~0.8 GB as float16: a whole BEIR run stays warm


class LateInteraction:
    """MaxSim scores of documents for a query, from one embedder's token vectors (fp32 torch model)."""

    def __init__(self, settings: Settings, cache_bytes: int = CACHE_BYTES) -> None:
        self._embedder = get_embedder(settings.embedder, backend="torch", device=settings.device)
        self._cache: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._held = 0
        self._lock = threading.Lock()

    def _tokens(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Unit-length token vectors of each text, float32, one row per word piece (special ones included)."""
        import torch

        model = self._embedder.model
        with torch.inference_mode():
            out = model.encode(
                list(texts),
                output_value="token_embeddings",
                batch_size=self._embedder.batch_size,
                convert_to_numpy=False,
                show_progress_bar=False,
            )
            return [torch.nn.functional.normalize(x.float(), dim=-1).cpu().numpy() for x in out]

    def query_tokens(self, query: str) -> np.ndarray:
        """The query's token vectors without [CLS] and [SEP] (float32)."""
        vectors = self._tokens([query])[0]
        return vectors[1:-1] if len(vectors) > 2 else vectors

    def document_tokens(self, documents: Sequence[Document]) -> list[np.ndarray]:
        """Each document's token vectors (title, ". ", text; float16), from the cache or encoded together."""
        keys = [(d.doc_id, d.title, d.text) for d in documents]
        found: dict[tuple[str, str, str], np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    found[key] = self._cache[key]
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            encoded = self._tokens([f"{title}. {text}" for _, title, text in missing])
            with self._lock:
                for key, vectors in zip(missing, encoded, strict=True):
                    found[key] = vectors = vectors.astype(np.float16)
                    if key not in self._cache:
                        self._cache[key] = vectors
                        self._held += vectors.nbytes
                while self._held > self._cache_bytes and self._cache:
                    self._held -= self._cache.popitem(last=False)[1].nbytes
        return [found[k] for k in keys]

    def maxsim(self, query: str, documents: Sequence[Document]) -> np.ndarray:
        """For each document, the mean over the query's tokens of the best cosine with any of its tokens."""
        if not documents:
            return np.zeros(0, dtype=np.float32)
        q = self.query_tokens(query)
        return np.array(
            [float((q @ d.astype(np.float32).T).max(axis=1).mean()) for d in self.document_tokens(documents)],
            dtype=np.float32,
        )


_SCORERS: dict[tuple[str, str | None], LateInteraction] = {}
_SCORERS_LOCK = threading.Lock()


def get_late_interaction(settings: Settings) -> LateInteraction:
    """The process-wide scorer for this embedder: its document cache is shared by every caller."""
    key = (settings.embedder, settings.device)
    with _SCORERS_LOCK:
        if key not in _SCORERS:
            _SCORERS[key] = LateInteraction(settings)
        return _SCORERS[key]
