"""A hosted model's stand-in for the ``openai`` generator: an OpenAI-compatible ``/v1/chat/completions`` server on
127.0.0.1 that speaks the real protocol (server-sent ``chat.completion.chunk`` events over chunked HTTP/1.1).

Its model quotes exactly the passage sentence that names ``QUOTED_WORD`` and invents a second quote
(``INVENTED_QUOTE``, in no document), a word per event; a question containing "fail" gets an HTTP 500.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

QUOTED_WORD = "Atomstroyexport"
INVENTED_QUOTE = "finished in a hurry by Iranian engineers"


def _handler(word_delay: float) -> type[BaseHTTPRequestHandler]:
    class ChatCompletions(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            prompt = body["messages"][-1]["content"]
            if "fail" in prompt.split("</passage>")[-1]:
                self._fail()
                return
            passages = re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S)
            n, sentence = next(
                (n, s) for n, text in passages for s in re.split(r"(?<=[.!?])\s+", text) if QUOTED_WORD in s
            )
            words = f"Russia built it: “{sentence}” [{n}] The plant was also “{INVENTED_QUOTE}” [{n}]".split(
                " "
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            deltas = [{"role": "assistant", "content": ""}] + [
                {"content": w + (" " if i < len(words) - 1 else "")} for i, w in enumerate(words)
            ]
            for i, delta in enumerate([*deltas, {}]):
                chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "delta": delta, "finish_reason": None if delta else "stop"}]}  # fmt: skip
                self._event(json.dumps(chunk))
                time.sleep(word_delay if 0 < i < len(deltas) else 0)
            self._event("[DONE]")
            self.wfile.write(b"0\r\n\r\n")

        def _fail(self) -> None:
            data = json.dumps({"error": {"message": "the model crashed", "type": "server_error"}}).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _event(self, data: str) -> None:
            payload = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(payload):X}\r\n".encode() + payload + b"\r\n")
            self.wfile.flush()

    return ChatCompletions


@contextmanager
def fake_openai_server(word_delay: float = 0.0) -> Iterator[str]:
    """Serve the fake model on a free loopback port; yields its base URL (``http://127.0.0.1:PORT/v1``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(word_delay))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
