"""The sharded index's pieces that need no Ray: global BM25 statistics, the merge, the layout, the seam.

Runs everywhere (Ray or not); the cluster itself is tested in ``test_cluster.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from rag.cluster import layout, merge
from rag.index import bm25_global, lexical

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _seed_texts() -> list[str]:
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 5]
    return texts


def test_shards_with_global_statistics_score_as_one_bm25_index():
    texts = _seed_texts()
    assert len(texts) >= 40
    one = lexical.build_bm25(texts)
    parts = [[t for i, t in enumerate(texts) if i % 3 == s] for s in range(3)]
    stats = bm25_global.merge(bm25_global.count(p) for p in parts)
    shards = [bm25_global.build_bm25(p, stats) for p in parts]
    alone = lexical.build_bm25(parts[0])  # what a shard would score on its own statistics
    differs = []
    for query in ("Russia Iran nuclear", "Pompeo Lavrov meeting", "oil sanctions"):
        ids, scores = lexical.bm25_search(one, query, 20, len(texts))
        rankings = [lexical.bm25_search(m, query, 20, len(p)) for m, p in zip(shards, parts, strict=True)]
        merged_ids, merged_scores = merge.merge(rankings, 20)
        np.testing.assert_allclose(merged_scores, scores, rtol=1e-6)
        back = [parts[s][r] for s, r in map(merge.split_row, merged_ids.tolist())]
        assert back == [texts[i] for i in ids.tolist()] or np.unique(scores).size < len(scores)
        own = lexical.bm25_search(alone, query, 5, len(parts[0]))[1]
        differs.append(len(own) > 0 and not np.allclose(own, rankings[0][1][:5]))
    assert any(differs)  # a shard's own statistics would have given other scores
    idf = lexical.idf_table(one)
    assert all(abs(idf[t] - w) < 1e-9 for t, w in bm25_global.idf_table(stats).items())


def test_merge_keeps_the_best_n_over_shards_in_global_rows():
    a = (np.array([4, 0]), np.array([0.9, 0.2], np.float32))
    b = (np.array([7, 3, 1]), np.array([0.8, 0.5, 0.1], np.float32))
    ids, scores = merge.merge([a, b], 3)
    assert [merge.split_row(r) for r in ids.tolist()] == [(0, 4), (1, 7), (1, 3)]
    assert scores.tolist() == np.array([0.9, 0.8, 0.5], np.float32).tolist()
    assert merge.merge([(np.zeros(0, np.int64), np.zeros(0))], 5)[0].size == 0


def test_shard_of_is_stable_and_spreads():
    assert layout.shard_of("doc-1", 4) == layout.shard_of("doc-1", 4)  # no per-process hash seed
    counts = np.bincount([layout.shard_of(f"d{i}", 4) for i in range(4000)], minlength=4)
    assert counts.min() > 850


def test_local_path_never_imports_ray_and_retriever_is_a_searcher(seeds_index):
    code = (
        "import sys, rag\n"
        "from rag.retrieve.searcher import Searcher\n"
        "from rag.answer.pipeline import get_pipeline\n"
        f"a = rag.ask('Who built the Bushehr nuclear power plant?', index_dir={str(seeds_index)!r})\n"
        f"r = get_pipeline(__import__('pathlib').Path({str(seeds_index)!r}), rag.Settings()).retriever\n"
        "print(isinstance(r, Searcher), bool(a.citations), 'ray' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["True", "True", "False"], done.stderr


def test_a_sharded_index_without_ray_says_how_to_start_it(tmp_path):
    folder = tmp_path / "big"
    from rag.settings import Settings

    s = Settings()
    embedder = {"name": s.embedder, "backend": s.embedder_backend}
    if s.embedder_backend == "onnx-int8":  # as a current build records it (else a warning adds a line)
        from rag.index.onnx_backend import EXPORT_VERSION

        embedder["export_version"] = EXPORT_VERSION
    manifest = {
        "format_version": 1,
        "embedder": embedder,
        "documents": {},
        "shards": [{"dir": "shards/shard-000"}],
    }
    layout.write_top_generation(folder, manifest, {})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAG_RAY_ADDRESS": ""}
    run = [sys.executable, "-m", "rag"]
    done = subprocess.run(
        [*run, "ask", "What?", "--index-dir", str(folder)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "ray start --head" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    done = subprocess.run(
        [*run, "index", str(SEEDS), "--index-dir", str(folder)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "--ray ADDRESS" in done.stderr and "Traceback" not in done.stderr
    assert not (folder / "shards").exists()  # the refused local build wrote nothing
