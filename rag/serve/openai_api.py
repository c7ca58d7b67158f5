"""``GET /v1/models`` and ``POST /v1/chat/completions``: the OpenAI chat API over ``rag.ask_stream``.

A FastAPI router, mounted on the chat's own app by ``rag.serve.http``. Each request is answered from the
documents exactly as the chat answers it; the reply's text carries ``[n]`` markers and a sources list, and
``choices[0].message.citations`` (``delta.citations`` on the last streamed chunk) every ``Citation.to_dict()``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

import rag

from . import openai_format as fmt
from .auth import key_problem
from .markdown import answer_markdown, sources_markdown

log = logging.getLogger(__name__)

# The extractive generator writes its answer at once, and its draft differs from the checked answer only in
# the numbering of its markers: streaming the draft would show the same answer twice (as `rag ask` avoids too).
NOT_LIVE = frozenset({"extractive"})
KEEPALIVE_SECONDS = 5.0


def generators(settings: rag.Settings) -> list[str]:
    """The generators served as models, the configured default first."""
    names = rag.available_generators()
    return sorted(names, key=lambda n: n != settings.generator)


def _error_for(e: rag.RagError) -> fmt.ApiError:
    """A library error as an API error with the status that says whose fault it is."""
    if isinstance(e, rag.InvalidQuestionError):
        return fmt.ApiError(400, str(e))
    if isinstance(e, rag.UnknownGeneratorError):
        return fmt.ApiError(404, str(e), code="model_not_found")
    if isinstance(e, rag.IndexNotFoundError | rag.IndexMismatchError):
        return fmt.ApiError(503, str(e), "server_error", "index_unavailable")
    if isinstance(e, rag.ModelUnavailableError):
        return fmt.ApiError(503, str(e), "server_error", "model_unavailable")
    return fmt.ApiError(502, str(e), "server_error", "generator_failed")


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


class ChatCompletions:
    """The endpoint's work, bound to one index folder and settings."""

    def __init__(self, index_dir: Path, settings: rag.Settings) -> None:
        self.index_dir = index_dir
        self.settings = settings

    def _stream(self, request: fmt.ChatRequest) -> Iterator[str | rag.Answer]:
        return rag.ask_stream(
            request.question,
            k=request.k,
            generator=request.generator,
            history=request.history or None,
            index_dir=self.index_dir,
            settings=self.settings,
        )

    def answer(self, request: fmt.ChatRequest) -> dict[str, Any]:
        """The whole ``chat.completion`` (run in a worker thread: answering is CPU-bound)."""
        try:
            final = None
            for item in self._stream(request):
                if isinstance(item, rag.Answer):
                    final = item
            assert final is not None
        except rag.RagError as e:
            raise _error_for(e) from e
        data = final.to_dict()
        notes = [*request.notes, *data.get("notes", ())]
        content = answer_markdown(data, notes)
        counts = fmt.usage(rag.count_tokens(request.prompt_text), rag.count_tokens(content))
        return fmt.completion(request, data, content, notes, counts)

    def start(self, request: fmt.ChatRequest) -> tuple[str | rag.Answer, Iterator[str | rag.Answer]]:
        """The stream's first item, taken before the response starts so that its errors get a status."""
        stream = self._stream(request)
        try:
            return next(stream), stream
        except rag.RagError as e:
            raise _error_for(e) from e

    def events(
        self, request: fmt.ChatRequest, first: str | rag.Answer, rest: Iterator[str | rag.Answer]
    ) -> Iterator[str]:
        """Server-sent events: the text as generated, then the checked answer's remainder, then citations."""
        cid, created = fmt.new_id(), int(time.time())
        yield _sse(fmt.chunk(cid, created, request.model, {"role": "assistant", "content": ""}))
        # Unless drafts are asked for (RAG_STREAM_DRAFTS), nothing unchecked is sent: while the model writes, an
        # SSE comment now and then keeps proxies from closing the quiet connection (clients ignore comments).
        live = request.generator not in NOT_LIVE and self.settings.stream_drafts
        streamed: list[str] = []
        sent: list[str] = []
        quiet_since = time.monotonic()
        try:
            item = first
            while not isinstance(item, rag.Answer):
                if live and item:
                    streamed.append(item)
                    yield _sse(fmt.chunk(cid, created, request.model, {"content": item}))
                elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
                    quiet_since = time.monotonic()
                    yield ": checking quotes against the documents\n\n"
                item = next(rest)
            data = item.to_dict()
            notes = [*request.notes, *data.get("notes", ())]
            if not streamed:
                tail = answer_markdown(data, notes)
            elif "".join(streamed).split() == str(data.get("text", "")).split():
                tail = sources_markdown(data, notes)
            else:  # the checked answer differs from the draft (a quote corrected or unmarked): show it whole
                tail = (
                    "\n\n**Checked answer** (quotes verified against the documents):\n\n"
                    + answer_markdown(data, notes)
                )
            sent = [*streamed, tail]
            yield _sse(fmt.chunk(cid, created, request.model, {"content": tail}))
            yield _sse(
                fmt.chunk(cid, created, request.model, fmt.rag_fields(data, notes), finish_reason="stop")
            )
        except Exception as e:  # the status is sent already: the error goes in the stream, as OpenAI does
            error = _error_for(e) if isinstance(e, rag.RagError) else None
            if error is None:
                log.exception("A streamed answer failed")
                error = fmt.ApiError(
                    500, f"The answer failed ({type(e).__name__}); try again.", "server_error"
                )
            yield _sse(error.body())
        if request.include_usage:
            counts = fmt.usage(rag.count_tokens(request.prompt_text), rag.count_tokens("".join(sent)))
            yield _sse(fmt.chunk(cid, created, request.model, counts=counts))
        yield "data: [DONE]\n\n"


def build_router(index_dir: Path, settings: rag.Settings, api_key: str | None = None) -> APIRouter:
    """The ``/v1`` routes over ``index_dir``; with ``api_key`` every request must carry it as a bearer token."""
    router = APIRouter()
    chat = ChatCompletions(index_dir, settings)
    served = generators(settings)  # once: finding plugins reads every installed package's metadata (~10 ms)

    def check(request: Request) -> None:
        problem = key_problem(request.headers.get("authorization"), api_key)
        if problem:  # logged without the key sent: a wrong key is often someone's right key for elsewhere
            client = request.client.host if request.client else "?"
            log.warning("Refused %s %s from %s: %s", request.method, request.url.path, client, problem)
            raise fmt.ApiError(401, problem, code="invalid_api_key")

    @router.get("/v1/models")
    async def models(request: Request) -> JSONResponse:
        try:
            check(request)
        except fmt.ApiError as e:
            return JSONResponse(e.body(), status_code=e.status)
        return JSONResponse(fmt.model_list(served))

    @router.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        try:
            check(request)
            try:
                body = await request.json()
            except ValueError as e:
                raise fmt.ApiError(400, "The request body is not valid JSON.") from e
            parsed = fmt.parse_request(body, served)
            if parsed.stream:
                first, rest = await run_in_threadpool(chat.start, parsed)
                return StreamingResponse(
                    chat.events(parsed, first, rest),
                    media_type="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
                )
            return JSONResponse(await run_in_threadpool(chat.answer, parsed))
        except fmt.ApiError as e:
            return JSONResponse(e.body(), status_code=e.status)
        except Exception:  # never a traceback to the client; the log has it
            log.exception("A chat completion failed")
            error = fmt.ApiError(500, "The answer failed on the server; try again.", "server_error")
            return JSONResponse(error.body(), status_code=500)

    return router
