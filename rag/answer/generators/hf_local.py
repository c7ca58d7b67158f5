"""The ``transformers`` generator: a local Hugging Face causal language model, run in this process.

The model is a folder (``save_pretrained`` output, or a download) or a name already in the local Hugging Face
cache; nothing is downloaded. It is loaded on first use, once per process, on the GPU when there is one
(``RAG_DEVICE`` overrides), and prompted through its own chat template. Passages are fitted to its context
window with its own tokenizer. Generation runs in a thread and streams through ``TextIteratorStreamer``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import GeneratorError, ModelUnavailableError
from ...settings import Settings
from ...types import Passage
from .base import Turn, register
from .prompt import Messages, NotedStream, Prompt, fit_prompt, fold_system

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_TOKENS = 4096  # when neither the model's config nor its tokenizer says
_HUGE = 1_000_000  # tokenizers without a limit report a sentinel like 1e30


@dataclass
class LocalModel:
    """A loaded tokenizer and model, and where they run."""

    ref: str
    tokenizer: Any
    model: Any
    device: str
    context_tokens: int
    system_role: bool = True  # False for templates that refuse a system message (Gemma's, for one)


_MODELS: dict[tuple[str, str], LocalModel] = {}
_LOCK = threading.Lock()


def _device(requested: str | None) -> str:
    import torch

    if requested:
        return requested
    return "cuda" if torch.cuda.is_available() else "cpu"


def load_local_model(ref: str, device: str | None = None) -> LocalModel:
    """The model at folder ``ref`` (or cached under that name), loaded once per process and device.

    Raises:
        ModelUnavailableError: no such folder or cached model, or it is not a causal language model with a
            chat template.
    """
    device = _device(device)
    with _LOCK:
        if (ref, device) in _MODELS:
            return _MODELS[(ref, device)]
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as e:
            raise ModelUnavailableError(
                "The transformers generator needs transformers: pip install transformers"
            ) from e
        path = Path(ref).expanduser()
        where = str(path) if path.exists() else ref
        try:
            tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
            dtype = torch.float32 if device == "cpu" else "auto"
            model = AutoModelForCausalLM.from_pretrained(where, local_files_only=True, dtype=dtype)
        except (OSError, ValueError, KeyError) as e:
            raise ModelUnavailableError(
                f"Cannot load a language model from '{ref}': it is not a model folder, nor a model in the "
                f"local Hugging Face cache ({type(e).__name__}). Set RAG_LLM_MODEL to a folder with "
                "config.json, the weights and the tokenizer, or download the model first (hf download NAME)."
            ) from e
        if not getattr(tokenizer, "chat_template", None):
            raise ModelUnavailableError(
                f"The model '{ref}' has no chat template, so it is not a chat (instruction-tuned) model. Use "
                "an instruct model, e.g. Qwen/Qwen2.5-0.5B-Instruct."
            )
        model.to(device).eval()
        limits = [getattr(model.config, "max_position_embeddings", None), tokenizer.model_max_length]
        context = min(
            (n for n in limits if isinstance(n, int) and 0 < n < _HUGE), default=DEFAULT_CONTEXT_TOKENS
        )
        loaded = LocalModel(ref, tokenizer, model, device, context)
        log.info("Loaded %s on %s (context window %d tokens)", ref, device, context)
        _MODELS[(ref, device)] = loaded
        return loaded


def render(loaded: LocalModel, messages: Messages) -> str:
    """The prompt text the model sees: ``messages`` through its chat template, ready for its answer.

    Raises:
        GeneratorError: the template refuses the conversation even with the instructions folded into the
            first user message (some templates refuse a system message).
    """
    if not loaded.system_role:
        messages = fold_system(messages)
    try:
        return loaded.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except Exception as e:
        if not loaded.system_role:
            raise GeneratorError(
                f"The chat template of '{loaded.ref}' refused the conversation: {type(e).__name__}: {e}"
            ) from e
        loaded.system_role = False
        return render(loaded, messages)


class TransformersGenerator:
    """Answers with a local model; loads it on the first question."""

    name = "transformers"

    def __init__(self, settings: Settings, *, model: str | None = None, device: str | None = None) -> None:
        self.settings = settings
        self._model = model
        self._device = device

    def load(self) -> LocalModel:
        """The loaded model (shared by every generator in the process that names the same one).

        Raises:
            ModelUnavailableError: no model is configured, or it cannot be loaded.
        """
        ref = self._model or self.settings.llm_model
        if not ref:
            raise ModelUnavailableError(
                "No local model is set: set RAG_LLM_MODEL to a model folder (or a name in the Hugging Face "
                "cache), or pass --model, to use the transformers generator."
            )
        return load_local_model(ref, self._device or self.settings.device)

    def prompt(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> Prompt:
        """The messages for the model, fitted to its context window with its own tokenizer."""
        loaded = self.load()
        context = loaded.context_tokens
        if self.settings.llm_context_tokens:
            context = min(context, self.settings.llm_context_tokens)

        def count(messages: Messages) -> int:
            return len(loaded.tokenizer(render(loaded, messages), add_special_tokens=False)["input_ids"])

        return fit_prompt(
            question,
            passages,
            history,
            count=count,
            context_tokens=context,
            answer_tokens=self.settings.max_answer_tokens,
        )

    def stream(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> NotedStream:
        """The answer in pieces as the model writes them; ``.notes`` says what did not fit."""
        prompt = self.prompt(question, passages, history)
        notes = prompt.notes
        return NotedStream(self._pieces(self.load(), prompt, notes), notes)

    def generate(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> str:
        return "".join(self.stream(question, passages, history))

    def _pieces(self, loaded: LocalModel, prompt: Prompt, notes: list[str]) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        stop = threading.Event()

        class _Stopped(StoppingCriteria):  # ends generation when the reader goes away
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full(
                    (input_ids.shape[0],), stop.is_set(), dtype=torch.bool, device=input_ids.device
                )

        tokenizer = loaded.tokenizer
        inputs = tokenizer(render(loaded, prompt.messages), add_special_tokens=False, return_tensors="pt")
        inputs = {k: v.to(loaded.device) for k, v in inputs.items() if k in ("input_ids", "attention_mask")}
        streamer = TextIteratorStreamer(
            tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=self.settings.llm_timeout
        )
        max_new = self.settings.max_answer_tokens
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        failure: list[BaseException] = []
        produced: list[int] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    out = loaded.model.generate(
                        **inputs,
                        streamer=streamer,
                        max_new_tokens=max_new,
                        do_sample=False,
                        pad_token_id=pad,
                        stopping_criteria=StoppingCriteriaList([_Stopped()]),
                    )
                produced.append(out.shape[-1] - inputs["input_ids"].shape[-1])
            except BaseException as e:  # reported to the reader below, not lost in the thread
                failure.append(e)
                streamer.end()

        thread = threading.Thread(target=run, name="rag-transformers-generate", daemon=True)
        thread.start()
        wrote = False
        try:
            for piece in streamer:
                if piece:
                    wrote = True
                    yield piece
        except queue.Empty as e:
            raise GeneratorError(
                f"The local model '{loaded.ref}' wrote nothing for {self.settings.llm_timeout:g} s on "
                f"{loaded.device}: use a smaller model or a GPU, or raise RAG_LLM_TIMEOUT."
            ) from e
        finally:
            stop.set()
            thread.join(timeout=self.settings.llm_timeout)
        if failure and not isinstance(failure[0], Exception):
            raise failure[0]  # KeyboardInterrupt and the like are not the model's failure
        if failure:
            raise GeneratorError(
                f"The local model '{loaded.ref}' failed while writing the answer: "
                f"{type(failure[0]).__name__}: {failure[0]}"
            ) from failure[0]
        if not wrote:
            raise GeneratorError(f"The local model '{loaded.ref}' wrote no answer text.")
        if produced and produced[0] >= max_new:
            notes.append(f"The answer was cut off at {max_new:,} tokens (RAG_MAX_ANSWER_TOKENS).")


def _factory(
    *, settings: Settings, model: str | None = None, device: str | None = None, **_: object
) -> TransformersGenerator:
    return TransformersGenerator(settings, model=model, device=device)


register("transformers", _factory)
