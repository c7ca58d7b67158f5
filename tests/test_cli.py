"""The ``rag`` command as a user runs it: a real subprocess, one-line errors, non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from fake_openai import fake_openai_server


def _rag(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rag", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_ask_json_prints_the_answer_dict(seeds_index: Path):
    result = _rag(
        "ask", "Who built the Bushehr nuclear power plant?", "--json", "--index-dir", str(seeds_index)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["citations"][0]["verified"] and "Atomstroyexport" in data["citations"][0]["quote"]
    assert {"text", "citations", "passages", "abstained", "timings"} <= set(data)


def test_ask_prints_the_answer_and_its_sources(seeds_index: Path):
    result = _rag("ask", "What did Ryabkov say about the deal?", "--index-dir", str(seeds_index))
    assert result.returncode == 0, result.stderr
    assert "Sergey Ryabkov" in result.stdout and "Sources:" in result.stdout and "[1]" in result.stdout


def test_index_then_ask_a_new_folder(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.md").write_text(
        "# Caspian accord\n\nRussia and Iran signed a Caspian Sea fishing accord in "
        "March 2021 in Astrakhan.\n",
        encoding="utf-8",
    )
    (docs / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    result = _rag("index", str(docs), "--index-dir", str(tmp_path / "v"))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and "broken.txt" in result.stdout + result.stderr
    again = _rag("index", str(docs), "--index-dir", str(tmp_path / "v"))
    assert "Up to date" in again.stdout
    answer = _rag(
        "ask", "Where was the Caspian Sea fishing accord signed?", "--index-dir", str(tmp_path / "v")
    )
    assert answer.returncode == 0 and "Astrakhan" in answer.stdout


def test_errors_are_one_line_and_exit_non_zero(tmp_path: Path):
    missing = _rag("ask", "Who built Bushehr?", "--index-dir", str(tmp_path / "no-index"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and "rag index" in missing.stderr
    assert "Traceback" not in missing.stderr
    empty = _rag("ask", "   ", "--index-dir", str(tmp_path / "no-index"))
    assert empty.returncode == 1 and "empty" in empty.stderr
    no_source = _rag("index", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "v"))
    assert no_source.returncode == 1 and "nowhere" in no_source.stderr and "Traceback" not in no_source.stderr


def test_an_llm_answer_prints_only_checked_text_unless_drafts_are_asked_for(seeds_index: Path):
    question = ("ask", "Who built the Bushehr nuclear power plant?", "--generator", "openai", "--no-fallback")
    with fake_openai_server() as url:
        env = {"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "", "RAG_LLM_MODEL": "m", "RAG_LLM_MAX_RETRIES": "0"}
        checked = _rag(*question, "--index-dir", str(seeds_index), env=env)
        drafted = _rag(*question, "--index-dir", str(seeds_index), env={**env, "RAG_STREAM_DRAFTS": "1"})
    assert checked.returncode == 0 and drafted.returncode == 0, checked.stderr + drafted.stderr
    # the model's draft ("Russia built it: ...") is printed once, as the checked answer, with its sources
    assert checked.stdout.count("Russia built it") == 1 and "Checked answer" not in checked.stdout
    assert "Atomstroyexport" in checked.stdout and "Sources:" in checked.stdout
    # asked for, the draft streams first and the checked answer follows under its own heading
    assert drafted.stdout.count("Russia built it") == 2 and "Checked answer" in drafted.stdout
