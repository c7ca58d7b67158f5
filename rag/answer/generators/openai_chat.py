"""The ``openai`` generator: any OpenAI-compatible chat-completions server, through the official client.

That covers OpenAI itself and local servers (Ollama, llama.cpp's ``llama-server``, vLLM). The server comes
from ``OPENAI_BASE_URL`` (default: OpenAI), the key from ``OPENAI_API_KEY`` (read when a request is made,
never stored in settings, never logged or put in an error message), the model from ``RAG_LLM_MODEL`` or the
``model`` option. The client retries rate limits (429), server errors (5xx) and timeouts with exponential
backoff, honouring ``Retry-After``; what still fails becomes a ``GeneratorError`` that says what to do.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...errors import GeneratorError
from ...index.tokens import get_encoding
from ...settings import Settings
from ...types import Passage
from .base import Turn, register
from .prompt import Messages, NotedStream, Prompt, fit_prompt

log = logging.getLogger(__name__)

OPENAI_URL = "https://api.openai.com/v1"
HOSTED_DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_CONTEXT_TOKENS = 8192  # what every current OpenAI model and most local servers' defaults exceed
# Sent as the key to servers that need none (Ollama, llama.cpp): the client refuses to start without a key.
_NO_KEY = "no-key-set"
# cl100k_base counts OpenAI-family text exactly; other models' tokenizers (Llama, Mistral on a local server)
# count the same text up to about a tenth longer, so their prompts are sized with that margin.
_OTHER_TOKENIZER_MARGIN = 1.1
_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,})")


def _safe_url(url: str) -> str:
    """The server address without any user:password part, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/")


def _redact(text: str, key: str | None) -> str:
    """``text`` with the API key, and anything shaped like an OpenAI key, replaced by ``***``."""
    if key:
        text = text.replace(key, "***")
    return _KEYLIKE.sub("sk-***", text)


class OpenAIChatGenerator:
    """Answers through a chat-completions server; the client is built on first use."""

    name = "openai"

    def __init__(
        self,
        settings: Settings,
        *,
        model: str | None = None,
        base_url: str | None = None,
        context_tokens: int | None = None,
    ) -> None:
        self.settings = settings
        self._model = model
        self._base_url = base_url
        self._context_tokens = context_tokens
        self._client: Any = None
        self._client_for: tuple[Any, ...] | None = None

    # configuration, read when used so that a changed environment is seen
    @property
    def base_url(self) -> str | None:
        return self._base_url or os.environ.get("OPENAI_BASE_URL") or None

    @property
    def model(self) -> str:
        model = self._model or self.settings.llm_model
        if model:
            return model
        if self.base_url is None:
            return HOSTED_DEFAULT_MODEL
        raise GeneratorError(
            f"No model is set for the server at {_safe_url(self.base_url)}: set RAG_LLM_MODEL to the name of "
            "a model it serves (e.g. llama3.2 for Ollama), or pass --model."
        )

    @property
    def context_tokens(self) -> int:
        return self._context_tokens or self.settings.llm_context_tokens or DEFAULT_CONTEXT_TOKENS

    def _api_key(self) -> str | None:
        return os.environ.get("OPENAI_API_KEY") or None

    def client(self) -> Any:
        """The ``openai.OpenAI`` client for the current environment (rebuilt when the URL or key changed).

        Raises:
            GeneratorError: no key for OpenAI's own service, or the ``openai`` package is missing.
        """
        key, url = self._api_key(), self.base_url
        if key is None and url is None:
            raise GeneratorError(
                "OpenAI's service needs an API key: set OPENAI_API_KEY, or set OPENAI_BASE_URL to an "
                "OpenAI-compatible server that needs none (Ollama, llama.cpp's server)."
            )
        wanted = (url, key, self.settings.llm_timeout, self.settings.llm_max_retries)
        if self._client is None or self._client_for != wanted:
            try:
                import openai
            except ImportError as e:
                raise GeneratorError(
                    "The openai generator needs the openai package: pip install 'rag-quotes[llm]'"
                ) from e
            self._client = openai.OpenAI(
                api_key=key or _NO_KEY,
                base_url=url or OPENAI_URL,
                timeout=self.settings.llm_timeout,
                max_retries=self.settings.llm_max_retries,
            )
            self._client_for = wanted
        return self._client

    def count_tokens(self, messages: Messages) -> int:
        """The prompt's size: cl100k_base tokens plus OpenAI's per-message framing (3 + 4 per message)."""
        encoding = get_encoding()
        tokens = 3 + sum(4 + len(encoding.encode(m["content"], disallowed_special=())) for m in messages)
        return tokens if self.base_url is None else math.ceil(tokens * _OTHER_TOKENIZER_MARGIN)

    def prompt(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> Prompt:
        """The messages that will be sent, fitted to the context window."""
        return fit_prompt(
            question,
            passages,
            history,
            count=self.count_tokens,
            context_tokens=self.context_tokens,
            answer_tokens=self.settings.max_answer_tokens,
        )

    def stream(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> NotedStream:
        """The answer in pieces as the server sends them (server-sent events); ``.notes`` says what was left
        out. Raises ``GeneratorError`` (while iterating) when the server fails."""
        prompt = self.prompt(question, passages, history)
        notes = prompt.notes
        return NotedStream(self._pieces(prompt, notes), notes)

    def generate(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> str:
        """The whole answer in one (non-streamed) request."""
        prompt = self.prompt(question, passages, history)
        client, url = self.client(), self._display_url()
        failure: GeneratorError | None = None
        try:
            reply = self._create(client, prompt, stream=False)
            text = reply.choices[0].message.content if reply.choices else None
        except GeneratorError:
            raise
        except Exception as e:
            failure = self._error(e, url)
        if failure is not None:
            raise failure  # outside the except block, so that a cause that may hold the key is not chained
        if not text:
            raise GeneratorError(f"The server at {url} returned no answer text for model '{self.model}'.")
        return text

    def _pieces(self, prompt: Prompt, notes: list[str]) -> Iterator[str]:
        client, url = self.client(), self._display_url()
        log.info(
            "Asking %s at %s: %d passages, %d prompt tokens",
            self.model,
            url,
            len(prompt.shown),
            prompt.tokens,
        )
        produced = False
        failure: GeneratorError | None = None
        try:
            response = self._create(client, prompt, stream=True)
            try:
                for chunk in response:
                    if not chunk.choices:
                        continue  # a usage-only chunk
                    choice = chunk.choices[0]
                    if choice.delta is not None and choice.delta.content:
                        produced = True
                        yield choice.delta.content
                    if choice.finish_reason == "length":
                        notes.append(
                            f"The answer was cut off at {self.settings.max_answer_tokens:,} tokens "
                            "(RAG_MAX_ANSWER_TOKENS)."
                        )
            finally:
                response.close()
        except GeneratorError:
            raise
        except Exception as e:
            failure = self._error(e, url)
        if failure is not None:
            raise failure
        if not produced:
            raise GeneratorError(f"The server at {url} returned no answer text for model '{self.model}'.")

    def _create(self, client: Any, prompt: Prompt, *, stream: bool) -> Any:
        """One chat-completions request; adapts once to models that refuse ``max_tokens`` or ``temperature``
        (OpenAI's reasoning models want ``max_completion_tokens`` and their own temperature)."""
        import openai

        params: dict[str, Any] = {
            "model": self.model,
            "messages": prompt.messages,
            "stream": stream,
            "temperature": 0,
            "max_tokens": self.settings.max_answer_tokens,
        }
        while True:
            try:
                return client.chat.completions.create(**params)
            except openai.BadRequestError as e:
                message = str(e)
                if "max_tokens" in params and "max_completion_tokens" in message:
                    params["max_completion_tokens"] = params.pop("max_tokens")
                elif "temperature" in params and "temperature" in message:
                    params.pop("temperature")
                else:
                    raise

    def _display_url(self) -> str:
        return _safe_url(self.base_url or OPENAI_URL)

    def _error(self, error: Exception, url: str) -> GeneratorError:
        """A ``GeneratorError`` that says what went wrong and what to do; never contains the key.

        The client's exception is kept as the cause unless it is about the key or its text holds the key
        (servers echo a wrong key back): then it is dropped, so no traceback can show the key either.
        """
        import openai

        retries = self.settings.llm_max_retries
        tries = f"{retries + 1} attempt{'s' if retries else ''}"
        key = self._api_key()
        if isinstance(error, openai.APITimeoutError) or "timeout" in type(error).__name__.lower():
            message = (
                f"The LLM server at {url} did not answer within {self.settings.llm_timeout:g} s "
                f"({tries}). It may be overloaded, or still loading the model: try again, or raise "
                "RAG_LLM_TIMEOUT."
            )
        elif isinstance(error, openai.APIConnectionError):
            message = (
                f"Cannot reach the LLM server at {url}: is it running? Check OPENAI_BASE_URL "
                f"({type(error.__cause__ or error).__name__})."
            )
        elif isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            message = (
                f"The LLM server at {url} needs an API key: set OPENAI_API_KEY."
                if key is None
                else f"The LLM server at {url} refused the API key in OPENAI_API_KEY "
                f"({error.status_code}): check the key and its permissions."
            )
        elif isinstance(error, openai.NotFoundError):
            message = (
                f"The LLM server at {url} answered 404 for model '{self.model}': set RAG_LLM_MODEL to a "
                "model it serves, and check that OPENAI_BASE_URL ends with its API path (often /v1)."
            )
        elif isinstance(error, openai.RateLimitError):
            message = (
                f"The LLM server at {url} is rate limiting requests (429) and still was after {tries}: "
                "wait a minute and try again, or raise RAG_LLM_MAX_RETRIES."
            )
        elif isinstance(error, openai.APIStatusError):
            detail = " ".join(str(getattr(error, "message", "") or "").split())[:300]
            message = f"The LLM server at {url} failed with HTTP {error.status_code} ({tries}): {detail}"
        else:  # a reply that is not chat-completions JSON: a wrong URL, a proxy's error page, a broken server
            message = (
                f"The LLM server at {url} sent a reply that is not valid chat-completions JSON "
                f"({type(error).__name__}). Check that OPENAI_BASE_URL points to an OpenAI-compatible "
                "API (often ending in /v1)."
            )
        failure = GeneratorError(_redact(message, key))
        about_key = isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError)
        if not about_key and _redact(str(error), key) == str(error):
            failure.__cause__ = error
        return failure


def _factory(
    *, settings: Settings, model: str | None = None, base_url: str | None = None, **_: object
) -> OpenAIChatGenerator:
    return OpenAIChatGenerator(settings, model=model, base_url=base_url)


register("openai", _factory)
