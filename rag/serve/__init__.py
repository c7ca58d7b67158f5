"""The HTTP and MCP doors to ``rag``: thin adapters from a protocol to the public API, no retrieval here.

What comes in / what goes out:

- ``POST /v1/chat/completions`` (``openai_api``): OpenAI ``messages`` in (the last user message is the question,
  earlier turns its history, a system message noted and not used); out, a ``chat.completion`` whose content is
  the answer in Markdown with ``[n]`` markers and a sources list, with ``message.citations`` =
  ``Citation.to_dict()`` for each; or, with ``stream: true``, OpenAI chunks ending ``data: [DONE]``, the last
  chunk's ``delta.citations`` carrying them. ``GET /v1/models``: one model per generator (``rag/extractive``).
- MCP tools (``mcp_server``): ``ask`` (Markdown text + ``Answer.to_dict()`` as structured content),
  ``search`` (passages with scores), ``list_documents``, ``get_document``; over stdio (``rag mcp``) or
  streamable HTTP at ``/mcp`` of ``rag serve``.
- ``http.apis_lifespan`` mounts both on the chat's FastAPI app; ``auth`` checks the optional bearer key.

FastAPI (with the ``ui`` extra) is imported only when ``apis_lifespan`` is first used, so ``rag mcp`` runs
without it.
"""

from typing import Any

from .markdown import answer_markdown, sources_markdown

MCP_PATH = "/mcp"


def __getattr__(name: str) -> Any:
    if name == "apis_lifespan":  # lazily: it needs FastAPI
        from .http import apis_lifespan

        return apis_lifespan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["MCP_PATH", "answer_markdown", "apis_lifespan", "sources_markdown"]
