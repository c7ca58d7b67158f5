"""An installed copy (``pip install .``, not editable): no ``seeds/`` beside the package, so nothing is written
into site-packages; the index and caches live in the user's folders and start empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.settings import bundled_defaults

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_answers_from_its_seeds_and_an_installed_copy_from_the_users_folder(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "seeds").mkdir(parents=True)
    assert bundled_defaults(checkout) == (checkout / "vectors", (checkout / "seeds",))

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    installed = tmp_path / "site-packages"
    installed.mkdir()
    assert bundled_defaults(installed) == (tmp_path / "data" / "rag-quotes" / "vectors", ())


@pytest.mark.integration
def test_an_installed_copy_asks_for_documents_then_indexes_and_answers_them(tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert not (site / "seeds").exists()
    env = {
        **os.environ,
        "PYTHONPATH": str(site),  # ahead of the editable checkout on sys.path
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "RAG_EMBEDDER_BACKEND": "torch",  # no ONNX export: this test is about where things go
    }
    env.pop("RAG_CACHE_DIR", None)
    env.pop("RAG_INDEX_DIR", None)

    def rag(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rag", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )

    empty = rag("ask", "Who repaired the lighthouse?")
    assert empty.returncode == 1
    assert empty.stderr.strip().splitlines() == [
        f"error: Nothing to index at {tmp_path / 'data' / 'rag-quotes' / 'vectors'} yet: give your documents with: "
        "rag index SOURCES"
    ]
    assert "Traceback" not in empty.stderr

    docs = tmp_path / "docs"
    docs.mkdir()
    text = (
        "The harbour lighthouse was dark for two winters. In March the town council hired Mara Quill, a "
        "glazier from the coast, who repaired the lighthouse lamp and its lens in nine days."
    )
    (docs / "lighthouse.txt").write_text(text, encoding="utf-8")
    built = rag("index", str(docs))
    assert built.returncode == 0, built.stderr
    answered = rag("ask", "Who repaired the lighthouse lamp?")
    assert answered.returncode == 0, answered.stderr
    assert "Mara Quill" in answered.stdout and "[verified]" in answered.stdout

    assert (tmp_path / "data" / "rag-quotes" / "vectors" / "CURRENT").is_file()
    written = {p.name for p in site.iterdir()}
    assert written == {
        "rag",
        "ui",
        "bin",
        *(p.name for p in site.glob("*.dist-info")),
    }  # nothing written there
