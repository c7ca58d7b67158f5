"""The fault table of the README: every way the product was found to break or mislead, and how it answers now.

Each test is named after its row. The six "broken" ones failed before their fix (a traceback, a silent merge,
or an install that could not index on a fresh machine).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEED_IDS

import rag
from rag.collection import add_documents
from rag.errors import IndexDamagedError, InvalidQuestionError, RagError
from rag.index import health, store
from rag.index.build import UPLOADS, build_index, remove_documents
from rag.index.tokens import CL100K_SHA256

ISLAND = (
    "# Notes on Tarbat island\n\n"
    "The lighthouse on Tarbat island was lit for the first time in 1851 by the keeper Malcolm Reid.\n\n"
    "Its lamp burned whale oil until 1904, when it was changed to paraffin.\n"
)


@pytest.fixture
def index(seeds_index: Path, tmp_path: Path) -> Path:
    """A private copy of the session's seeds index (and its seeds), free to be damaged by a test."""
    shutil.copytree(seeds_index.parent, tmp_path / "copy")
    return tmp_path / "copy" / "vectors"


def _rag(*args: str | bytes, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: int = 300):
    return subprocess.run(
        [sys.executable, "-m", "rag", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        timeout=timeout,
    )


def _live(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


# --- broken before: each test failed before its fix --------------------------------------------------------


def test_repeated_id_in_one_jsonl_is_reported_and_skipped(tmp_path: Path, embedder):
    corpus = tmp_path / "corpus.jsonl"
    records = [
        {"_id": "d1", "title": "Kelp", "text": "Giant kelp grows up to half a metre a day off the Californian coast."},
        {"_id": "d1", "title": "Moss", "text": "Sphagnum moss holds twenty times its dry weight in water."},
        {"_id": "d2", "title": "Lichen", "text": "Reindeer lichen grows only a few millimetres a year."},
    ]  # fmt: skip
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    report = build_index([corpus], index_dir=tmp_path / "v")

    assert report.documents == 2 and sorted(report.added) == ["d1", "d2"]
    assert [(s.path, "repeated _id 'd1'" in s.reason) for s in report.skipped] == [(f"{corpus}:2", True)]
    loaded = store.load_index(tmp_path / "v")
    assert len({c.chunk_id for c in loaded.chunks}) == len(loaded.chunks), "every chunk id is unique"
    assert {d.doc_id for d in rag.list_documents(tmp_path / "v")} == {"d1", "d2"}
    answer = rag.ask("How fast does giant kelp grow?", index_dir=tmp_path / "v")
    assert (
        answer.citations
        and answer.citations[0].doc_id == "d1"
        and "half a metre" in answer.citations[0].quote
    )


def test_a_question_with_bytes_that_are_not_utf8_is_cleaned_and_answered(seeds_index: Path):
    result = _rag("ask", b"Who built the Bushehr \xff nuclear power plant?", "--index-dir", str(seeds_index))
    out, err = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err
    assert "Traceback" not in err and "Atomstroyexport" in out and "not UTF-8" in out
    # Over the API a lone surrogate arrives as text (JSON "\ud800"): the same cleaning.
    answer = rag.ask("Who built the Bushehr\ud800 nuclear power plant?", index_dir=seeds_index)
    assert "\ufffd" in answer.question and "Atomstroyexport" in answer.text
    assert any("not UTF-8" in note for note in answer.notes)


def test_a_truncated_embeddings_file_is_reported_then_repaired(index: Path):
    damaged = _live(index)
    with open(damaged / "embeddings.npy", "r+b") as f:
        f.truncate(4000)  # a disk that filled up, a copy cut short
    with pytest.raises(IndexDamagedError) as info:
        rag.ask("Who built the Bushehr nuclear power plant?", index_dir=index)
    message = str(info.value)
    assert "embeddings.npy is cut short (4,000 of" in message and f"rag index --index-dir {index}" in message

    result = _rag("index", "--index-dir", str(index))
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "damaged" in err and "embeddings.npy is cut short" in out  # says what was damaged
    assert (index / "damaged" / damaged.name / "embeddings.npy").stat().st_size == 4000  # kept for inspection
    assert sorted(d.doc_id for d in rag.list_documents(index)) == sorted(SEED_IDS)
    assert "Atomstroyexport" in rag.ask("Who built the Bushehr nuclear power plant?", index_dir=index).text


def test_garbage_in_current_is_reported_then_repaired(index: Path):
    live = _live(index)
    (index / "CURRENT").write_bytes(b"\xff\xfe\x00garbage\x9c" * 20)
    with pytest.raises(IndexDamagedError, match="CURRENT does not name a generation"):
        rag.ask("Who built the Bushehr nuclear power plant?", index_dir=index)
    result = _rag("ask", "Who built the Bushehr nuclear power plant?", "--index-dir", str(index))
    err = result.stderr.decode()
    assert result.returncode == 1 and err.count("\n") == 1 and "UnicodeDecodeError" not in err
    assert f"Repair it with: rag index --index-dir {index}" in err

    report = build_index(index_dir=index)  # no sources: the ones the whole generation recorded
    assert report.rebuilt_because and "CURRENT" in report.rebuilt_because
    assert report.embedded_chunks == 0, "the vectors of the whole generation were reused"
    assert _live(index) != live and health.inspect(index).healthy
    assert any(p.name.startswith("CURRENT-") for p in (index / "damaged").iterdir())


def _without(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``rag ARGS`` in a process where ``module`` cannot be imported (an install without it)."""
    script = f"import sys; sys.modules[{module!r}] = None; from rag.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip


def test_serve_and_eval_without_their_packages_say_what_to_install(seeds_index: Path, tmp_path: Path):
    serve = _without("gradio", "serve", "--index-dir", str(seeds_index))
    assert serve.returncode == 1 and "Traceback" not in serve.stderr
    assert serve.stderr.strip().count("\n") == 0 and "pip install 'rag-quotes[ui]'" in serve.stderr

    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "question": "Who built Bushehr?"}\n', encoding="utf-8")
    started = time.monotonic()
    out = tmp_path / "out"
    evaluation = _without(
        "matplotlib", "eval", str(questions), "--index-dir", str(seeds_index), "--out", str(out)
    )
    assert evaluation.returncode == 1 and "Traceback" not in evaluation.stderr
    assert (
        "pip install 'rag-quotes[eval]'" in evaluation.stderr and evaluation.stderr.strip().count("\n") == 0
    )
    assert not out.exists(), "it fails before doing the work, not after"
    assert time.monotonic() - started < 60


def test_a_fresh_machine_counts_tokens_with_nothing_beside_it_and_no_network(tmp_path: Path):
    """The package alone (no ../shared, an empty tiktoken cache, every download failing) chunks text."""
    project = tmp_path / "fresh" / "project"
    shutil.copytree(ROOT / "rag", project / "rag", ignore=shutil.ignore_patterns("__pycache__"))
    script = textwrap.dedent("""
        from rag.index.chunking import ChunkerSettings, chunk_document
        from rag.index.tokens import count_tokens
        from rag.types import Document
        text = "The lighthouse was lit in 1851. " * 40
        chunks = chunk_document(Document("d", text, "T"), ChunkerSettings(chunk_tokens=64, overlap_tokens=8))
        print(count_tokens("hello world"), len(chunks))
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("RAG_TIKTOKEN_FILE", "PYTHONPATH")}
    env.update(
        TIKTOKEN_CACHE_DIR=str(tmp_path / "empty-cache"),
        HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9", NO_PROXY="",
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=project, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    count, chunks = result.stdout.split()
    assert count == "2" and int(chunks) > 3
    assert not (project.parent / "shared").exists() and not any((tmp_path / "empty-cache").glob("*"))


def test_the_shipped_encoding_is_checked_by_sha256_and_matches_tiktoken(monkeypatch):
    import tiktoken_ext.openai_public as public

    from rag.errors import EncodingUnavailableError
    from rag.index import tokens

    monkeypatch.setattr(public, "load_tiktoken_bpe", lambda *a, **k: {})
    upstream = public.cl100k_base()
    assert upstream["pat_str"] == tokens.CL100K_PATTERN
    assert upstream["special_tokens"] == tokens.CL100K_SPECIAL_TOKENS
    with pytest.raises(EncodingUnavailableError, match="damaged.*reinstall"):
        tokens.parse_ranks(b"Zm9v 0\n")  # not the file tiktoken checks: refused, not used
    data = (ROOT / "rag" / "index" / "data" / "cl100k_base.tiktoken").read_bytes()
    assert len(tokens.parse_ranks(data)) == 100_256


def test_the_wheel_carries_the_encoding_and_the_whole_product(tmp_path: Path):
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].strip().lower() for d in project["dependencies"]}
    assert {"gradio", "gradio_client", "openai", "matplotlib", "tiktoken"} <= names
    assert {"ui", "llm", "eval"} <= set(project["optional-dependencies"]), "old install commands still work"
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".cache", ".git", "vectors", "tests", "test-artifacts", "eval-out", "__pycache__", "*.egg-info",
        "build", "dist"))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(tmp_path / "wheel"), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("rag_quotes-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        data = z.read("rag/index/data/cl100k_base.tiktoken")
    assert hashlib.sha256(data).hexdigest() == CL100K_SHA256
    attributes = subprocess.run(
        ["git", "check-attr", "text", "--", "rag/index/data/cl100k_base.tiktoken"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if attributes.returncode == 0:  # in a git checkout: never converted (its sha256 is checked when loaded)
        assert attributes.stdout.strip().endswith("text: unset")


# --- handled poorly before ---------------------------------------------------------------------------------


def test_utf16_files_with_a_byte_order_mark_are_read(tmp_path: Path):
    from rag.ingest import load_documents, read_source_text

    text = "Tarbat lighthouse\n\nThe lighthouse on Tarbat island was lit in 1851 by Malcolm Reid — keeper.\n"
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16"))  # with its byte-order mark
    (tmp_path / "be.md").write_bytes(b"\xfe\xff" + ("# " + text).encode("utf-16-be"))
    (tmp_path / "records.jsonl").write_bytes(
        ('{"_id": "r1", "title": "T", "text": "Malcolm Reid kept the light."}\n').encode("utf-16")
    )
    (tmp_path / "raw16.txt").write_bytes(text.encode("utf-16-le"))  # no mark: cannot be told from binary
    result = load_documents([tmp_path])
    by_id = {d.doc_id: d for d in result.documents}
    assert set(by_id) == {"le", "be", "r1"}
    for doc_id in ("le", "be"):
        document = by_id[doc_id]
        assert "Malcolm Reid — keeper" in document.text
        original = read_source_text(Path(document.source_path))
        for seg in document.segments:
            assert (
                original[seg.source_start : seg.source_end] == document.text[seg.clean_start : seg.clean_end]
            )
    assert [Path(s.path).name for s in result.skipped] == ["raw16.txt"]


def test_a_large_file_shows_progress_from_the_start(tmp_path: Path):
    from rag.ingest import load_documents

    paragraph = "The keeper of the light wrote down the weather at {n} o'clock every day of the year.\n\n"
    big = tmp_path / "big.txt"
    big.write_text("Logbook\n\n" + "".join(paragraph.format(n=n) for n in range(9000)), encoding="utf-8")
    reports: list[tuple[float, int]] = []
    started = time.monotonic()
    load_documents([big], on_bytes=lambda n: reports.append((time.monotonic() - started, n)))
    assert sum(n for _, n in reports) == big.stat().st_size
    assert len(reports) >= 3, "progress while the file is being cleaned, not only when it is done"
    assert reports[0][0] < reports[-1][0]


def test_index_build_shows_its_stages_from_the_start(tmp_path: Path, capsys, embedder):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    build_index([tmp_path / "seeds"], index_dir=tmp_path / "v", progress=True)
    err = capsys.readouterr().err
    reading = err.index("Reading 3 files")
    assert (
        reading
        < err.index("Chunking")
        < err.index("Embedding 20 chunks" if "Embedding 20" in err else "Embedding")
    )


def test_the_same_file_name_in_two_source_folders_keeps_both(tmp_path: Path, embedder):
    for folder, where in (("a", "Inverness"), ("b", "Wick")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(
            f"Harbour notes\n\nThe harbour master of {where} kept the tide tables in a red ledger.\n",
            encoding="utf-8",
        )
    report = build_index([tmp_path / "a", tmp_path / "b"], index_dir=tmp_path / "v")
    assert report.documents == 2 and sorted(report.added) == ["b/notes", "notes"]
    assert any("'b/notes'" in note for note in report.notes)
    documents = {d.doc_id: d for d in rag.list_documents(tmp_path / "v")}
    assert "Inverness" in rag.get_document("notes", tmp_path / "v").text
    assert "Wick" in rag.get_document("b/notes", tmp_path / "v").text and len(documents) == 2
    again = build_index([tmp_path / "a", tmp_path / "b"], index_dir=tmp_path / "v")
    assert not again.changed, "the ids are stable from one run to the next"


def test_one_empty_upload_is_skipped_and_the_rest_added(index: Path):
    report = add_documents(
        [("tarbat.md", ISLAND.encode()), ("empty.txt", b""), ("blank.txt", b"  \n\n ")], index_dir=index
    )
    assert report.added == ["tarbat"]
    assert {s.path: "empty" in s.reason for s in report.skipped} == {"empty.txt": True, "blank.txt": True}
    assert sorted(p.name for p in (index / UPLOADS).iterdir()) == ["tarbat.md"]


def test_an_index_remembers_its_sources_and_uploads_and_removing_is_explicit(index: Path, tmp_path: Path):
    seeds = index.parent / "seeds"
    add_documents([("tarbat.md", ISLAND.encode())], index_dir=index)
    other = tmp_path / "other"
    other.mkdir()
    (other / "wick.txt").write_text("Wick\n\nThe harbour of Wick was rebuilt by Thomas Telford in 1810.\n")

    report = build_index([other], index_dir=index)  # a new source: added to the recorded ones
    assert report.added == ["wick"] and report.removed == [] and report.unchanged == 4
    assert build_index([seeds], index_dir=index).removed == [], "naming one source drops nothing else"
    refreshed = build_index(index_dir=index)  # no sources: every recorded one, and the uploads
    assert not refreshed.changed and refreshed.documents == 5
    assert store.read_manifest(index)["uploads"] == "uploads"

    result = _rag("remove", "tarbat", SEED_IDS[1], "--index-dir", str(index))
    assert result.returncode == 0, result.stderr.decode()
    assert "2 removed" in result.stdout.decode()
    assert not (index / UPLOADS / "tarbat.md").exists(), "an upload's file is deleted"
    assert (seeds / f"{SEED_IDS[1]}.txt").exists(), "a source file stays on disk"
    assert build_index(index_dir=index).documents == 3, "and stays out of later builds"
    back = build_index([seeds / f"{SEED_IDS[1]}.txt"], index_dir=index)  # named again: it comes back
    assert back.added == [SEED_IDS[1]]

    gone = remove_documents(sources=[other], index_dir=index)
    assert gone.removed == ["wick"] and (other / "wick.txt").exists()
    with pytest.raises(RagError, match="Did you mean '004_95f31d63a59dd7b7'"):
        remove_documents(["004_95f31d63a59dd7b8"], index_dir=index)


def test_the_documents_tab_removes_a_document(index: Path):
    from ui.chat import ChatApp

    add_documents([("tarbat.md", ISLAND.encode())], index_dir=index)
    chat = ChatApp(index, rag.Settings())
    assert ("Notes on Tarbat island (tarbat)", "tarbat") in chat.document_choices()
    report, listing = chat.remove(["tarbat"])
    assert "Removed 1 document: tarbat" in report and "Tarbat" not in listing
    assert "Choose the documents" in chat.remove([])[0]
    assert "No document" in chat.remove(["nope"])[0]


def test_an_index_inside_its_source_folder_is_not_read_as_a_source(tmp_path: Path, embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tarbat.md").write_text(ISLAND, encoding="utf-8")
    first = build_index([docs], index_dir=docs / "index")
    assert first.skipped == [] and first.documents == 1
    again = build_index([docs], index_dir=docs / "index")
    assert not again.changed and again.skipped == []


def test_an_upload_whose_build_fails_is_taken_back_out(index: Path, monkeypatch):
    add_documents([("tarbat.md", ISLAND.encode())], index_dir=index)

    def fail(*args, **kwargs):
        raise RagError("the disk is full")

    monkeypatch.setattr("rag.collection.build_index", fail)
    with pytest.raises(RagError, match="disk is full"):
        add_documents([("new.txt", b"New\n\nA new note about Wick."), ("tarbat.md", b"# Changed\n\nOther text.")],
                      index_dir=index)  # fmt: skip
    assert sorted(p.name for p in (index / UPLOADS).iterdir()) == ["tarbat.md"]
    assert (index / UPLOADS / "tarbat.md").read_text(encoding="utf-8") == ISLAND, "the earlier upload is back"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": "abc"}, "whole number"),
        ({"k": 2.5}, "whole number"),
        ({"k": True}, "whole number"),
        ({"k": 0}, "between 1 and 50"),
        ({"history": "hello"}, "history must be a list of turns"),
        ({"history": [{"role": "user"}]}, "turn 0"),
        ({"history": [42]}, "turn 0 is 42"),
        ({"history": [{"role": "robot", "content": "hi"}]}, "'user' or 'assistant'"),
    ],
)
def test_k_and_history_are_checked_at_the_door(seeds_index: Path, kwargs, message):
    with pytest.raises(InvalidQuestionError, match=message):
        rag.ask("Who built the Bushehr nuclear power plant?", index_dir=seeds_index, **kwargs)


def test_the_api_refuses_bad_k_and_history_with_a_message(seeds_index: Path):
    from ui.chat import ChatApp

    chat = ChatApp(seeds_index, rag.Settings())
    assert chat.api_ask("Who built the Bushehr nuclear power plant?", 5.0, "", None)["citations"]
    with pytest.raises(rag.RagError, match="whole number"):
        chat.api_ask("Who built Bushehr?", "abc", "", None)
    with pytest.raises(rag.RagError, match="history"):
        chat.api_ask("Who built Bushehr?", 5, "", [["a", "b", "c"]])


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("delete chunks.jsonl", "chunks.jsonl is missing"),
        ("truncate chunks.jsonl", "chunks.jsonl holds"),
        ("delete bm25", "bm25/ is missing"),
        ("CURRENT names a missing generation", "CURRENT names gen-19990101T000000-1-000001, which is not in"),
        ("unparsable manifest", "manifest.json of gen-"),
        ("manifest with another dimension", "manifest.json says 512 dimensions, but embeddings.npy holds vectors of 384"),
        ("delete CURRENT", "CURRENT is missing"),
    ],
)  # fmt: skip
def test_damaged_index_files_are_named_with_the_repair_command(index: Path, damage: str, expected: str):
    live = _live(index)
    if damage == "delete chunks.jsonl":
        (live / "chunks.jsonl").unlink()
    elif damage == "truncate chunks.jsonl":
        data = (live / "chunks.jsonl").read_bytes()
        (live / "chunks.jsonl").write_bytes(data[: len(data) // 2])
    elif damage == "delete bm25":
        shutil.rmtree(live / "bm25")
    elif damage == "CURRENT names a missing generation":
        (index / "CURRENT").write_text("gen-19990101T000000-1-000001\n")
    elif damage == "unparsable manifest":
        (live / "manifest.json").write_text('{"format_version": 1, "embedder": {')
    elif damage == "manifest with another dimension":
        manifest = json.loads((live / "manifest.json").read_text())
        manifest["embedder"]["dimension"] = 512
        (live / "manifest.json").write_text(json.dumps(manifest))
    elif damage == "delete CURRENT":
        (index / "CURRENT").unlink()
    with pytest.raises(IndexDamagedError) as info:
        store.load_index(index)
    assert expected in str(info.value) and "Repair it with: rag index" in str(info.value)
    assert "kept changing" not in str(info.value) and "No index at" not in str(info.value)
    check = rag.check_index(index)
    assert not check.ok and expected.split(" (")[0] in check.text()
    # The repair: rag index, without sources, rebuilds it from the sources it recorded.
    report = build_index(index_dir=index)
    assert report.rebuilt_because and report.documents == 3 and health.inspect(index).healthy


def test_a_second_writer_says_that_it_waits_and_for_whom(tmp_path: Path):
    index_dir = tmp_path / "v"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.argv = ["rag", "index", "seeds", "--index-dir", {str(index_dir)!r}]
            from rag.index.store import write_lock
            from pathlib import Path
            with write_lock(Path({str(index_dir)!r})):
                print("locked", flush=True)
                time.sleep(3)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert f"process {holder.pid} (rag index seeds" in rag.check_index(index_dir).text()
        messages: list[str] = []
        with store.write_lock(index_dir, on_wait=messages.append):
            pass
    finally:
        holder.wait(timeout=30)
    assert len(messages) == 1
    assert f"being written by process {holder.pid} (rag index seeds --index-dir {index_dir})" in messages[0]


def test_serving_beyond_this_machine_without_auth_warns():
    from ui.app import exposure_warning

    assert exposure_warning("127.0.0.1", 7860, share=False, auth=None) is None
    assert exposure_warning("localhost", 7860, share=False, auth=None) is None
    assert exposure_warning("0.0.0.0", 7860, share=False, auth=("a", "b")) is None
    wide = exposure_warning("0.0.0.0", 7860, share=False, auth=None)
    assert wide and "--host 0.0.0.0" in wide and "--auth USER:PASS" in wide
    public = exposure_warning("127.0.0.1", 7860, share=True, auth=None)
    assert public and "--share" in public and "--auth" in public


def test_only_http_urls_leave_the_api(index: Path, tmp_path: Path):
    from rag.ingest import load_file
    from ui.chat import ChatApp

    page = tmp_path / "trap.md"
    page.write_text("---\ntitle: Trap\nurl: javascript:alert(document.cookie)\n---\n\nSome text here.\n")
    assert load_file(page, tmp_path)[0].url is None, "never indexed"
    # An index built before the check may still hold one: the API passes on only http(s) addresses.
    live = _live(index)
    lines = (live / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        record["url"] = "javascript:alert(1)"
    (live / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    chat = ChatApp(index, rag.Settings())
    answer = chat.api_ask("Who built the Bushehr nuclear power plant?", 5, "", None)
    assert answer["citations"] and all(c["url"] is None for c in answer["citations"])
    assert all(d["url"] is None for d in chat.api_documents())


# --- self-repair -------------------------------------------------------------------------------------------


def test_rag_check_reports_health_and_exits_non_zero_when_damaged(index: Path):
    healthy = _rag("check", "--index-dir", str(index))
    out = healthy.stdout.decode()
    assert healthy.returncode == 0 and out.startswith("Healthy") and "3 documents" in out
    assert "Up to date with its sources." in out
    (index.parent / "seeds" / f"{SEED_IDS[0]}.txt").write_text("Changed\n\nA changed article.\n")
    assert "Out of date: 1 source files changed" in _rag("check", "--index-dir", str(index)).stdout.decode()
    (_live(index) / "dense.faiss").write_bytes(b"")
    damaged = _rag("check", "--index-dir", str(index))
    out = damaged.stdout.decode()
    assert damaged.returncode == 1 and out.startswith("DAMAGED") and "dense.faiss is cut short" in out
    assert f"Repair it with: rag index --index-dir {index}" in out
    missing = _rag("check", "--index-dir", str(index.parent / "nothing"))
    assert missing.returncode == 1 and "No index at" in missing.stdout.decode()


def test_the_bundled_index_repairs_itself_before_answering(tmp_path: Path, monkeypatch, embedder):
    from rag.answer.pipeline import Pipeline

    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    build_index([project / "seeds"], index_dir=project / "vectors")
    np.save(_live(project / "vectors") / "embeddings.npy", np.zeros((3, 7), dtype=np.float32))
    monkeypatch.setattr("rag.answer.pipeline.DEFAULT_INDEX_DIR", project / "vectors")
    retriever = Pipeline(project / "vectors", rag.Settings()).retriever
    assert len(retriever.index.documents) == 3 and (project / "vectors" / "damaged").is_dir()
