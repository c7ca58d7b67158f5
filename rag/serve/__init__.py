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

Imports FastAPI and the MCP SDK: import it only where those are installed (``rag serve``, ``rag mcp``).
"""

from .http import MCP_PATH, apis_lifespan
from .markdown import answer_markdown, sources_markdown

__all__ = ["MCP_PATH", "answer_markdown", "apis_lifespan", "sources_markdown"]
