"""Indexing with the real embedder and FAISS: incremental updates, rebuilds, refusals, crash safety."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEED_IDS, SEEDS

from rag.answer.pipeline import Pipeline
from rag.errors import IndexMismatchError, IndexNotFoundError, RagError, SourceNotFoundError
from rag.index import store
from rag.index.build import build_index
from rag.index.onnx_backend import EXPORT_VERSION
from rag.settings import Settings


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SEEDS, folder)
    return folder


def _rows_of(index_dir: Path, doc_id: str) -> np.ndarray:
    loaded = store.load_index(index_dir)
    rows = [i for i, c in enumerate(loaded.chunks) if c.doc_id == doc_id]
    return np.asarray(loaded.embeddings[rows])


def test_incremental_index_embeds_only_what_changed(corpus: Path, tmp_path: Path, embedder):
    index_dir = tmp_path / "vectors"
    first = build_index([corpus], index_dir=index_dir)
    assert sorted(first.added) == sorted(SEED_IDS) and first.embedded_chunks == first.chunks > 10

    again = build_index([corpus], index_dir=index_dir)
    assert again.unchanged == 3 and again.embedded_chunks == 0 and not again.changed

    kept_vectors = _rows_of(index_dir, SEED_IDS[0])
    path = corpus / f"{SEED_IDS[2]}.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\nA new closing paragraph about the Caspian Sea.\n",
        encoding="utf-8",
    )
    changed = build_index([corpus], index_dir=index_dir)
    assert changed.updated == [SEED_IDS[2]] and changed.unchanged == 2
    doc_chunks = [c for c in store.load_index(index_dir).chunks if c.doc_id == SEED_IDS[2]]
    assert changed.embedded_chunks == len(doc_chunks), "only the changed document was embedded"
    assert np.array_equal(_rows_of(index_dir, SEED_IDS[0]), kept_vectors), "unchanged vectors were reused"
    assert any("Caspian Sea" in c.text for c in doc_chunks)

    (corpus / f"{SEED_IDS[1]}.txt").unlink()
    removed = build_index([corpus], index_dir=index_dir)
    assert removed.removed == [SEED_IDS[1]]
    loaded = store.load_index(index_dir)
    assert SEED_IDS[1] not in loaded.documents
    assert all(c.doc_id != SEED_IDS[1] for c in loaded.chunks)
    assert loaded.faiss_index.ntotal == len(loaded.chunks) == len(loaded.embeddings)


def test_manifest_records_what_built_the_index(corpus: Path, tmp_path: Path, embedder):
    build_index([corpus], index_dir=tmp_path / "v")
    manifest = store.read_manifest(tmp_path / "v")
    assert manifest["format_version"] == store.FORMAT_VERSION
    expected = {
        "name": "sentence-transformers/all-MiniLM-L6-v2",
        "backend": Settings().embedder_backend,
        "dimension": 384,
        "max_tokens": 256,
    }
    if Settings().embedder_backend == "onnx-int8":
        expected["export_version"] = EXPORT_VERSION
    assert manifest["embedder"] == expected
    assert manifest["chunker"]["chunk_tokens"] == Settings().chunk_tokens
    assert set(manifest["documents"]) == set(SEED_IDS)
    assert all(len(d["content_hash"]) == 64 for d in manifest["documents"].values())
    assert manifest["sources"] == [os.path.relpath(corpus, tmp_path / "v")]


def test_changed_chunker_settings_rebuild_with_a_message(corpus: Path, tmp_path: Path, caplog, embedder):
    build_index([corpus], index_dir=tmp_path / "v")
    with caplog.at_level(logging.WARNING):
        report = build_index(
            [corpus], index_dir=tmp_path / "v", settings=Settings(chunk_tokens=128, chunk_overlap=24)
        )
    assert report.rebuilt_because and "chunker" in report.rebuilt_because
    assert report.embedded_chunks == report.chunks
    assert "Rebuilding the index" in caplog.text


def test_index_built_with_another_embedder_is_refused_with_the_fix(seeds_index: Path):
    other = Settings(embedder="acme/other-embedder")
    with pytest.raises(IndexMismatchError) as info:
        Pipeline(seeds_index, other).retriever  # noqa: B018
    assert "rag index" in str(info.value) and "all-MiniLM-L6-v2" in str(info.value)


def test_missing_source_and_missing_index_are_clear_errors(tmp_path: Path):
    with pytest.raises(SourceNotFoundError, match="nowhere"):
        build_index([tmp_path / "nowhere"], index_dir=tmp_path / "v")
    with pytest.raises(IndexNotFoundError, match="rag index"):
        store.load_index(tmp_path / "empty")


def test_a_folder_of_only_broken_files_keeps_the_previous_index(corpus: Path, tmp_path: Path, embedder):
    build_index([corpus], index_dir=tmp_path / "v")
    before = store.current_generation(tmp_path / "v")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "binary.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RagError, match="No document could be read"):
        build_index([broken], index_dir=tmp_path / "new")
    assert store.current_generation(tmp_path / "new") is None
    assert store.current_generation(tmp_path / "v") == before
    # Added to an index, they are reported; its documents stay (sources add up, nothing is dropped).
    report = build_index([broken], index_dir=tmp_path / "v")
    assert report.documents == 3 and report.removed == [] and len(report.skipped) == 2


def test_broken_files_are_skipped_and_the_rest_indexed(corpus: Path, tmp_path: Path, embedder):
    (corpus / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me, a non-UTF-8 file".encode("latin-1"))
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    report = build_index([corpus], index_dir=tmp_path / "v")
    assert report.documents == 3
    assert {Path(s.path).name for s in report.skipped} == {"latin1.txt", "binary.txt"}


@pytest.mark.parametrize("crash_in", ["dense.save_faiss", "store._fsync_dir"])
def test_a_crash_during_indexing_leaves_the_previous_index_intact(
    corpus: Path, tmp_path: Path, crash_in, embedder
):
    """Kill a real indexing process (SIGKILL, no clean-up) in the middle of writing the new generation."""
    index_dir = tmp_path / "v"
    build_index([corpus], index_dir=index_dir)
    before = store.current_generation(index_dir)
    before_chunks = len(store.load_index(index_dir).chunks)
    (corpus / "extra.txt").write_text(
        "Extra document.\n\n" + "The Caspian Sea borders Russia and Iran. " * 50, encoding="utf-8"
    )
    module, function = crash_in.split(".")
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from rag.index import {module} as target
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        target.{function} = die
        from rag.index.build import build_index
        build_index([{str(corpus)!r}], index_dir={str(index_dir)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == -9, result.stderr[-2000:]
    assert store.current_generation(index_dir) == before
    loaded = store.load_index(index_dir)
    assert len(loaded.chunks) == before_chunks and "extra" not in loaded.documents
    # The next run finishes the job and clears the debris.
    report = build_index([corpus], index_dir=index_dir)
    assert report.added == ["extra"]
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".gen-")]
    generations = [p for p in index_dir.iterdir() if p.name.startswith("gen-")]
    assert len(generations) <= 2


def test_the_committed_bundled_index_is_current(embedder):
    """vectors/ as committed is what this code would build from seeds/: a fresh clone answers from it at once
    instead of rebuilding it at its first start (and leaving the tree changed) after a settings change."""
    from rag.index.build import build_settings_record, source_fingerprints
    from rag.index.records import rebuild_reason

    manifest = store.read_manifest(ROOT / "vectors")
    assert manifest is not None
    assert rebuild_reason(manifest, build_settings_record(Settings(), embedder)) is None, (
        "run: rag index seeds"
    )
    assert manifest["files"] == source_fingerprints([SEEDS], ROOT / "vectors"), "run: rag index seeds"


def test_the_bundled_index_follows_its_seeds(tmp_path: Path, monkeypatch, embedder):
    """vectors/ is rebuilt automatically when the seeds change (here: a copy of the project layout)."""
    project = tmp_path / "project"
    shutil.copytree(SEEDS, project / "seeds")
    build_index([project / "seeds"], index_dir=project / "vectors")
    monkeypatch.setattr("rag.answer.pipeline.DEFAULT_INDEX_DIR", project / "vectors")
    (project / "seeds" / "new.txt").write_text(
        "Caspian cooperation\n\nRussia and Iran signed a Caspian Sea fishing accord in 2021.\n",
        encoding="utf-8",
    )
    pipeline = Pipeline(project / "vectors", Settings())
    assert "new" in pipeline.retriever.index.documents
    manifest = json.loads((store.current_generation(project / "vectors") / "manifest.json").read_text())
    assert "new.txt" in " ".join(manifest["files"])
