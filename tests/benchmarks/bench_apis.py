"""Latency of the doors to ``rag``: ``/v1/chat/completions`` and the MCP ``ask`` tool against ``rag.ask()``.

    nice -n 10 .venv/bin/python tests/benchmarks/bench_apis.py                # 20 rounds of 4 questions
    nice -n 10 .venv/bin/python tests/benchmarks/bench_apis.py --rounds 50

Works on a temporary copy of the seeds (the repository's vectors/ is never touched): indexes it, starts the real
``rag serve`` (subprocess, loopback) and ``rag mcp`` (stdio subprocess), then asks the same questions, one at a
time and interleaved so that machine noise falls on every path alike, through:

- ``rag.ask()`` in this process (the baseline: retrieval + extractive answer + quote check);
- ``/v1/chat/completions`` as a bare HTTP POST (the server's own cost), and with the ``openai`` client,
  plain and streamed (time to the first text and to the last chunk);
- the MCP ``ask`` tool with the ``mcp`` client, over streamable HTTP (``/mcp`` of ``rag serve``) and stdio.

Prints median and p95 per path in milliseconds, and each door's added cost over ``ask()`` (median
difference, and the ratio of medians) from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

QUESTIONS = [
    "Who built the Bushehr nuclear power plant?",
    "When did Russia annex Crimea?",
    "What did Putin's aide Yury Ushakov tell TASS?",
    "Why should Biden not expect help from Moscow on the Iran deal?",
]
WARM_UP_ROUNDS = 2


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def run(rounds: int) -> None:
    import httpx2
    import openai
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client
    from mcp.client.streamable_http import streamable_http_client
    from serving import RAG, rag_serve

    import rag

    work = Path(tempfile.mkdtemp(prefix="bench_apis_"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    index = work / "vectors"
    subprocess.run([RAG, "index", str(work / "seeds"), "--index-dir", str(index), "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    times: dict[str, list[float]] = {}

    def record(name: str, seconds: float, round_: int) -> None:
        if round_ >= WARM_UP_ROUNDS:
            times.setdefault(name, []).append(seconds * 1000)

    stdio = StdioServerParameters(command=RAG, args=["mcp", "--index-dir", str(index)], env=dict(os.environ))
    with rag_serve(index, work / "serve.log") as served:
        client = openai.AsyncOpenAI(base_url=served.url + "/v1", api_key="none", max_retries=0, timeout=120)
        async with (
            httpx2.AsyncClient(timeout=120) as http,
            streamable_http_client(served.url + "/mcp", http_client=http) as (hr, hw, *_),
            ClientSession(hr, hw) as over_http,
            stdio_client(stdio) as (sr, sw, *_),
            ClientSession(sr, sw) as over_stdio,
        ):
            await over_http.initialize()
            await over_stdio.initialize()
            for round_ in range(WARM_UP_ROUNDS + rounds):
                for question in QUESTIONS:
                    messages = [{"role": "user", "content": question}]
                    t = time.perf_counter()
                    answer = rag.ask(question, index_dir=index)
                    record("rag.ask() in process", time.perf_counter() - t, round_)

                    t = time.perf_counter()
                    raw = await http.post(served.url + "/v1/chat/completions", json={"messages": messages})
                    record("/v1/chat/completions, bare HTTP (httpx2)", time.perf_counter() - t, round_)
                    assert raw.status_code == 200

                    t = time.perf_counter()
                    reply = await client.chat.completions.create(model="rag/extractive", messages=messages)
                    record("/v1/chat/completions", time.perf_counter() - t, round_)
                    assert reply.choices[0].message.model_extra["citations"] == [
                        c.to_dict() for c in answer.citations
                    ]

                    t = time.perf_counter()
                    first = None
                    async for chunk in await client.chat.completions.create(
                        model="rag/extractive", messages=messages, stream=True
                    ):
                        if first is None and chunk.choices and chunk.choices[0].delta.content:
                            first = time.perf_counter() - t
                    record("/v1/chat/completions stream (last chunk)", time.perf_counter() - t, round_)
                    record("/v1/chat/completions stream (first text)", first or 0.0, round_)

                    for name, session in (
                        ("MCP ask over HTTP (/mcp)", over_http),
                        ("MCP ask over stdio", over_stdio),
                    ):
                        t = time.perf_counter()
                        result = await session.call_tool("ask", {"question": question})
                        record(name, time.perf_counter() - t, round_)
                        assert not result.is_error and result.structured_content["citations"]
    shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(times["rag.ask() in process"])
    print(f"\n{rounds} rounds x {len(QUESTIONS)} questions, extractive generator, seeds index, "
          f"{os.cpu_count()} CPUs; milliseconds\n")  # fmt: skip
    print(f"{'path':<44}{'median':>9}{'p95':>9}{'added (median)':>16}{'ratio':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        added = "" if name.startswith("rag.ask") else f"{median - base:+.1f}"
        ratio = "" if name.startswith("rag.ask") else f"{median / base:.2f}x"
        print(f"{name:<44}{median:>9.1f}{p95(values):>9.1f}{added:>16}{ratio:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds of the 4 questions (default 20)")
    args = parser.parse_args()
    asyncio.run(run(args.rounds))


if __name__ == "__main__":
    main()
