"""Ranking whole documents (``rag.retrieve.documents``): dense best chunk + BM25 over the whole document,
with the real embedder, over small corpora; and generations written before ``bm25_documents/`` still load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rag.errors import IndexDamagedError
from rag.index import health, lexical, store
from rag.index.build import build_index
from rag.retrieve import documents
from rag.retrieve.retrieval import Retriever
from rag.settings import Settings

FILLER = (
    "The committee met on a Tuesday and reviewed the budget line by line. Members asked about the cost of "
    "printing, the rent of the hall and the fees of the auditors. The chair promised a written reply. "
)


def _corpus(folder: Path) -> Path:
    """Three documents; in "spread" the two rare words of the query sit in chunks far apart."""
    docs = [
        {
            "_id": "spread",
            "title": "Minutes of the annual meeting",
            "text": "Zymurgy was the first topic of the evening. "
            + FILLER * 12
            + "The last item was the quokka enclosure.",
        },
        {
            "_id": "one-word",
            "title": "Brewing notes",
            "text": "Zymurgy is the science of fermentation. " + FILLER,
        },
        {"_id": "other", "title": "Gardening", "text": "Tomatoes need sun, water and patience. " + FILLER},
    ]
    folder.mkdir(parents=True)
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder) -> Path:
    base = tmp_path_factory.mktemp("docrank")
    corpus = _corpus(base / "data")
    build_index([corpus], index_dir=base / "vectors", settings=Settings(chunk_tokens=60, chunk_overlap=0))
    return base / "vectors"


def _retriever(index_dir: Path, embedder) -> Retriever:
    return Retriever(store.load_index(index_dir), embedder, Settings(chunk_tokens=60, chunk_overlap=0))


def test_whole_document_bm25_sees_words_of_different_chunks(built: Path, embedder):
    retriever = _retriever(built, embedder)
    index = retriever.index
    assert index.bm25_documents is not None and index.document_ids == ["spread", "one-word", "other"]
    chunk_docs = [index.chunks[r].doc_id for r in range(len(index.chunks))]
    assert chunk_docs.count("spread") >= 3  # the two words are chunks apart: no chunk holds both
    spread_chunks = [index.chunks[r].text for r in range(len(index.chunks)) if chunk_docs[r] == "spread"]
    assert not any("Zymurgy" in t and "quokka" in t for t in spread_chunks)

    query = "zymurgy quokka"
    # Scored as one text, the document holds both rare words: BM25 ranks it above the one on zymurgy alone.
    whole = dict(
        zip(index.document_ids, lexical.bm25_scores(index.bm25_documents, query).tolist(), strict=True)
    )
    assert whole["spread"] > whole["one-word"] > whole["other"] == 0
    ranked = documents.rank_documents(retriever, query, 3)
    assert [d for d, _ in ranked] == ["spread", "one-word", "other"]
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len({d for d, _ in ranked}) == len(ranked) == 3


def test_a_generation_written_before_document_bm25_loads_and_ranks_by_best_chunk(
    built: Path, tmp_path: Path, embedder
):
    old = tmp_path / "old"
    shutil.copytree(built, old)
    live = store.current_generation(old)
    shutil.rmtree(live / health.BM25_DOCUMENTS)
    assert health.inspect(old).healthy
    retriever = _retriever(old, embedder)
    assert retriever.index.bm25_documents is None
    query = "Which document is about gardening and tomatoes?"
    assert documents.rank_documents(retriever, query, 2) == documents.rank_by_best_chunk(retriever, query, 2)
    assert documents.rank_documents(retriever, query, 2)[0][0] == "other"


def test_a_damaged_document_bm25_is_named(built: Path, tmp_path: Path):
    copy = tmp_path / "damaged"
    shutil.copytree(built, copy)
    array = store.current_generation(copy) / health.BM25_DOCUMENTS / "data.csc.index.npy"
    array.write_bytes(array.read_bytes()[:40])
    with pytest.raises(IndexDamagedError, match="bm25_documents/data.csc.index.npy"):
        store.load_index(copy)
