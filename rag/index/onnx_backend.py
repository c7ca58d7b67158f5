"""The ``onnx-int8`` embedder backend: the sentence-transformers model exported to ONNX, int8-quantised.

The export is built here from the installed weights, no download (``onnx_export.py``, which also holds ``load_onnx_int8``: export when missing, then load), and cached once
per model and CPU under ``$RAG_CACHE_DIR/onnx/`` (default ``.cache/onnx/``), so later processes load it in a
fraction of a second without importing torch. Here: the cache's layout and the runtime that encodes texts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelUnavailableError
from ..settings import cache_dir
from . import onnx_calls

log = logging.getLogger(__name__)

EXPORT_VERSION = 2  # bump when the export recipe (onnx_export.py) changes: older exports are rebuilt
TOKEN_BUDGET = 256  # padded tokens per onnxruntime call (see OnnxEncoder._runs)
INSTALL = "pip install onnxruntime onnx"
COUNTED_TEXTS = 32768  # word pieces kept from count_tokens for the embedding that follows (~26 MB at most)


def cpu_key() -> str:
    """The CPU family an int8 export is tuned for: the machine and its best int8 dot-product instructions."""
    machine = platform.machine().lower() or "cpu"
    flags: set[str] = set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    for flag, name in (("avx512_vnni", "avx512vnni"), ("avx_vnni", "avxvnni"), ("avx2", "avx2")):
        if flag in flags:
            return f"{machine}-{name}"
    return machine


def model_fingerprint(name: str, model_path: str) -> str:
    """A short hash that changes when the model's files do (a folder) or its name does (a hub model)."""
    digest = hashlib.sha256(f"{EXPORT_VERSION}\0{name}\0{model_path}".encode())
    folder = Path(model_path)
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(folder)}\0{path.stat().st_size}\0".encode())
                if path.suffix == ".json" and path.stat().st_size < 1_000_000:
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def export_dir(name: str, model_path: str) -> Path:
    """The cache folder of this model's export for this CPU."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name or name)[-48:]
    return cache_dir() / "onnx" / f"{slug}-{model_fingerprint(name, model_path)}-{cpu_key()}"


def require_onnxruntime() -> Any:
    try:
        import onnxruntime
    except ImportError as e:
        raise ModelUnavailableError(
            f"The onnx-int8 embedder backend needs onnxruntime. To fix: `{INSTALL}`, or set "
            "RAG_EMBEDDER_BACKEND=torch (then rebuild the index with `rag index`)."
        ) from e
    return onnxruntime


class _Tokenizer:
    """The model's own tokenizer, through the ``tokenizers`` library when it can (no torch import)."""

    def __init__(self, folder: Path, max_length: int, pad_id: int, pad_token: str) -> None:
        self.max_length = max_length
        self.pad_id = pad_id
        self._fast = None
        self._hf = None
        # Word pieces of texts just counted (the build's window test counts every chunk it keeps), so that
        # embedding them does not tokenize them again; bounded, and each entry is used once.
        self._counted: OrderedDict[str, np.ndarray] = OrderedDict()
        self._counted_lock = threading.Lock()
        if (folder / "tokenizer.json").is_file():
            from tokenizers import Tokenizer

            self._fast = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._fast.no_truncation()
            self._fast.no_padding()
            self._batch = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._batch.enable_truncation(max_length=max_length)
            self._batch.no_padding()  # padded here (_fast_batch), with the ids count_tokens kept
        else:  # a model with a slow (pure Python) tokenizer only
            from transformers import AutoTokenizer

            self._hf = AutoTokenizer.from_pretrained(str(folder))
            self._hf.padding_side = "right"  # the encoder cuts each call's padding off the right (_runs)

    def __call__(self, texts: Sequence[str], **_kwargs: Any) -> dict[str, list[list[int]]]:
        """Untruncated word-piece ids with special tokens (what ``Embedder.count_tokens`` asks for)."""
        if self._fast is not None:
            encodings = self._fast.encode_batch(list(texts))
            self._remember(texts, encodings)
            return {"input_ids": [e.ids for e in encodings]}
        return {"input_ids": self._hf(list(texts), add_special_tokens=True, truncation=False)["input_ids"]}

    def _remember(self, texts: Sequence[str], encodings: list[Any]) -> None:
        with self._counted_lock:
            for text, encoding in zip(texts, encodings, strict=True):
                # Only what batch() would give unchanged: within the window, one segment (type ids all 0).
                if len(encoding.ids) <= self.max_length and not any(encoding.type_ids):
                    self._counted[text] = np.asarray(encoding.ids, dtype=np.int32)
            while len(self._counted) > COUNTED_TEXTS:
                self._counted.popitem(last=False)

    def _recall(self, text: str) -> np.ndarray | None:
        with self._counted_lock:
            return self._counted.pop(text, None)

    def batch(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Padded, truncated model inputs as int64 arrays."""
        if self._fast is not None:
            encoded = self._fast_batch(texts)
        else:
            encoded = self._hf(
                list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
            )
        return {k: np.asarray(v, dtype=np.int64) for k, v in encoded.items()}

    def _fast_batch(self, texts: Sequence[str]) -> dict[str, Any]:
        """The tokenizer's padded batch; texts counted just before are not tokenized again (same ids, padded
        the same way: ``pad_id`` on the right, attention mask 0 and type id 0 there)."""
        rows: list[tuple[Any, Any]] = [(ids, None) for ids in map(self._recall, texts)]
        missing = [i for i, (ids, _) in enumerate(rows) if ids is None]
        if missing:
            for i, encoding in zip(
                missing, self._batch.encode_batch([texts[i] for i in missing]), strict=True
            ):
                rows[i] = (encoding.ids, encoding.type_ids)
        width = max(len(ids) for ids, _ in rows)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(rows), width), dtype=np.int64)
        token_type_ids = np.zeros((len(rows), width), dtype=np.int64)
        for row, (ids, type_ids) in enumerate(rows):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
            if type_ids is not None:
                token_type_ids[row, : len(ids)] = type_ids
        return {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}


class OnnxEncoder:
    """An exported model: the slice of ``SentenceTransformer``'s interface the ``Embedder`` uses."""

    def __init__(
        self,
        folder: Path,
        config: dict[str, Any] | None = None,
        *,
        threads: int = 0,
        token_budget: int = TOKEN_BUDGET,
    ) -> None:
        ort = require_onnxruntime()
        self.folder = folder
        self.config = config or json.loads((folder / "export.json").read_text(encoding="utf-8"))
        self.max_seq_length = int(self.config["max_seq_length"])
        self.tokenizer = _Tokenizer(
            folder / "tokenizer", self.max_seq_length, self.config["pad_id"], self.config["pad_token"]
        )
        # One single-threaded session run per core, side by side: small runs parallelise better across
        # runs than inside one (measured 2.3x torch vs 1.9x with two threads per run, on 2 cores).
        self.workers = threads or _cores()
        self.token_budget = token_budget
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = [i.name for i in self.session.get_inputs()]
        self._prompt = self.config.get("prompt") or ""
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def get_embedding_dimension(self) -> int:
        return int(self.config["dimension"])

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize_embeddings: bool = True,
        show_progress_bar: bool = False,
        **_ignored: Any,
    ) -> np.ndarray:
        """One vector per text (float32), longest texts first in batches, like sentence-transformers."""
        texts = [self._prompt + t for t in texts]
        out = np.zeros((len(texts), self.get_embedding_dimension()), dtype=np.float32)
        bar = None
        if show_progress_bar:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="text")
        runs = self._runs(texts, batch_size)
        if self.workers == 1 or len(texts) <= 1:
            for rows, feeds in runs:
                out[rows] = self._run(feeds)
                if bar is not None:
                    bar.update(len(rows))
        else:
            pending: deque[tuple[np.ndarray, Future[np.ndarray]]] = deque()
            for rows, feeds in runs:
                pending.append((rows, self._executor().submit(self._run, feeds)))
                while len(pending) > 2 * self.workers or (pending and pending[0][1].done()):
                    done_rows, future = pending.popleft()
                    out[done_rows] = future.result()
                    if bar is not None:
                        bar.update(len(done_rows))
            for done_rows, future in pending:
                out[done_rows] = future.result()
        if bar is not None:
            bar.close()
        if normalize_embeddings:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.where(norms > 0, norms, 1.0)
        return out

    def _runs(self, texts: list[str], batch_size: int) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
        """(rows, model inputs) per onnxruntime call: texts of similar length together, up to a token budget,
        in calls the workers share evenly (``onnx_calls.split``).

        Every quantised activation is scaled per token (``onnx_pertoken.py``) and the padding is masked, so a
        text's vector does not depend on which texts share its call. Calls are kept small (``token_budget``
        padded tokens): past that, activations no longer fit the core's cache and batching gets slower than
        one text per call, while for short texts (sentences) it saves the per-call overhead.
        """
        order = np.argsort([-len(t) for t in texts], kind="stable")
        step = max(1, batch_size)
        for start in range(0, len(order), step):
            rows = order[start : start + step]
            inputs = self.tokenizer.batch([texts[i] for i in rows])
            lengths = inputs["attention_mask"].sum(axis=1)
            # longest first in word pieces (characters only approximate them): each call is padded to its first
            by_length = np.argsort(-lengths, kind="stable")
            rows, lengths = rows[by_length], lengths[by_length]
            inputs = {name: values[by_length] for name, values in inputs.items()}
            for at, end in onnx_calls.split(lengths.tolist(), self.token_budget, self.workers):
                # padding is on the right: the columns past the call's longest text are padding in all of it
                width = int(lengths[at])
                feeds = {
                    name: np.ascontiguousarray(inputs[name][at:end, :width])
                    for name in self._inputs
                    if name in inputs
                }
                yield rows[at:end], feeds

    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, feeds)[0]

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="rag-onnx")
            return self._pool


def _cores() -> int:
    """CPU cores this process may use (a container's or taskset's limit, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)
