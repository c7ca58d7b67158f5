"""The MCP server with the official ``mcp`` client: over stdio against ``rag mcp``, and over streamable HTTP
against ``/mcp`` of a running ``rag serve``."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from serving import RAG, rag_serve, verbatim

import rag

mcp = pytest.importorskip("mcp")
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

pytestmark = pytest.mark.integration
KEY = "mcp-key-3b8e61"
BUSHEHR = "Who built the Bushehr nuclear power plant?"
TOOLS = {"ask", "search", "list_documents", "get_document"}


@pytest.fixture(scope="module")
def index_copy(seeds_index: Path, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("mcp")
    shutil.copytree(seeds_index.parent, base / "copy")
    return base / "copy" / "vectors"


@pytest.fixture(scope="module")
def documents(index_copy: Path) -> dict[str, str]:
    return {
        d.doc_id: rag.get_document(d.doc_id, index_dir=index_copy).text
        for d in rag.list_documents(index_copy)
    }


def _run(session_factory, check: Callable[[ClientSession], Awaitable[None]]) -> None:
    async def main() -> None:
        async with session_factory() as (read, write, *_), ClientSession(read, write) as session:
            await session.initialize()
            await check(session)

    asyncio.run(main())


def _checks(documents: dict[str, str]) -> Callable[[ClientSession], Awaitable[None]]:
    """What every transport must show: the tools, a cited answer, passages, documents, and tool errors."""

    async def check(session: ClientSession) -> None:
        tools = {t.name: t for t in (await session.list_tools()).tools}
        assert set(tools) == TOOLS
        assert all(t.description and "Returns" in t.description for t in tools.values())

        answer = await session.call_tool("ask", {"question": BUSHEHR})
        assert not answer.is_error
        assert "Atomstroyexport" in answer.content[0].text and "**Sources**" in answer.content[0].text
        data = answer.structured_content
        assert data["abstained"] is False and "Atomstroyexport" in data["citations"][0]["quote"]
        verbatim(data["citations"], documents)

        absent = await session.call_tool("ask", {"question": "What is the capital of Peru?", "k": 3})
        assert absent.structured_content["abstained"] is True and absent.structured_content["citations"] == []

        found = await session.call_tool("search", {"query": "Bushehr nuclear power plant", "k": 3})
        passages = found.structured_content["passages"]
        assert len(passages) == 3 and [p["n"] for p in passages] == [1, 2, 3]
        assert passages[0]["score"] >= passages[-1]["score"] and passages[0]["dense_score"] is not None
        assert "Bushehr" in passages[0]["text"]
        for p in passages:
            assert documents[p["doc_id"]][p["start"] : p["end"]] == p["text"]

        listed = (await session.call_tool("list_documents", {})).structured_content["documents"]
        assert {d["doc_id"] for d in listed} == set(documents)
        document = (
            await session.call_tool("get_document", {"doc_id": listed[0]["doc_id"]})
        ).structured_content
        assert document["text"] == documents[listed[0]["doc_id"]] and document["title"] == listed[0]["title"]

        for name, arguments, says in [
            ("search", {"query": "Crimea", "k": 99}, "between 1 and 50"),
            ("ask", {"question": BUSHEHR, "k": 0}, "between 1 and 50"),
            ("ask", {"question": "   "}, "question is empty"),
            ("ask", {"question": BUSHEHR, "generator": "nope"}, "nope"),
            ("get_document", {"doc_id": "no-such-doc"}, "list_documents"),
            ("ask", {}, "question"),
        ]:
            result = await session.call_tool(name, arguments)
            assert result.is_error, (name, arguments)
            assert says in result.content[0].text and "Traceback" not in result.content[0].text

    return check


def test_rag_mcp_over_stdio(index_copy, documents):
    params = StdioServerParameters(
        command=RAG,
        args=["mcp", "--index-dir", str(index_copy)],
        env={
            k: v
            for k, v in os.environ.items()
            if k.startswith(("PYTHON", "HF_", "TOKENIZERS", "RAG_", "PATH"))
        },
    )
    _run(lambda: stdio_client(params), _checks(documents))


def test_rag_mcp_without_an_index_is_a_one_line_error(tmp_path):
    import subprocess

    done = subprocess.run(
        [RAG, "mcp", "--index-dir", str(tmp_path / "none")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: No index at") and "Traceback" not in done.stderr


def test_mcp_over_http_on_rag_serve_behind_the_key(index_copy, documents, tmp_path):
    import httpx2

    with rag_serve(
        index_copy, tmp_path / "serve.log", env={"RAG_API_KEY": KEY}
    ) as served:  # the key from env
        url = served.url + "/mcp"

        def session(key: str):
            return streamable_http_client(
                url, http_client=httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"})
            )

        _run(lambda: session(KEY), _checks(documents))
        refused = httpx2.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers={})
        assert refused.status_code == 401 and "API key" in refused.json()["error"]["message"]
        wrong = httpx2.post(url, json={}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert KEY not in served.log()
