"""The optional API key of ``rag serve``: ``Authorization: Bearer KEY`` on ``/v1`` and ``/mcp``.

The key is compared in constant time and never logged, echoed in an error, or stored in settings.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

MISSING = (
    "Missing API key: send the header 'Authorization: Bearer <key>' with the key rag serve was started with "
    "(--api-key or RAG_API_KEY)."
)
WRONG = "Incorrect API key: use the key rag serve was started with (--api-key or RAG_API_KEY)."


def key_problem(authorization: str | None, api_key: str | None) -> str | None:
    """None when the request may pass (no key set, or the right one sent); else what is wrong with it."""
    if not api_key:
        return None
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return MISSING
    if not hmac.compare_digest(token.strip().encode(), api_key.encode()):
        return WRONG
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    headers: Mapping[bytes, bytes] = dict(scope.get("headers") or [])
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None


class RequireKey:
    """ASGI wrapper: 401 with an OpenAI-shaped error unless the request carries the key."""

    def __init__(self, app: ASGIApp, api_key: str | None) -> None:
        self.app = app
        self._key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = (
            key_problem(_header(scope, b"authorization"), self._key) if scope["type"] == "http" else None
        )
        if problem is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "error": {
                    "message": problem,
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
            }
        )
        await send({"type": "http.response.body", "body": body})
