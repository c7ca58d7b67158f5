"""The faster paths give the answers the exact paths give: the ONNX int8 embedder, approximate FAISS indexes.

Correctness only; speed is measured by the scripts in tests/benchmarks/ (bench_embedding.py, bench_scale.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import faiss
import numpy as np
import pytest
from conftest import ROOT, SEEDS

from rag.answer.pipeline import Pipeline
from rag.errors import IndexMismatchError, ModelUnavailableError
from rag.index import ann, dense, store
from rag.index.build import build_index, index_text
from rag.index.embedding import Embedder
from rag.retrieve.retrieval import Retriever
from rag.settings import Settings
from rag.types import Chunk, Document

ONNX = Settings(embedder_backend="onnx-int8")
TORCH = Settings(embedder_backend="torch")


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    """A private export cache, so the export itself is exercised (once per module, a few seconds)."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("RAG_CACHE_DIR")
    os.environ["RAG_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("RAG_CACHE_DIR", None)
    else:
        os.environ["RAG_CACHE_DIR"] = previous


@pytest.fixture(scope="module")
def onnx_embedder(onnx_cache: Path) -> Embedder:
    embedder = Embedder(ONNX.embedder, backend="onnx-int8")
    assert embedder.dimension == 384
    return embedder


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(TORCH.embedder, backend="torch")


@pytest.fixture(scope="module")
def two_indexes(tmp_path_factory, onnx_embedder: Embedder) -> dict[str, Path]:
    """The seeds indexed once per backend."""
    base = tmp_path_factory.mktemp("two")
    shutil.copytree(SEEDS, base / "seeds")
    out = {}
    for name, settings in (("torch", TORCH), ("onnx-int8", ONNX)):
        build_index([base / "seeds"], index_dir=base / name, settings=settings)
        out[name] = base / name
    return out


def _questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "seeds_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_the_export_is_cached_once_per_model_and_cpu(onnx_cache: Path, onnx_embedder: Embedder):
    from rag.index.onnx_backend import cpu_key, export_dir

    folders = [p for p in (onnx_cache / "onnx").iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1 and folders[0].name.endswith(cpu_key())
    assert folders[0] == export_dir(onnx_embedder.name, onnx_embedder.model.config["model_path"])
    config = json.loads((folders[0] / "export.json").read_text())
    assert config["probe_min_cosine"] >= 0.98 and config["quantization"]["weights"] == "int8"
    assert not list((onnx_cache / "onnx").glob(".*.tmp"))  # written atomically, nothing left behind
    stamp = (folders[0] / "model.onnx").stat().st_mtime_ns
    again = Embedder(onnx_embedder.name, backend="onnx-int8")  # a fresh embedder loads, never re-exports
    assert again.dimension == 384 and (folders[0] / "model.onnx").stat().st_mtime_ns == stamp


def test_onnx_vectors_match_torch_vectors(
    onnx_embedder: Embedder, torch_embedder: Embedder, seeds_index: Path
):
    loaded = store.load_index(seeds_index)
    texts = [index_text(loaded.documents[c.doc_id], c) for c in loaded.chunks] + _questions()
    cosines = np.sum(onnx_embedder.embed_documents(texts) * torch_embedder.embed_documents(texts), axis=1)
    assert cosines.min() >= 0.99, f"lowest cosine {cosines.min():.4f}"
    assert onnx_embedder.count_tokens(texts[:5]) == torch_embedder.count_tokens(texts[:5])


def test_an_onnx_vector_does_not_depend_on_its_batch(onnx_embedder: Embedder, seeds_index: Path):
    loaded = store.load_index(seeds_index)
    sentences = [s for c in loaded.chunks[:6] for s in c.text.split(". ") if s.strip()]
    texts = ["Who built the Bushehr nuclear power plant?", "A much longer text " * 30, "Iran", "S-300 sale"]
    texts += sentences + [c.text for c in loaded.chunks[:3]]
    encoder = onnx_embedder.model
    calls = [rows for rows, _ in encoder._runs(texts, onnx_embedder.batch_size)]
    mixed = [rows for rows in calls if len({len(texts[i]) for i in rows}) > 1]
    assert mixed, "no call batched texts of different lengths: the check below would prove nothing"
    together = onnx_embedder.embed_documents(texts)
    alone = np.stack([onnx_embedder.embed_query(t) for t in texts])
    assert np.sum(together * alone, axis=1).min() >= 0.99999
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_a_question_s_sentences_are_embedded_in_even_calls_that_keep_their_vectors(
    onnx_embedder: Embedder, seeds_index: Path
):
    from rag.index.onnx_backend import TOKEN_BUDGET, OnnxEncoder
    from rag.index.sentences import split_sentences

    chunks = store.load_index(seeds_index).chunks
    text = " ".join(c.text for c in chunks)
    found = [text[a:b] for a, b in split_sentences(text)]
    encoder = OnnxEncoder(onnx_embedder.model.folder, threads=2)
    for start in range(0, len(found) - 12, 6):  # a dozen sentences, what the generator embeds per question
        sentences = found[start : start + 12]
        calls = [(rows, feeds["input_ids"].size) for rows, feeds in encoder._runs(sentences, 32)]
        assert sorted(i for rows, _ in calls for i in rows) == list(range(len(sentences)))
        assert len(calls) % 2 == 0, f"{len(calls)} calls on 2 cores: the last runs while the other core waits"
        assert max(padded for _, padded in calls) <= TOKEN_BUDGET
    together = encoder.encode(sentences)
    alone = np.stack([encoder.encode([s])[0] for s in sentences])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_calls_are_even_contiguous_and_within_the_budget():
    from rag.index.onnx_calls import split

    lengths = [61, 52, 47, 44, 38, 36, 33, 30, 27, 22, 14, 10]  # a SciFact question's sentences, 414 tokens
    calls = split(lengths, 256, 2)
    assert [i for a, b in calls for i in range(a, b)] == list(range(len(lengths)))
    padded = [(b - a) * lengths[a] for a, b in calls]
    # before: 183 + 176 + 150 padded tokens in three calls, the third alone on one core
    assert len(calls) % 2 == 0 and max(padded) <= 256
    assert split([300, 100, 100, 20], 256, 2)[0] == (0, 1), "a text over the budget is a call alone"
    assert split([250] * 32, 256, 2) == [(i, i + 1) for i in range(32)], "chunk-long texts stay one a call"
    assert split(lengths, 0, 2) == [(i, i + 1) for i in range(len(lengths))]
    assert split([], 256, 2) == []


def test_texts_counted_before_they_are_embedded_are_not_tokenised_again(
    onnx_embedder: Embedder, seeds_index: Path
):
    texts = [c.text for c in store.load_index(seeds_index).chunks[:8]] + ["Iran", "A much longer text " * 30]
    counted = onnx_embedder.model.tokenizer._counted
    fresh = onnx_embedder.embed_documents(texts)
    onnx_embedder.count_tokens(texts[::2])  # as the build's window test does for every chunk it keeps
    assert set(texts[::2]) <= set(counted)
    reused = onnx_embedder.embed_documents(texts)
    assert not set(texts) & set(counted), "each kept tokenisation is used once, then dropped"
    np.testing.assert_array_equal(reused, fresh)


def test_background_embedding_returns_every_vector_in_order(onnx_embedder: Embedder):
    from rag.index.background import BackgroundEmbedding

    texts = [f"Sentence number {i} about {'fusion ' * (i % 7)}reactors." for i in range(23)]
    with BackgroundEmbedding(onnx_embedder.embed_documents, 384, block=4) as background:
        for start, end in ((0, 3), (3, 4), (4, 11), (11, 12), (12, 20), (20, 23)):  # uneven hand-overs
            background.add(texts[start:end])
        streamed = background.vectors()
    np.testing.assert_allclose(streamed, onnx_embedder.embed_documents(texts), atol=1e-5)

    def failing(block: list[str]) -> np.ndarray:
        raise RuntimeError("embedder crashed")

    with BackgroundEmbedding(failing, 384, block=2) as background:
        background.add(texts[:5])
        with pytest.raises(RuntimeError, match="embedder crashed"):
            background.vectors()


def test_the_onnx_export_scales_activations_per_token(onnx_embedder: Embedder):
    import onnx

    graph = onnx.load(str(onnx_embedder.model.folder / "model.onnx")).graph
    ops = [node.op_type for node in graph.node]
    # DynamicQuantizeLinear scales a whole call's activations at once: none may be left
    assert "DynamicQuantizeLinear" not in ops and "MatMulInteger" not in ops
    assert (
        ops.count("MatMulIntegerToFloat") == onnx_embedder.model.config["quantization"]["per_token_matmuls"]
    )
    assert ops.count("MatMulIntegerToFloat") >= 36  # every weight MatMul of MiniLM's 6 layers


def test_onnx_and_torch_retrieve_the_same_passages(two_indexes: dict[str, Path]):
    results = {}
    for name, settings in (("torch", TORCH), ("onnx-int8", ONNX)):
        retriever = Pipeline(two_indexes[name], settings).retriever
        results[name] = [[h.row for h in retriever.search(q, 5)] for q in _questions()]
    pairs = list(zip(results["torch"], results["onnx-int8"], strict=True))
    same_top1 = np.mean([a[0] == b[0] for a, b in pairs])
    same_top3 = np.mean([set(a[:3]) == set(b[:3]) for a, b in pairs])
    # Where the top 3 differ, it is a near tie at rank 3 swapping with rank 4 (measured: fused scores within
    # 0.04): the passages shown are the same ones, give or take the last.
    within_top5 = np.mean([set(b[:3]) <= set(a) and set(a[:3]) <= set(b) for a, b in pairs])
    assert same_top1 >= 0.95, f"top-1 agrees on {same_top1:.0%} of questions"
    assert same_top3 >= 0.85, f"top-3 agree on {same_top3:.0%} of questions"
    assert within_top5 >= 0.95, f"top-3 within the other's top-5 on {within_top5:.0%} of questions"


def test_an_index_of_one_backend_is_refused_by_the_other(two_indexes: dict[str, Path]):
    assert store.read_manifest(two_indexes["onnx-int8"])["embedder"]["backend"] == "onnx-int8"
    with pytest.raises(IndexMismatchError, match=r"backend onnx-int8.*rag index"):
        Pipeline(two_indexes["onnx-int8"], TORCH).retriever  # noqa: B018
    with pytest.raises(IndexMismatchError, match=r"backend torch.*rag index"):
        Pipeline(two_indexes["torch"], ONNX).retriever  # noqa: B018


def _record_export(index_dir: Path, version: int | None) -> None:
    """Rewrite the live manifest's recorded ONNX export (None: as manifests before it was recorded)."""
    path = store.current_generation(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["embedder"].pop("export_version", None)
    if version is not None:
        manifest["embedder"]["export_version"] = version
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_an_index_of_another_onnx_export_is_refused_and_rebuilt(tmp_path: Path, onnx_embedder: Embedder):
    from rag.index.onnx_backend import EXPORT_VERSION

    sources = tmp_path / "docs"
    sources.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, sources)
    index_dir = tmp_path / "v"
    first = build_index([sources], index_dir=index_dir, settings=ONNX)
    assert store.read_manifest(index_dir)["embedder"]["export_version"] == EXPORT_VERSION
    Pipeline(index_dir, ONNX).retriever  # noqa: B018  (the export that built it: searched)

    _record_export(index_dir, EXPORT_VERSION - 1)
    with pytest.raises(
        IndexMismatchError, match=rf"ONNX export {EXPORT_VERSION - 1}.*rag index .*{index_dir}"
    ):
        Pipeline(index_dir, ONNX).retriever  # noqa: B018
    again = build_index(None, index_dir=index_dir, settings=ONNX)
    assert again.rebuilt_because and "embedder" in again.rebuilt_because
    assert again.embedded_chunks == first.chunks, "every vector of the other export was embedded again"
    assert store.read_manifest(index_dir)["embedder"]["export_version"] == EXPORT_VERSION


def test_an_index_that_does_not_record_its_export_is_searched_with_a_warning_then_re_embedded(
    tmp_path: Path, onnx_embedder: Embedder, caplog
):
    sources = tmp_path / "docs"
    sources.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], sources)
    index_dir = tmp_path / "v"
    first = build_index([sources], index_dir=index_dir, settings=ONNX)
    _record_export(index_dir, None)
    with caplog.at_level("WARNING", logger="rag.index.store"):
        hits = Pipeline(index_dir, ONNX).retriever.search("What is this document about?", 3)
    assert hits, "an index from before the export was recorded is still searched"
    assert "does not record which ONNX export" in caplog.text and f"--index-dir {index_dir}" in caplog.text
    again = build_index(None, index_dir=index_dir, settings=ONNX)
    assert again.embedded_chunks == first.chunks, "the next build re-embeds it with the current export"


def test_a_torch_index_records_no_onnx_export(two_indexes: dict[str, Path]):
    assert "export_version" not in store.read_manifest(two_indexes["torch"])["embedder"]


def test_an_unknown_backend_lists_the_known_ones():
    with pytest.raises(ModelUnavailableError, match="torch, onnx-int8"):
        Embedder(backend="tensorrt")


def test_missing_onnxruntime_says_what_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("RAG_CACHE_DIR", str(tmp_path))
    # What `import onnxruntime` meets when it is not installed:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ModelUnavailableError, match="pip install onnxruntime"):
        Embedder(backend="onnx-int8").dimension  # noqa: B018


# --- approximate dense indexes ---------------------------------------------------------------------------


def _clustered(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    """Unit vectors in clouds around random centres (like embeddings: topics, and chunks within a topic)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(8, n // 100), dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    noise = rng.standard_normal((n, dim)).astype(np.float32)
    x = centres[rng.integers(0, len(centres), n)] + 0.9 * noise / np.linalg.norm(noise, axis=1, keepdims=True)
    return np.ascontiguousarray(x / np.linalg.norm(x, axis=1, keepdims=True))


def _questions_for(x: np.ndarray, count: int = 100, seed: int = 7) -> np.ndarray:
    """Queries unlike the build-time probes: a mix of three stored vectors and noise."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((count, x.shape[1])) / 40
    q = x[rng.integers(0, len(x), (count, 3))].sum(axis=1) + noise
    return np.ascontiguousarray(q / np.linalg.norm(q, axis=1, keepdims=True), dtype=np.float32)


@pytest.mark.parametrize("kind", ["ivf-sq8", "ivf-flat", "hnsw"])  # ivf-pq4fs: its own test below
def test_approximate_indexes_keep_recall_against_exact(kind: str, tmp_path: Path):
    x = _clustered(6000)
    index, record = dense.build_dense_index(x, kind=kind)
    assert record["type"] == kind and record["recall_at_10"] >= 0.98
    dense.save_faiss(index, tmp_path / "dense.faiss")
    loaded = dense.load_faiss(tmp_path / "dense.faiss", record)
    if kind.startswith("ivf"):
        assert faiss.extract_index_ivf(loaded).nprobe == record["nprobe"]
    else:
        assert faiss.downcast_index(loaded).hnsw.efSearch == record["ef_search"]
    queries = _questions_for(x)
    exact = ann.exact_top(x, queries, 10)
    found = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in queries])
    assert ann.recall_at_10(found, exact) >= 0.98
    ids, scores = dense.dense_search(loaded, queries[0], 10, rerank=x)
    np.testing.assert_allclose(scores, x[ids] @ queries[0], rtol=1e-5)  # exact cosines, not quantised ones


def test_the_index_type_follows_the_collection_size():
    assert dense.choose_kind(500, "auto", exact_max_chunks=1000) == "flat"
    assert dense.choose_kind(5000, "auto", exact_max_chunks=1000) == dense.AUTO_APPROXIMATE
    assert dense.choose_kind(5000, "flat", exact_max_chunks=1000) == "flat"
    assert dense.choose_kind(100, "hnsw", exact_max_chunks=1000) == "flat"  # too few vectors to train
    with pytest.raises(ValueError, match="ivf-sq8"):
        dense.choose_kind(5000, "annoy", exact_max_chunks=1000)


def _synthetic_generation(index_dir: Path, x: np.ndarray, **options) -> None:
    rng = np.random.default_rng(1)
    words = np.array(["iran", "russia", "missile", "reactor", "sanction", "treaty", "oil", "grid", "port"])
    documents, chunks, texts = [], [], []
    for i in range(len(x)):
        text = " ".join(rng.choice(words, 12))
        documents.append(Document(doc_id=f"d{i}", text=text, title=f"T{i}", source_path=f"s/d{i}.txt"))
        chunks.append(Chunk(f"d{i}#0", f"d{i}", 0, len(text), text))
        texts.append(text)
    manifest = {"format_version": store.FORMAT_VERSION, "embedder": {"name": "synthetic"}}
    store.write_generation(index_dir, manifest, documents, chunks, x, texts, **options)


def test_the_manifest_records_the_approximate_index_and_loading_applies_it(tmp_path: Path):
    x = _clustered(5000, seed=3)
    _synthetic_generation(tmp_path / "v", x, dense_index="auto", exact_max_chunks=1000)  # forced low
    record = store.read_manifest(tmp_path / "v")["dense_index"]
    assert (
        record["type"] == dense.AUTO_APPROXIMATE and record["requested"] == "auto" and record["nprobe"] >= 1
    )
    loaded = store.load_index(tmp_path / "v")
    assert loaded.dense_record == record
    assert isinstance(loaded.faiss_index, faiss.IndexIVF)
    assert loaded.faiss_index.nprobe == record["nprobe"]
    rows = np.array([3, 17, 4999])
    np.testing.assert_array_equal(loaded.vectors(rows), loaded.embeddings[rows])  # read, not mapped

    class Vectors:  # the query half of an embedder, for vectors that no text produced
        def embed_query(self, text: str) -> np.ndarray:
            return queries[int(text)]

    queries = _questions_for(x, 60)
    retriever = Retriever(loaded, Vectors(), Settings())  # type: ignore[arg-type]
    found = np.stack([retriever.dense(str(i), 10)[0] for i in range(len(queries))])
    assert ann.recall_at_10(found, ann.exact_top(x, queries, 10)) >= 0.98


def test_an_exact_search_finds_the_nearest_rows_on_one_thread_and_restores_the_threads():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5000, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index = dense.build_faiss(x)
    before = faiss.omp_get_max_threads()
    for q in x[:5]:
        ids, scores = dense.dense_search(index, q, 20)
        expected = np.argsort(-(x @ q), kind="stable")[:20]
        assert ids.tolist() == expected.tolist()
        assert np.allclose(scores, (x @ q)[expected], atol=1e-5)
    assert faiss.omp_get_max_threads() == before  # index builds and batch searches keep every core
    with dense.one_thread():
        assert faiss.omp_get_max_threads() == 1
    assert faiss.omp_get_max_threads() == before


def test_an_index_from_before_index_types_loads_as_exact(tmp_path: Path):
    x = _clustered(300, seed=4)
    _synthetic_generation(tmp_path / "v", x)
    generation = store.current_generation(tmp_path / "v")
    manifest = json.loads((generation / "manifest.json").read_text())
    assert manifest.pop("dense_index")["type"] == "flat"
    (generation / "manifest.json").write_text(json.dumps(manifest))
    loaded = store.load_index(tmp_path / "v")
    assert loaded.dense_record == {"type": "flat"} and loaded.faiss_index.ntotal == 300
    ids, _ = dense.dense_search(loaded.faiss_index, x[5], 3)
    assert ids[0] == 5


def test_a_large_index_loads_as_views_equal_to_the_objects(seeds_index: Path, monkeypatch):
    from rag.index import tables

    eager = store.load_index(seeds_index)
    monkeypatch.setattr(tables, "LAZY_MIN_CHUNKS", 1)  # this small index is loaded the way 1M chunks are
    lazy = store.load_index(seeds_index)
    assert isinstance(lazy.chunks, tables.ChunkTable) and isinstance(lazy.documents, tables.DocumentFile)
    assert len(lazy.chunks) == len(eager.chunks) and list(lazy.chunks) == list(eager.chunks)
    assert lazy.chunks[-1] == eager.chunks[-1] and lazy.chunks[2:4] == eager.chunks[2:4]
    assert dict(lazy.documents) == eager.documents and "no such id" not in lazy.documents
    with pytest.raises(KeyError):
        lazy.documents["no such id"]  # noqa: B018
    assert lazy.term_weights == eager.term_weights


def test_bm25_scores_are_those_of_bm25s(seeds_index: Path):
    from rag.index import lexical

    loaded = store.load_index(seeds_index)
    for question in _questions():
        ids, scores = lexical.bm25_search(loaded.bm25, question, 20, len(loaded.chunks))
        terms = lexical.tokenize([question])[0]
        ref_ids, ref_scores = lexical._bm25s_retrieve(loaded.bm25, terms, 20, len(loaded.chunks))
        np.testing.assert_allclose(scores, ref_scores, rtol=1e-5)
        assert list(ids[:1]) == list(ref_ids[:1]) or scores[0] == scores[1]  # same best chunk, bar a tie


def test_a_concurrent_search_returns_what_the_sequential_one_does(seeds_index: Path, embedder, monkeypatch):
    from rag.retrieve import retrieval

    retriever = Retriever(store.load_index(seeds_index), embedder, Settings())
    sequential = {q: retriever.search(q, 8) for q in _questions()}
    monkeypatch.setattr(
        retrieval, "PARALLEL_MIN_CHUNKS", 0
    )  # this small index searched the way 1M chunks are
    monkeypatch.setattr(retrieval, "_workers", lambda: 2)
    calls: list[str] = []
    original = retrieval._executor

    def counting_executor():
        calls.append("submitted")
        return original()

    monkeypatch.setattr(retrieval, "_executor", counting_executor)
    for question, hits in sequential.items():
        assert retriever.search(question, 8) == hits
    assert len(calls) == len(sequential)  # the dense half really ran in the pool


def test_a_search_widens_for_off_topic_queries_and_keeps_recall(tmp_path: Path):
    from rag.index import widening

    x = _clustered(20_000, seed=5)
    index, record = dense.build_dense_index(x, kind="ivf-sq8")
    assert record["widen_margin"] > 0 and record["max_nprobe"] >= record["nprobe"]
    dense.save_faiss(index, tmp_path / "dense.faiss")
    loaded = dense.load_faiss(tmp_path / "dense.faiss", record)
    assert widening.parameters(loaded) == (record["widen_margin"], record["max_nprobe"])
    off_topic = (
        np.random.default_rng(99).standard_normal((100, x.shape[1])).astype(np.float32)
    )  # not the probes
    off_topic /= np.linalg.norm(off_topic, axis=1, keepdims=True)
    exact = ann.exact_top(x, off_topic, 10)
    widened = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in off_topic])
    assert ann.recall_at_10(widened, exact) >= 0.98
    widening.configure(loaded, {"nprobe": record["nprobe"]})  # the tuned breadth alone: what widening is for
    narrow = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in off_topic])
    assert ann.recall_at_10(narrow, exact) < 0.95
    in_topic = _questions_for(x)  # questions like the collection still keep theirs with the widening
    widening.configure(loaded, record)
    found = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in in_topic])
    assert ann.recall_at_10(found, ann.exact_top(x, in_topic, 10)) >= 0.98


def test_cached_tokenization_gives_the_terms_of_a_whole_call() -> None:
    from rag.index import lexical

    texts = [f"Cells {i} were running in mice lacking BRCA1, and p53-deficient ones." for i in range(80)]
    whole = lexical.tokenize(texts)  # over the cached size: one bm25s call, as indexing does
    few = [t for i in range(0, 80, 7) for t in lexical.tokenize(texts[i : i + 7])]
    assert few == whole
    terms = lexical.tokenize(texts[:1])[0]
    terms.append("changed")  # a caller's list is its own: the cache keeps the terms
    assert lexical.tokenize(texts[:1])[0] == whole[0]


def test_four_bit_codes_read_every_cell_cheaply_and_keep_recall_for_off_topic_queries(tmp_path: Path):
    x = _clustered(8000, seed=6)
    index, record = dense.build_dense_index(x, kind="ivf-pq4fs")
    assert record["codes"] == "PQ192x4fs" and record["rerank_pool"] == ann.PQ4FS_POOL
    assert record["recall_at_10"] >= 0.98 and 1 <= record["nprobe"] <= record["nlist"]
    assert "widen_margin" not in record  # one breadth tuned on both kinds of probes instead
    dense.save_faiss(index, tmp_path / "dense.faiss")
    loaded = dense.load_faiss(tmp_path / "dense.faiss", record)
    assert isinstance(loaded, faiss.IndexIVFPQFastScan) and loaded.nprobe == record["nprobe"]
    off_topic = np.random.default_rng(98).standard_normal((100, x.shape[1])).astype(np.float32)
    off_topic /= np.linalg.norm(off_topic, axis=1, keepdims=True)  # not the build-time probes
    for queries in (off_topic, _questions_for(x)):
        found = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in queries])
        assert ann.recall_at_10(found, ann.exact_top(x, queries, 10)) >= 0.98
    ids, scores = dense.dense_search(loaded, off_topic[0], 10, rerank=x)
    np.testing.assert_allclose(scores, x[ids] @ off_topic[0], rtol=1e-5)  # exact cosines, not 4-bit ones
    ann.configure(loaded, {"nprobe": record["nprobe"], "rerank_pool": 10})  # the pool is what keeps recall
    narrow = np.stack([dense.dense_search(loaded, q, 10, rerank=x)[0] for q in off_topic])
    assert ann.recall_at_10(narrow, ann.exact_top(x, off_topic, 10)) < 0.9
