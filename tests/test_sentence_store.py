"""Stored sentence vectors (``Settings.sentence_vectors``): the vectors answering would compute, read instead of
computed, the same answers, and an update that embeds only the new sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEEDS

from rag import ask
from rag.answer.pipeline import get_pipeline
from rag.index import sentence_store, store
from rag.index.build import build_index
from rag.index.embedding import Embedder
from rag.index.store import load_index
from rag.settings import Settings

STORED = Settings(sentence_vectors=True)


@pytest.fixture(scope="module")
def stored_index(tmp_path_factory, embedder) -> Path:
    base = tmp_path_factory.mktemp("sentence_store")
    shutil.copytree(SEEDS, base / "seeds")
    build_index([base / "seeds"], index_dir=base / "vectors", settings=STORED)
    return base / "vectors"


def _questions(n: int) -> list[str]:
    lines = (ROOT / "tests" / "data" / "seeds_qa.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r["question"] for r in records if r.get("split") == "calibration" and not r.get("history")][:n]


def test_the_stored_vectors_are_those_of_each_sentence_embedded_alone(stored_index: Path, embedder: Embedder):
    loaded = store.load_index(stored_index)
    kept = sentence_store.load(loaded.path)
    assert kept is not None
    sentences = sentence_store.chunk_sentences(c.text for c in loaded.chunks)
    assert len(kept) == len(sentences) > 100
    sample = sentences[::25]
    found = kept.lookup(sample + ["A sentence that no seed document contains, not one word of it."])
    assert list(found) == sample  # what it holds, and nothing for a text it never saw
    alone = np.stack([embedder.embed_documents([t])[0] for t in sample])
    np.testing.assert_allclose(np.stack([found[t] for t in sample]), alone, atol=1e-5)


def test_answers_read_the_stored_vectors_and_do_not_change(
    stored_index: Path, seeds_index: Path, monkeypatch
):
    questions = _questions(12)
    embedded: list[str] = []
    original = Embedder.embed_documents

    def counting(self, texts, *args, **kwargs):
        embedded.extend(texts)
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(Embedder, "embed_documents", counting)
    runs = {}
    for name, index_dir in (("stored", stored_index), ("embedded", seeds_index)):
        get_pipeline(index_dir, Settings()).generator()._sentence_vectors.clear()
        embedded.clear()
        runs[name] = ([ask(q, index_dir=index_dir) for q in questions], list(embedded))
    (with_store, asked), (without, computed) = runs["stored"], runs["embedded"]
    assert [a.text for a in with_store] == [a.text for a in without]
    assert sum(len(a.citations) for a in with_store) > 0
    # nothing of the passages is embedded when answering, their sentences and clauses are read: only the
    # questions themselves, the author box's labelled lines scored with the author's name ("Name — Label:
    # ..."), and a short paragraph under a heading that asks a question, read whole and under that question
    # ("How Does X Factor In? After ..."), which the store (sentences and clauses) does not hold
    loaded = load_index(stored_index)
    authors = {d.author for d in loaded.documents.values() if d.author}
    chunks = "\n".join(c.text for c in loaded.chunks)
    extra = set(asked) - set(questions)
    odd = [
        t
        for t in extra
        if not (
            any(t.startswith(f"{a} — ") for a in authors) or "? " in t[:200] or (t in chunks and ". " in t)
        )
    ]
    assert not odd, [t[:120] for t in odd]
    assert len(computed) > len(asked)
    kept = sentence_store.load(store.current_generation(stored_index))
    assert kept is not None and not kept.lookup(asked)


def test_an_update_embeds_only_the_new_sentences(tmp_path: Path, embedder: Embedder, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    first = sorted((tmp_path / "seeds").iterdir())[0]
    shutil.move(first, tmp_path / first.name)  # held back, added by the update
    build_index([tmp_path / "seeds"], index_dir=tmp_path / "vectors", settings=STORED)
    held = set(sentence_store.chunk_sentences(c.text for c in store.load_index(tmp_path / "vectors").chunks))
    asked: list[str] = []
    original = Embedder.embed_documents

    def counting(self, texts, *args, **kwargs):
        asked.extend(texts)
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(Embedder, "embed_documents", counting)
    shutil.move(tmp_path / first.name, tmp_path / "seeds" / first.name)
    build_index(None, index_dir=tmp_path / "vectors", settings=STORED)
    now = set(sentence_store.chunk_sentences(c.text for c in store.load_index(tmp_path / "vectors").chunks))
    after = sentence_store.load(store.current_generation(tmp_path / "vectors"))
    assert after is not None and len(after) == len(now) > len(held)
    assert now - held <= set(asked)  # the new document's sentences were embedded
    assert not held & set(asked)  # and none the previous generation held


def test_an_index_built_without_the_setting_gets_its_store_when_it_is_turned_on(tmp_path: Path, embedder):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    build_index([tmp_path / "seeds"], index_dir=tmp_path / "vectors")
    live = store.current_generation(tmp_path / "vectors")
    assert sentence_store.load(live) is None
    retriever = get_pipeline(tmp_path / "vectors", Settings()).retriever  # a server already answering from it
    assert retriever.sentence_vectors is None
    report = build_index(None, index_dir=tmp_path / "vectors", settings=STORED)
    assert not report.changed and store.current_generation(tmp_path / "vectors") == live
    assert sentence_store.load(live) is not None
    assert retriever.sentence_vectors is not None  # it reads them from its next answer on


def test_a_damaged_store_is_ignored(tmp_path: Path):
    folder = tmp_path / "gen"
    folder.mkdir()
    np.save(folder / sentence_store.VECTORS, np.zeros((3, 4), np.float32))
    np.save(folder / sentence_store.KEYS, np.zeros(2, np.uint64))  # keys of a different length
    assert sentence_store.load(folder) is None
    (folder / sentence_store.KEYS).write_bytes(b"not an array")
    assert sentence_store.load(folder) is None
