"""``rag serve``: its defaults, its errors, and the real command in a subprocess on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from serving import free_port, wait_for

from rag.cli import build_parser, main


def test_serve_binds_to_loopback_without_a_public_link_by_default():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.share, args.auth) == ("127.0.0.1", 7860, False, None)


def test_bad_auth_and_missing_index_are_clean_errors(tmp_path, capsys):
    assert main(["serve", "--auth", "alice", "--index-dir", str(tmp_path)]) == 1
    assert "--auth takes USER:PASS" in capsys.readouterr().err
    assert main(["serve", "--index-dir", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: No index at") and "rag index" in err and "Traceback" not in err


def test_a_port_in_use_is_a_one_line_error(seeds_index):
    # Another server (here a bare listening socket) holds the port: `rag serve` says so in one line and exits
    # 1 before loading anything, instead of gradio's traceback (and an abort from a thread left running).
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        command = [sys.executable, "-m", "rag", "serve", "--port", str(port), "--index-dir", str(seeds_index)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        f"error: Port {port} on 127.0.0.1 is already in use (another rag serve?): stop that server, or serve "
        f"on another port (rag serve --port {port + 1})."
    )


@pytest.mark.integration
def test_rag_serve_subprocess_answers_on_loopback_behind_auth(seeds_index, tmp_path):
    from gradio_client import Client

    shutil.copytree(seeds_index.parent, tmp_path / "copy")
    port = free_port()
    # `python -m rag` from the checkout: the code under test, whichever checkout the venv was installed from
    command = [sys.executable, "-m", "rag", "serve", "--index-dir", str(tmp_path / "copy" / "vectors"),
               "--port", str(port), "--auth", "alice:s3cret"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=Path(__file__).resolve().parents[1],
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, process, process.stdout.read)
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a bare ValueError/HTTP error here
            Client(url, verbose=False)
        client = Client(url, auth=("alice", "s3cret"), verbose=False)
        answer = client.predict(question="Who built the Bushehr nuclear power plant?", api_name="/ask")
        assert "Atomstroyexport" in answer["citations"][0]["quote"]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:  # nothing listens beyond loopback
            s.settimeout(1)
            addresses = {
                info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
            }
            outside = next((a for a in addresses if not a.startswith("127.")), None)
            if outside:
                assert s.connect_ex((outside, port)) != 0
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    output = process.stdout.read()
    # Start-up lines for a `rag serve` user: the address, and --share (not Gradio's "set share=True").
    assert f"Running on local URL:  http://127.0.0.1:{port}" in output
    assert "rag serve --share" in output and "share=True" not in output and "Warning" not in output
