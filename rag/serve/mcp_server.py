"""The MCP server: ``ask``, ``search``, ``list_documents`` and ``get_document`` as tools over ``rag``'s API.

``rag mcp`` serves it over stdio; ``rag serve`` mounts it at ``/mcp`` (streamable HTTP, see ``rag.serve.http``).
Every tool returns text a model can read and structured content a program can use; ``ask``'s structured
content is ``Answer.to_dict()``, so each citation keeps its verbatim quote, document and span. A bad argument
or a library error comes back as a tool error (``isError``) with the message, never as a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent
from pydantic import Field

import rag

from .markdown import answer_markdown

INSTRUCTIONS = (
    "Answers questions from an indexed collection of articles with word-for-word quotes. Use `ask` for a "
    "cited answer (each [n] marker has a verified quote, document and character span); `search` for the "
    "raw passages; `list_documents` and `get_document` to browse. When the documents do not answer, `ask` "
    "says so instead of guessing."
)

# The bounds are in the schema for clients, and checked by rag itself, whose message is one line saying what to do.
K = Annotated[
    int,
    Field(
        description="How many passages to retrieve (1-50, default 5).",
        json_schema_extra={"minimum": 1, "maximum": 50},
    ),
]


def build_mcp_server(index_dir: str | Path | None = None, settings: rag.Settings | None = None) -> MCPServer:
    """An MCP server answering from ``index_dir`` (default ``vectors/``) with ``settings`` (default from env)."""
    settings = settings or rag.Settings.from_env()
    folder = Path(index_dir) if index_dir is not None else rag.default_index_dir()
    server = MCPServer("rag-quotes", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    def ask(
        question: Annotated[str, Field(description="The question, in plain words.")],
        k: K = settings.top_k,
        generator: Annotated[
            str | None, Field(description="Who writes the answer: " + ", ".join(rag.available_generators()))
        ] = None,
    ) -> CallToolResult:
        """Answer a question from the documents. Returns the answer in Markdown, with [n] markers and a list
        of sources, and as structured content: text, citations (each with the verbatim quote, doc_id, title,
        author, date, url, start/end character span and verification status), passages, abstained, notes.
        When the documents do not answer, abstained is true and there are no citations."""
        try:
            answer = rag.ask(question, k=k, generator=generator, index_dir=folder, settings=settings)
        except rag.RagError as e:
            raise ToolError(str(e)) from e
        data = answer.to_dict()
        return CallToolResult(
            content=[TextContent(type="text", text=answer_markdown(data))], structured_content=data
        )

    @server.tool()
    def search(
        query: Annotated[str, Field(description="What to look for.")], k: K = settings.top_k
    ) -> dict[str, Any]:
        """Find the passages that best match a query, best first, without writing an answer. Returns
        {"passages": [...]}, each with n, doc_id, title, text, start/end (its span in the document), and
        score (fused), dense_score (cosine) and bm25_score."""
        try:
            passages = rag.search(query, k, index_dir=folder, settings=settings)
        except rag.RagError as e:
            raise ToolError(str(e)) from e
        return {"passages": [p.to_dict() for p in passages]}

    @server.tool()
    def list_documents() -> dict[str, Any]:
        """List every indexed document. Returns {"documents": [...]}, each with doc_id, title, author, date,
        url, chunks and source_path; pass a doc_id to get_document to read it."""
        try:
            documents = rag.list_documents(folder, settings=settings)
        except rag.RagError as e:
            raise ToolError(str(e)) from e
        return {"documents": [d.to_dict() for d in documents]}

    @server.tool()
    def get_document(
        doc_id: Annotated[str, Field(description="A doc_id from list_documents, search or a citation.")],
    ) -> dict[str, Any]:
        """Read one document. Returns doc_id, title, authors, date, url, source_path and text: the cleaned
        text that citation and passage start/end spans index into (text[start:end] is the quote)."""
        try:
            document = rag.get_document(doc_id, index_dir=folder, settings=settings)
        except rag.RagError as e:
            raise ToolError(str(e)) from e
        data = document.to_dict(with_text=True)
        data.pop("segments", None)  # the map back to the original file: large, and of no use to a model
        return data

    return server


def run_stdio(index_dir: str | Path | None = None, settings: rag.Settings | None = None) -> None:
    """Serve MCP over stdin/stdout until the client closes it; the index is checked first (fails fast)."""
    settings = settings or rag.Settings.from_env()
    rag.list_documents(index_dir, settings=settings)  # raises IndexNotFoundError before any protocol starts
    build_mcp_server(index_dir, settings).run("stdio")
