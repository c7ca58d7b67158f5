"""Shared fixtures: the real embedder, loaded once per session, and a seeds index built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SCIFACT = SHARED / "data" / "scifact"
SEED_IDS = ("000_ef786f168e0479b6", "002_aa0b2b830c5057bb", "004_95f31d63a59dd7b7")


@pytest.fixture(scope="session")
def embedder():
    from rag.index.embedding import get_embedder
    from rag.settings import Settings

    s = Settings()
    return get_embedder(s.embedder, backend=s.embedder_backend, device=s.device)


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory, embedder) -> Path:
    """A fresh index of a copy of the seeds (tests never write into the repository's vectors/)."""
    from rag.index.build import build_index

    base = tmp_path_factory.mktemp("seeds_index")
    shutil.copytree(SEEDS, base / "seeds")
    build_index([base / "seeds"], index_dir=base / "vectors")
    return base / "vectors"


def index_of(tmp_path_factory: pytest.TempPathFactory, name: str, files: dict[str, str]) -> Path:
    """A real index of small documents written by a test: ``files`` maps a file name to its text."""
    from rag.index.build import build_index

    base = tmp_path_factory.mktemp(name)
    src = base / "docs"
    src.mkdir()
    for file_name, text in files.items():
        (src / file_name).write_text(text, encoding="utf-8")
    build_index([src], index_dir=base / "vectors")
    return base / "vectors"


def assert_verbatim(answer, index_dir: Path, *, every: bool = True) -> None:
    """The product's promise, checked: each verified quote is its document's exact text at its recorded span;
    ``every``: and each quote is verified (an extractive answer's always are; an LLM's may be flagged)."""
    from rag.index.store import load_index

    documents = load_index(index_dir).documents
    for c in answer.citations:
        assert c.verified or not every, c
        if c.verified:
            assert documents[c.doc_id].text[c.start : c.end] == c.quote


def ask_checked(question: str, index_dir: Path):
    """``ask()`` with the default settings, its quotes checked verbatim at their spans."""
    from rag import ask
    from rag.settings import Settings

    answer = ask(question, index_dir=index_dir, settings=Settings())
    assert_verbatim(answer, index_dir)
    return answer
