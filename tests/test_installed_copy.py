"""An installed copy (``pip install .``, not editable): no ``seeds/`` beside the package, so nothing is written
into site-packages; the index and caches live in the user's folders and start empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from serving import free_port, wait_for

from rag.settings import bundled_defaults

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = (
    "The harbour lighthouse was dark for two winters. In March the town council hired Mara Quill, a "
    "glazier from the coast, who repaired the lighthouse lamp and its lens in nine days."
)


def test_a_checkout_answers_from_its_seeds_and_an_installed_copy_from_the_users_folder(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "seeds").mkdir(parents=True)
    assert bundled_defaults(checkout) == (checkout / "vectors", (checkout / "seeds",))

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    installed = tmp_path / "site-packages"
    installed.mkdir()
    assert bundled_defaults(installed) == (tmp_path / "data" / "rag-quotes" / "vectors", ())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed (not editable) into a folder of its own."""
    folder = tmp_path_factory.mktemp("install") / "site"
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
            str(folder),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert not (folder / "seeds").exists()
    return folder


def _environment(site: Path, home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(site),  # ahead of the editable checkout on sys.path
        "PYTHONUNBUFFERED": "1",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "RAG_EMBEDDER_BACKEND": "torch",  # no ONNX export: these tests are about where things go
    }
    env.pop("RAG_CACHE_DIR", None)
    env.pop("RAG_INDEX_DIR", None)
    return env


def _nothing_written_into(site: Path) -> None:
    assert {p.name for p in site.iterdir()} == {
        "rag",
        "ui",
        "bin",
        *(p.name for p in site.glob("*.dist-info")),
    }


@pytest.mark.integration
def test_an_installed_copy_asks_for_documents_then_indexes_and_answers_them(site: Path, tmp_path: Path):
    env = _environment(site, tmp_path)

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
    (docs / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    built = rag("index", str(docs))
    assert built.returncode == 0, built.stderr
    answered = rag("ask", "Who repaired the lighthouse lamp?")
    assert answered.returncode == 0, answered.stderr
    assert "Mara Quill" in answered.stdout and "[verified]" in answered.stdout

    assert (tmp_path / "data" / "rag-quotes" / "vectors" / "CURRENT").is_file()
    _nothing_written_into(site)


@pytest.mark.integration
def test_an_installed_copy_serves_an_empty_chat_that_answers_once_documents_are_added(
    site: Path, tmp_path: Path
):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    import rag

    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "rag", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            env=_environment(site, tmp_path),
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/v1/models", process, log_path.read_text)
        assert "No documents are indexed at" in log_path.read_text()
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        assert client.predict(api_name="/documents") == []
        with pytest.raises(AppError, match="No documents are indexed yet: add some in the Documents tab"):
            client.predict("Who repaired the lighthouse lamp?", api_name="/ask")

        # What the Documents tab's upload does: the uploads folder of the index the chat serves.
        index_dir = tmp_path / "data" / "rag-quotes" / "vectors"
        upload = tmp_path / "lighthouse.txt"
        upload.write_text(LIGHTHOUSE, encoding="utf-8")
        rag.add_documents([upload], index_dir=index_dir)

        listed = client.predict(api_name="/documents")
        assert [Path(d["source_path"]).name for d in listed] == ["lighthouse.txt"]
        after = client.predict("Who repaired the lighthouse lamp?", api_name="/ask")
        assert "Mara Quill" in after["text"]
        assert all(c["verified"] for c in after["citations"]) and after["citations"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in log_path.read_text()
    _nothing_written_into(site)
