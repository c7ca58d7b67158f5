"""Mounting the HTTP APIs on the app that serves the chat: one process, one port, one loaded index.

``apis_lifespan`` is handed to Gradio as its FastAPI app's lifespan (``launch(app_kwargs={"lifespan": ...})``):
when the server starts, before it takes a request, it adds ``/v1`` (OpenAI) and ``/mcp`` (MCP, streamable HTTP)
to the app and runs the MCP session manager for as long as the server runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from fastapi import FastAPI
from starlette.routing import Route

import rag

from . import MCP_PATH
from .auth import RequireKey
from .mcp_server import build_mcp_server
from .openai_api import build_router


def apis_lifespan(
    index_dir: Path, settings: rag.Settings, *, api_key: str | None = None, host: str = "127.0.0.1"
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that mounts ``/v1`` and ``/mcp`` over ``index_dir`` on the app it is given.

    ``api_key``: required as ``Authorization: Bearer`` on both. ``host``: the address served; on a loopback
    address the MCP endpoint refuses other Host and Origin headers (DNS-rebinding protection).
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.include_router(build_router(index_dir, settings, api_key))
        server = build_mcp_server(index_dir, settings)
        mcp_app = server.streamable_http_app(streamable_http_path=MCP_PATH, host=host)
        for route in mcp_app.routes:
            if isinstance(route, Route) and route.path == MCP_PATH:
                app.router.routes.append(
                    Route(MCP_PATH, endpoint=RequireKey(route.app, api_key), methods=route.methods)
                )
        async with server.session_manager.run():
            yield

    return lifespan
