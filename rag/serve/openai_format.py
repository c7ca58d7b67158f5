"""OpenAI chat-completions shapes: a request's messages in, completion and chunk objects out.

No HTTP here (``openai_api`` serves these) and no retrieval: the question and history go to ``rag.ask``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .markdown import strip_sources

MODEL_PREFIX = "rag/"
OWNER = "rag-quotes"
SYSTEM_NOTE = (
    "The system message was not used: answers come only from the documents, so instructions there do not "
    "change what is retrieved or quoted."
)


class ApiError(Exception):
    """A request the API answers with an OpenAI-shaped error: ``{"error": {"message", "type", "code"}}``."""

    def __init__(
        self, status: int, message: str, type_: str = "invalid_request_error", code: str | None = None
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": None, "code": self.code}}


@dataclass
class ChatRequest:
    """What a chat-completions request asks: the generator, the question, its history, and options."""

    model: str
    generator: str
    question: str
    history: list[dict[str, str]]
    stream: bool = False
    include_usage: bool = False
    k: int | None = None
    notes: list[str] = field(default_factory=list)
    prompt_text: str = ""  # every message's text, for the usage count


def model_id(generator: str) -> str:
    return MODEL_PREFIX + generator


def model_list(generators: Sequence[str]) -> dict[str, Any]:
    """``GET /v1/models``: one model per generator, in the order given (the first is the default)."""
    return {
        "object": "list",
        "data": [{"id": model_id(g), "object": "model", "created": 0, "owned_by": OWNER} for g in generators],
    }


def _text(content: object, index: int) -> str:
    """A message's text: a string, or the text parts of a list of content parts (images are not read)."""
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, Mapping) and part.get("type") == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "\n".join(parts)
    raise ApiError(400, f"messages[{index}].content must be a string or a list of text parts.")


def parse_request(body: object, generators: Sequence[str]) -> ChatRequest:
    """The request ``body`` checked and read; ``generators`` are the known ones, the first the default.

    Raises:
        ApiError: 400 for a malformed body, 404 for a model no generator serves.
    """
    if not isinstance(body, Mapping):
        raise ApiError(400, "The request body must be a JSON object with 'model' and 'messages'.")
    model = body.get("model") or model_id(generators[0])
    if not isinstance(model, str):
        raise ApiError(400, "'model' must be a string such as " + model_id(generators[0]) + ".")
    generator = model[len(MODEL_PREFIX) :] if model.startswith(MODEL_PREFIX) else model
    if generator not in generators:
        known = ", ".join(model_id(g) for g in generators)
        raise ApiError(
            404, f"The model '{model}' does not exist. Use one of: {known} (GET /v1/models).",
            code="model_not_found",
        )  # fmt: skip
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty list of {role, content} objects.")
    notes: list[str] = []
    turns: list[dict[str, str]] = []
    texts: list[str] = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping) or not isinstance(message.get("role"), str):
            raise ApiError(400, f"messages[{i}] must be an object with a 'role' and a 'content'.")
        role, text = message["role"], _text(message.get("content"), i)
        texts.append(text)
        if role in ("system", "developer"):
            if SYSTEM_NOTE not in notes:
                notes.append(SYSTEM_NOTE)
        elif role in ("user", "assistant"):
            turns.append({"role": role, "content": strip_sources(text) if role == "assistant" else text})
        elif role not in ("tool", "function"):
            raise ApiError(400, f"messages[{i}].role '{role}' is not one of system, user, assistant.")
    if not turns or turns[-1]["role"] != "user":
        raise ApiError(400, "The last message must be the user's question (role 'user').")
    if not turns[-1]["content"].strip():
        raise ApiError(400, "The question is empty: the last user message must ask something.")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "'stream' must be true or false.")
    options = body.get("stream_options") or {}
    k = body.get("k", body.get("top_k"))  # an extension: extra_body={"k": 8} in the openai SDK
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 50):
        raise ApiError(400, f"'k' (passages to retrieve) must be a whole number between 1 and 50, got {k!r}.")
    return ChatRequest(
        model=model,
        generator=generator,
        question=turns[-1]["content"],
        history=turns[:-1],
        stream=stream,
        include_usage=bool(isinstance(options, Mapping) and options.get("include_usage")),
        k=k,
        notes=notes,
        prompt_text="\n".join(texts),
    )


def new_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def rag_fields(answer: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """What a plain OpenAI reply has no field for: every citation, the notes, whether it abstained."""
    return {
        "citations": list(answer.get("citations", ())),
        "notes": notes,
        "abstained": bool(answer.get("abstained")),
    }


def completion(
    request: ChatRequest, answer: Mapping[str, Any], content: str, notes: list[str], counts: dict[str, int]
) -> dict[str, Any]:
    """A ``chat.completion`` object: ``content`` as the message, the citations beside it."""
    return {
        "id": new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, **rag_fields(answer, notes)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": counts,
    }


def chunk(
    completion_id: str,
    created: int,
    model: str,
    delta: dict[str, Any] | None = None,
    finish_reason: str | None = None,
    counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """A ``chat.completion.chunk``; with ``counts`` and no delta it is the usage-only last chunk."""
    choices = (
        []
        if delta is None
        else [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]
    )
    out: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": choices,
    }
    if counts is not None:
        out["usage"] = counts
    return out
