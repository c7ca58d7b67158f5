"""The opt-in late re-ranking of documents (``RAG_DOCUMENT_RERANK=late``, ``rag/retrieve/document_rerank.py``):
token-level MaxSim and the best stored sentence, with the real embedder over a small corpus built here."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from rag.cli import main
from rag.errors import SettingError
from rag.index import sentence_store, store
from rag.index.build import build_index
from rag.retrieve import document_rerank, documents
from rag.retrieve.late_interaction import get_late_interaction
from rag.retrieve.retrieval import Retriever
from rag.settings import Settings

QUERY = "Vitamin D supplementation reduces the risk of hip fractures in elderly women."
# "focused" answers the query in one sentence among hospital news; "diffuse" is about bones and old age
# throughout, sharing the query's words without saying what it claims. The default ranking puts "diffuse" first.
DOCS = [
    (
        "focused",
        "Annual report of the regional hospital",
        "The hospital opened a new car park in spring and hired forty nurses. The board approved the budget "
        "for the coming year after a long debate about heating costs. In a trial of two thousand elderly "
        "women, vitamin D supplementation cut the risk of hip fractures by a third. The cafeteria now serves "
        "breakfast from six in the morning. Volunteers painted the children's ward in bright colours.",
    ),
    (
        "diffuse",
        "Bone health in later life",
        "Women lose bone as they age, and broken hips are common among older people. Calcium is part of the "
        "diet of the skeleton. Exercise, sunlight and a good diet help older women keep their bones strong. "
        "Fractures in elderly people often follow falls at home. Doctors talk with patients about supplements "
        "and falling.",
    ),
    ("garden", "Gardening", "Tomatoes need sun, water and patience. Prune them in July and feed them often."),
    ("trains", "Railway timetable", "The morning train leaves at seven. Weekend services run every hour."),
    ("chess", "Chess openings", "The Sicilian defence answers the king's pawn. It leads to sharp games."),
    ("bread", "Baking bread", "Flour, water, salt and yeast make a loaf. Let the dough rise twice."),
    ("tax", "Tax deadlines", "Returns are due at the end of January. Late filers pay a fine every month."),
    ("bees", "Beekeeping", "A hive needs a dry place and shelter from the wind. Bees collect nectar."),
    ("jazz", "A history of jazz", "Jazz grew in New Orleans from blues and ragtime. Bands played in clubs."),
    ("roads", "Road repairs", "The council will resurface the high street in May. Buses take a detour."),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder) -> Path:
    base = tmp_path_factory.mktemp("rerank")
    corpus = base / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in DOCS), encoding="utf-8"
    )
    build_index(
        [corpus], index_dir=base / "vectors", settings=Settings(sentence_vectors=True), progress=False
    )
    return base / "vectors"


def _retriever(index_dir: Path, embedder, rerank: str = "none") -> Retriever:
    return Retriever(store.load_index(index_dir), embedder, Settings(document_rerank=rerank))


def _order(ranking: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in ranking]


def test_late_rerank_lifts_the_document_whose_one_sentence_answers(built: Path, embedder):
    default = documents.rank_documents(_retriever(built, embedder), QUERY, 10)
    late = documents.rank_documents(_retriever(built, embedder, "late"), QUERY, 10)
    assert _order(default)[:2] == ["diffuse", "focused"]
    assert _order(late)[:2] == ["focused", "diffuse"]
    assert sorted(_order(late)) == sorted(_order(default)) and len(late) == 10
    assert [s for _, s in late] == sorted((s for _, s in late), reverse=True)
    # Both evidences say so: the focused document's best sentence and its token-level MaxSim are higher.
    retriever = _retriever(built, embedder, "late")
    index = retriever.index
    best = document_rerank._sentence_evidence(retriever).best(embedder.embed_query(QUERY))
    column = {d: i for i, d in enumerate(index.document_ids)}
    assert best[column["focused"]] > best[column["diffuse"]] + 0.2
    maxsim = get_late_interaction(retriever.settings).maxsim(
        QUERY, [index.documents["focused"], index.documents["diffuse"]]
    )
    assert maxsim[0] > maxsim[1]


def test_without_stored_sentence_vectors_maxsim_alone_reranks_and_says_how_to_add_them(
    built: Path, tmp_path: Path, embedder, caplog
):
    bare = tmp_path / "bare"
    shutil.copytree(built, bare)
    live = store.current_generation(bare)
    for name in (sentence_store.KEYS, sentence_store.VECTORS):
        (live / name).unlink()
    with caplog.at_level(logging.WARNING, logger="rag.retrieve.document_rerank"):
        late = documents.rank_documents(_retriever(bare, embedder, "late"), QUERY, 10)
    assert _order(late)[:2] == ["focused", "diffuse"]
    assert "RAG_SENTENCE_VECTORS=1" in caplog.text


def test_only_the_top_is_reordered_and_the_rest_keeps_its_order_below_it(built: Path, embedder, monkeypatch):
    default = documents.rank_documents(_retriever(built, embedder), QUERY, 10)
    monkeypatch.setattr(document_rerank, "RERANKED", 3)
    monkeypatch.setattr(documents, "RERANKED", 3)
    late = documents.rank_documents(_retriever(built, embedder, "late"), QUERY, 10)
    assert set(_order(late)[:3]) == set(_order(default)[:3]) and _order(late)[:2] == ["focused", "diffuse"]
    assert _order(late)[3:] == _order(default)[3:]
    assert min(s for _, s in late[:3]) > max(s for _, s in late[3:])
    assert _order(documents.rank_documents(_retriever(built, embedder, "late"), QUERY, 1)) == ["focused"]


def test_off_by_default_and_off_leaves_the_ranking_as_it_was(built: Path, embedder):
    assert Settings().document_rerank == "none"
    assert Settings.from_env({"RAG_DOCUMENT_RERANK": "late"}).document_rerank == "late"
    retriever = _retriever(built, embedder)
    assert documents.rank_documents(retriever, QUERY, 10) == documents._rank_documents(retriever, QUERY, 10)


def test_an_unknown_rerank_is_refused_in_one_line(built: Path, embedder, tmp_path: Path, capsys, monkeypatch):
    with pytest.raises(SettingError, match=r"Unknown document re-ranking 'colbert'\. Known: none, late"):
        documents.rank_documents(_retriever(built, embedder, "colbert"), QUERY, 10)
    # The CLI says so before building any index, in one line and without a traceback.
    assert main(["eval", "--beir", str(tmp_path), "--rerank", "colbert", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Unknown document re-ranking 'colbert'" in err and "RAG_DOCUMENT_RERANK" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("RAG_DOCUMENT_RERANK", "LATE!")
    assert main(["eval", "--beir", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "Unknown document re-ranking 'LATE!'" in capsys.readouterr().err
