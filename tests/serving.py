"""Starting the real ``rag serve`` / ``rag mcp`` commands for protocol tests: a subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_TIMEOUT_S = 180
RAG = str(Path(sys.executable).with_name("rag"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``rag serve``: its base URL, and everything it has printed so far (``log()``)."""

    def __init__(self, process: subprocess.Popen, url: str, log_path: Path) -> None:
        self.process = process
        self.url = url
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def rag_serve(
    index_dir: Path, log_path: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """``rag -v serve --index-dir index_dir ARGS`` until the block ends; ready once ``/v1/models`` answers."""
    port = free_port()
    command = [RAG, "-v", "serve", "--index-dir", str(index_dir), "--port", str(port), *args]
    with open(log_path, "w") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/v1/models", process, log_path.read_text)
        yield Served(process, url, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(url: str, process: subprocess.Popen, output: Callable[[], str]) -> None:
    """Until ``url`` answers (any HTTP status, 401 included); fails with ``output()`` if the server exits."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"rag serve exited with {process.returncode}: {output()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (401 counts)
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"rag serve did not answer at {url} within {STARTUP_TIMEOUT_S} s")


def verbatim(citations: list[dict], documents: dict[str, str]) -> None:
    """Every verified citation's quote is its document's text at the recorded span."""
    assert citations, "no citations"
    for c in citations:
        assert c["verified"] and c["status"] in ("verified", "repaired")
        assert documents[c["doc_id"]][c["start"] : c["end"]] == c["quote"], c
