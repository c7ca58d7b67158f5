"""Export a sentence-transformers model to ONNX and quantise it to int8, checked against the model itself.

The whole model (transformer, pooling, normalisation) is traced into one graph with eager attention (the SDPA
graph exports with masking ops onnxruntime runs ~1.7x slower); every MatMul with a weight is quantised to int8,
weights per output channel, activations per token (``onnx_pertoken.py``: a text's vector then does not depend on
the texts batched with it, and the finer scales keep even the feed-forward down-projections, once left in float,
as close to torch as before: mean cosine 0.9976 on SciFact chunks, 0.9973 on sentences). The
export is kept only if its vectors match the torch model's on fixed probe texts, and it is written to a
temporary folder that is renamed into place in one step, so a crash or a concurrent export never leaves a
half-written one in the cache.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelUnavailableError
from .onnx_backend import EXPORT_VERSION, OnnxEncoder, cpu_key, export_dir, require_onnxruntime
from .onnx_pertoken import per_token_activations

log = logging.getLogger(__name__)

MIN_PROBE_COSINE = 0.98  # an export whose vectors stray further from the torch model's is refused
PROBES = (  # short and long, plain and technical: the export must match torch on all of them
    "Who built the Bushehr nuclear power plant?",
    "The quick brown fox jumps over the lazy dog.",
    "Mitochondrial DNA mutations accumulate in ageing human colonic crypts, leading to respiratory "
    "chain deficiency; the clonal expansion of such mutations was quantified by laser capture.",
    " ".join(
        ["Long inputs are truncated to the model's window, exactly as sentence-transformers does."] * 40
    ),
    "1 2 3 — “quoted” text, ünïcödé, and CAPITALS",
)


def _reduce_range(cpu: str) -> bool:
    # onnxruntime's advice: x86 without VNNI can saturate u8*s8 products, so weights use 7 bits there.
    return cpu.startswith(("x86_64", "amd64")) and "vnni" not in cpu


def export(model: Any, name: str, model_path: str, folder: Path) -> None:
    """Export ``model`` into ``folder``: written to a temporary folder, checked, then renamed into place.

    Raises:
        ModelUnavailableError: the quantised model's vectors stray from the torch model's.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        with _quiet():
            config = _write_export(model, name, model_path, tmp)
        cosine = _probe_cosine(model, OnnxEncoder(tmp, config))
        if cosine < MIN_PROBE_COSINE:
            raise ModelUnavailableError(
                f"The int8 ONNX export of '{name}' strays from the torch model (cosine {cosine:.3f} < "
                f"{MIN_PROBE_COSINE} on probe texts). To fix: set RAG_EMBEDDER_BACKEND=torch for this model."
            )
        config["probe_min_cosine"] = round(cosine, 5)
        (tmp / "export.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        try:
            os.replace(tmp, folder)
        except OSError:  # another process finished the same export first: keep theirs
            if not (folder / "export.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(folder.parent)


class _DropAdvice(logging.Filter):
    """onnxruntime's quantiser logs through the root logger, hundreds of lines per export."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name != "root"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence the tracer's and quantiser's generic advice: it is about their internals, not the user's input."""
    root, drop = logging.getLogger(), _DropAdvice()
    root.addFilter(drop)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.removeFilter(drop)


def _write_export(model: Any, name: str, model_path: str, tmp: Path) -> dict[str, Any]:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = model.to("cpu").eval()
    _use_eager_attention(model)
    tokenizer = model.tokenizer
    sample = tokenizer(list(PROBES[:2]), padding=True, truncation=True, return_tensors="pt")
    names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in sample]

    class Wrapper(torch.nn.Module):
        """The model's own modules end to end, so its pooling and normalisation are in the graph."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(dict(zip(names, inputs, strict=True)))["sentence_embedding"]

    fp32 = tmp / "model-fp32.onnx"
    axes = {k: {0: "batch", 1: "sequence"} for k in names}
    with torch.no_grad():
        torch.onnx.export(
            Wrapper(),
            tuple(sample[k] for k in names),
            str(fp32),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    cpu = cpu_key()
    quantize_dynamic(
        str(fp32),
        str(tmp / "model.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,  # per-tensor scales cost ~5% cosine on MiniLM; per channel keeps it above 0.99
        reduce_range=_reduce_range(cpu),
        op_types_to_quantize=["MatMul"],
    )
    fp32.unlink()
    quantized = onnx.load(str(tmp / "model.onnx"))
    per_token = per_token_activations(quantized)
    onnx.save(quantized, str(tmp / "model.onnx"))
    tokenizer.save_pretrained(str(tmp / "tokenizer"))
    prompt_name = getattr(model, "default_prompt_name", None)
    return {
        "export_version": EXPORT_VERSION,
        "model": name,
        "model_path": model_path,
        "cpu": cpu,
        "quantization": {
            "weights": "int8",
            "per_channel": True,
            "reduce_range": _reduce_range(cpu),
            "activations": "int8, one scale per token",
            "per_token_matmuls": per_token,
        },
        "max_seq_length": int(model.max_seq_length),
        "dimension": int(model.get_embedding_dimension()),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token or "[PAD]"),
        "prompt": (getattr(model, "prompts", None) or {}).get(prompt_name, "") if prompt_name else "",
        "inputs": names,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _use_eager_attention(model: Any) -> None:
    """Trace plain attention: the SDPA graph exports with masking ops onnxruntime runs ~1.7x slower."""
    for module in model.modules():
        setter = getattr(module, "set_attn_implementation", None)
        if callable(setter) and hasattr(module, "config"):
            with contextlib.suppress(ValueError, TypeError, AttributeError):  # an architecture without it
                setter("eager")


def _probe_cosine(model: Any, encoder: OnnxEncoder) -> float:
    """The smallest cosine between torch and ONNX vectors of the probe texts (1.0 = identical)."""
    expected = model.encode(
        list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    got = encoder.encode(list(PROBES))
    ids_torch = model.tokenizer(list(PROBES), truncation=True, max_length=encoder.max_seq_length)["input_ids"]
    batch = encoder.tokenizer.batch(PROBES)
    ids_onnx = [
        ids[mask == 1].tolist() for ids, mask in zip(batch["input_ids"], batch["attention_mask"], strict=True)
    ]
    if [list(r) for r in ids_torch] != ids_onnx:
        return 0.0  # the saved tokenizer does not reproduce the model's own: never use such an export
    return float(np.min(np.sum(expected * got, axis=1)))


def _prune(root: Path) -> None:
    """Drop exports of model folders that no longer exist (temporary test models, moved checkouts)."""
    for entry in root.iterdir():
        config_path = entry / "export.json"
        if not config_path.is_file():
            continue
        try:
            path = json.loads(config_path.read_text(encoding="utf-8")).get("model_path", "")
        except (OSError, ValueError):
            continue
        if os.path.isabs(path) and not os.path.exists(path):
            shutil.rmtree(entry, ignore_errors=True)


def load_onnx_int8(name: str, model_path: str, load_torch: Callable[[], Any]) -> OnnxEncoder:
    """The cached int8 export of ``name`` for this CPU, exported first when there is none.

    ``load_torch`` returns the sentence-transformers model; it is called only to export.

    Raises:
        ModelUnavailableError: onnxruntime is missing, or the export cannot reproduce the torch model.
    """
    require_onnxruntime()
    folder = export_dir(name, model_path)
    if not (folder / "export.json").is_file():
        started = time.perf_counter()
        export(load_torch(), name, model_path, folder)
        log.info("Exported %s to ONNX int8 in %.1f s (%s).", name, time.perf_counter() - started, folder)
    return OnnxEncoder(folder)
