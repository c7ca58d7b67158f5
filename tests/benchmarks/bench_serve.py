"""Time from ``rag serve`` (a subprocess) to the first question answered in a real browser.

    .venv/bin/python tests/benchmarks/bench_serve.py            # an index built beforehand, then rag serve
    .venv/bin/python tests/benchmarks/bench_serve.py --cold     # also time `rag index` of the seeds first

Works on a temporary copy of the seeds (the repository's vectors/ is never touched). Prints, in seconds from
the start of ``rag serve``: when the server answers HTTP, when the page is ready in Chromium, and when the
first answer (checked quotes and citations) is shown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
QUESTION = "Who built the Bushehr nuclear power plant?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="time `rag index` of the seeds as well")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench_serve_"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    index = work / "vectors"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    subprocess.run([str(BIN / "rag"), "index", str(work / "seeds"), "--index-dir", str(index), "--quiet"],
                   check=True, env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    indexed = time.perf_counter() - started

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [str(BIN / "rag"), "serve", "--index-dir", str(index), "--port", str(port)]
    t0 = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"rag serve exited with {server.returncode}") from None
                time.sleep(0.1)
        http = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("#question textarea")
            ready = time.perf_counter() - t0
            page.fill("#question textarea", QUESTION)
            page.click("#ask")
            page.wait_for_selector("#chat .answer-foot, #chat .error", timeout=120_000)
            answered = time.perf_counter() - t0
            text = page.locator("#chat [data-testid=bot]").last.inner_text()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)

    print(f"command: {' '.join(command[:2])} --index-dir DIR --port {port}")
    if args.cold:
        print(f"rag index of the seeds:           {indexed:6.2f} s (before rag serve)")
    print(f"server answers HTTP:              {http:6.2f} s after rag serve started")
    print(f"page ready in Chromium:           {ready:6.2f} s")
    print(f"first answer shown:               {answered:6.2f} s   ({QUESTION!r})")
    if args.cold:
        print(f"from nothing to the first answer: {indexed + answered:6.2f} s")
    print("answer:", " ".join(text.split())[:160])


if __name__ == "__main__":
    main()
