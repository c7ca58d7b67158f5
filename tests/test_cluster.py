"""The sharded index on a real Ray cluster on loopback: a head with no CPUs and two one-CPU worker nodes.

Real embedder, real FAISS and bm25s, real Ray Data and Ray Serve. The sharded index of a SciFact subset is
compared with the one-machine index of the same documents; a replica is killed while queries stream; the chat
is served from the sharded index and answers in Chromium. ``RAG_TEST_CLUSTER_DOCS`` sets the subset's size.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[cluster]'")

import ray_cluster  # noqa: E402  (tests/ is on sys.path under pytest's rootdir conftest)

from rag.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
# "A few thousand" abstracts, as the issue asks: 2000 (the module took 3:36 at 500, 4:06 at 750 and 6:49 at 2000
# on the shared machine at a load of 4-13); RAG_TEST_CLUSTER_DOCS=500 runs the same assertions faster.
DOCS = int(os.environ.get("RAG_TEST_CLUSTER_DOCS", "2000"))
QUERIES = 12
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (SCIFACT / "corpus.jsonl").is_file(), reason="SciFact is not in ../shared/data/scifact"
    ),
]


@pytest.fixture(scope="module")
def cluster():
    """Head (0 CPUs) + two worker nodes (1 CPU each) on 127.0.0.1; every process stopped after these tests.

    Module-scoped: only this module needs Ray, and the rest of the suite should not share two cores with an
    idle cluster.
    """
    started = ray_cluster.start(workers=2)
    try:
        yield started
    finally:
        if ray.is_initialized():
            ray.shutdown()
        ray_cluster.stop(started)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scifact_subset")
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as f, open(folder / "corpus.jsonl", "w") as out:
        for _, line in zip(range(DOCS), f, strict=False):
            out.write(line)
    return folder / "corpus.jsonl"


@pytest.fixture(scope="module")
def settings(cluster) -> Settings:
    return Settings().with_overrides(ray_address=cluster.address)


@pytest.fixture(scope="module")
def sharded(corpus, settings, tmp_path_factory):
    """(index folder, build report) of the sharded index of the subset, 2 shards."""
    from rag.cluster.indexing import build_sharded_index

    folder = tmp_path_factory.mktemp("sharded") / "index"
    report = build_sharded_index([corpus], index_dir=folder, settings=settings, shards=2, progress=False)
    return folder, report


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory, embedder) -> Path:
    from rag.index.build import build_index

    folder = tmp_path_factory.mktemp("local") / "index"
    build_index([corpus], index_dir=folder, progress=False)
    return folder


def _queries() -> list[str]:
    with open(SCIFACT / "queries_test.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for _, line in zip(range(QUERIES), f, strict=False)]


def _same_hits(a, b, tol: float = 1e-5) -> None:
    """Same passages with the same scores; equal fused scores may come in either order."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert abs(x.score - y.score) <= tol
        for s, t in ((x.dense_score, y.dense_score), (x.bm25_score, y.bm25_score)):
            assert (s is None) == (t is None) and (s is None or abs(s - t) <= tol)
    ties = {round(x.score, 5) for x in a if sum(abs(x.score - z.score) <= tol for z in a) > 1}
    assert [x.chunk_id for x in a if round(x.score, 5) not in ties] == [
        y.chunk_id for y in b if round(y.score, 5) not in ties
    ]


def test_workers_import_this_checkout(cluster, settings):
    from rag.cluster.errors import connect

    connect(cluster.address)

    @ray.remote(num_cpus=0.1)
    def where():
        import rag

        return ray.get_runtime_context().get_node_id(), rag.__file__

    nodes = [n["NodeID"] for n in ray.nodes() if n["Alive"] and n["Resources"].get("CPU")]
    strategy = ray.util.scheduling_strategies.NodeAffinitySchedulingStrategy
    found = ray.get([where.options(scheduling_strategy=strategy(n, soft=False)).remote() for n in nodes])
    assert len(nodes) == 2
    assert {node for node, _ in found} == set(nodes)
    assert all(Path(f).resolve().is_relative_to(ROOT) for _, f in found)


def test_embedding_ran_on_both_worker_nodes(sharded):
    folder, report = sharded
    workers = {n["NodeID"] for n in ray.nodes() if n["Alive"] and n["Resources"].get("CPU")}
    assert set(report.workers) == workers  # node ids of both worker nodes, none of the (CPU-less) head
    assert all(count > 0 for count in report.workers.values())
    assert sum(report.workers.values()) == report.embedded_chunks == report.chunks
    assert report.documents == DOCS and report.shards == 2
    manifest = json.loads((folder / (folder / "CURRENT").read_text().strip() / "manifest.json").read_text())
    assert [s["dir"] for s in manifest["shards"]] == ["shards/shard-000", "shards/shard-001"]
    assert sum(s["chunks"] for s in manifest["shards"]) == report.chunks
    assert all(s["chunks"] > 0.3 * report.chunks for s in manifest["shards"])  # a hash spreads documents


def test_documents_are_read_in_ray_tasks_as_on_one_machine(cluster, tmp_path, monkeypatch):
    """The job's reading step (the product's loaders, run in Ray tasks) gives what ``load_documents`` gives:
    the same documents and ids (a name two folders share kept twice), the same skipped files and lines, and
    paths spelled as given (relative here: the workers' working folder is not this one)."""
    from rag.cluster import job
    from rag.cluster.errors import connect
    from rag.ingest import find_source_files, load_documents

    connect(cluster.address)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(f"Notes of folder {folder}: the plant opened in 2011.\n")
    (tmp_path / "a" / "page.md").write_text("# Heading\n\nBody text of a markdown page.\n")
    good = json.dumps({"_id": "d1", "title": "T", "text": "A record."})
    (tmp_path / "a" / "corpus.jsonl").write_text(good + "\n{not json\n")
    (tmp_path / "a" / "empty.txt").write_text("")
    (tmp_path / "a" / "slides.docx").write_bytes(b"PK\x03\x04")
    monkeypatch.chdir(tmp_path)
    sources = [Path("a"), Path("b")]
    files = find_source_files(sources)
    read = job.read_documents(files, progress=False)
    expected = load_documents(sources)
    assert [d.to_dict() for d in read.documents] == [d.to_dict() for d in expected.documents]
    assert read.skipped == expected.skipped and read.renamed == expected.renamed
    assert len(expected.documents) == 4 and len(expected.skipped) == 3 and expected.renamed
    assert read.skipped[0].path == "a/corpus.jsonl:2" and read.documents[-1].source_path == "b/notes.txt"


def test_sharded_index_ranks_and_scores_as_one_index(sharded, local, settings):
    from rag import ask
    from rag.answer.pipeline import get_pipeline

    one = get_pipeline(local, Settings()).retriever
    many = get_pipeline(sharded[0], settings).retriever
    assert type(many).__name__ == "ShardedSearcher"
    for query in _queries():
        _same_hits(one.passages(one.search(query, 10)), many.passages(many.search(query, 10)))
        for method in ("dense", "bm25"):
            _same_hits(
                one.passages(one.search(query, 10, method=method)),
                many.passages(many.search(query, 10, method=method)),
            )
        # Reciprocal rank fusion scores ranks, not scores: chunks with equal BM25 scores (frequent) may be
        # ranked in another order by one index than by the merge, which moves a fused score by ~1e-4. The
        # same passages are found; the order may differ only there.
        rrf_one, rrf_many = one.search(query, 10, method="rrf"), many.search(query, 10, method="rrf")
        ids_one = {p.chunk_id for p in one.passages(rrf_one)}
        assert len(ids_one & {p.chunk_id for p in many.passages(rrf_many)}) >= 8
    assert many.term_weights == pytest.approx(one.term_weights)
    question = _queries()[0]
    a, b = ask(question, index_dir=local), ask(question, index_dir=sharded[0], settings=settings)
    assert (a.text, [c.doc_id for c in a.citations]) == (b.text, [c.doc_id for c in b.citations])


def test_doc_ids_restrict_the_sharded_search(sharded, settings):
    from rag.answer.pipeline import get_pipeline

    many = get_pipeline(sharded[0], settings).retriever
    wanted = sorted(many.documents)[:3]
    hits = many.passages(many.search(_queries()[1], 10, doc_ids=wanted))
    assert hits and {p.doc_id for p in hits} <= set(wanted)


def test_cli_index_json_and_ask_without_ray(sharded, corpus, cluster, tmp_path):
    folder, _ = sharded
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAG_RAY_ADDRESS": ""}
    run = [sys.executable, "-m", "rag"]
    done = subprocess.run(
        [*run, "index", str(corpus), "--index-dir", str(folder), "--ray", cluster.address, "--json", "--quiet"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["changed"] is False and report["shards"] == 2 and report["embedded_chunks"] == 0
    done = subprocess.run(
        [*run, "ask", "What is BRCA1?", "--index-dir", str(folder)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "ray start --head" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    done = subprocess.run(
        [*run, "index", str(corpus), "--index-dir", str(tmp_path / "x"), "--shards", "2"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "--ray" in done.stderr and "Traceback" not in done.stderr


def test_incremental_rebuild_embeds_only_what_changed(sharded, local, corpus, settings, tmp_path):
    from rag.answer.pipeline import get_pipeline
    from rag.cluster.indexing import build_sharded_index
    from rag.index.build import build_index

    folder, first = sharded
    lines = corpus.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["text"] = "Zebrafish fins regrow after amputation through a blastema of dedifferentiated cells."
    lines[0] = json.dumps(changed)
    removed = json.loads(lines.pop(1))["_id"]
    extra = SCIFACT / "corpus.jsonl"
    with open(extra, encoding="utf-8") as f:
        added = [line for _, line in zip(range(DOCS + 1), f, strict=False)][-1]
    updated_corpus = tmp_path / "corpus.jsonl"
    updated_corpus.write_text("\n".join([*lines, added]) + "\n", encoding="utf-8")

    report = build_sharded_index([updated_corpus], index_dir=folder, settings=settings, progress=False)
    assert report.updated == [changed["_id"]] and report.removed == [removed]
    assert report.added == [json.loads(added)["_id"]] and report.unchanged == DOCS - 2
    assert 0 < report.embedded_chunks <= 10 and sum(report.workers.values()) == report.embedded_chunks
    local_copy = tmp_path / "local"
    shutil.copytree(local, local_copy)
    # A local index remembers its sources and adds new ones to them, so the same update is made where it
    # looks: its recorded source file changes, and a build without sources refreshes it.
    original = corpus.read_text(encoding="utf-8")
    corpus.write_text(updated_corpus.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        local_report = build_index(index_dir=local_copy, progress=False)
    finally:
        corpus.write_text(original, encoding="utf-8")
    assert report.embedded_chunks == local_report.embedded_chunks and report.chunks == local_report.chunks
    one = get_pipeline(local_copy, Settings()).retriever
    many = get_pipeline(folder, settings).retriever
    for query in [*_queries()[:4], "zebrafish fin regeneration blastema"]:
        _same_hits(one.passages(one.search(query, 10)), many.passages(many.search(query, 10)))


def test_killed_replica_fails_no_query(sharded, settings):
    from ray import serve

    from rag.answer.pipeline import get_pipeline
    from rag.cluster.router import app_name

    folder = sharded[0]
    many = get_pipeline(folder, settings.with_overrides(replicas=2)).retriever
    queries = _queries()
    expected = {q: [h.row for h in many.search(q, 10)] for q in queries}
    errors: list[BaseException] = []
    answered = []
    stop = threading.Event()

    def stream() -> None:
        i = 0
        while not stop.is_set():
            q = queries[i % len(queries)]
            try:
                answered.append([h.row for h in many.search(q, 10)] == expected[q])
            except BaseException as e:  # noqa: BLE001 (recorded: the test fails on any)
                errors.append(e)
            i += 1

    threads = [threading.Thread(target=stream) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(2)
    victims = [
        a for a in ray.util.list_named_actors(all_namespaces=True)
        if a["name"].startswith(f"SERVE_REPLICA::{app_name(folder)}#shard-000#")
    ]  # fmt: skip
    assert len(victims) == 2
    ray.kill(ray.get_actor(victims[0]["name"], namespace=victims[0]["namespace"]), no_restart=True)
    time.sleep(8)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert len(answered) > 20 and all(answered)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # Serve starts a replacement
        status = serve.status().applications[app_name(folder)].deployments["shard-000"]
        if status.replica_states.get("RUNNING", 0) == 2:
            break
        time.sleep(1)
    assert status.replica_states.get("RUNNING", 0) == 2
    names = {a["name"] for a in ray.util.list_named_actors(all_namespaces=True)}
    assert victims[0]["name"] not in names


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed: apt-get install chromium"
)
def test_rag_serve_with_ray_answers_in_the_browser(sharded, cluster):
    import socket

    from playwright.sync_api import sync_playwright

    folder = sharded[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "rag", "serve", "--index-dir", str(folder), "--ray", cluster.address, "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#question textarea")
            page.fill("#question textarea", "Which mutations drive drug resistance in leukemia relapse?")
            page.click("#ask")
            page.wait_for_function(
                "() => document.querySelectorAll('#chat .answer-foot, #chat .error').length >= 1",
                timeout=120_000,
            )
            bot = page.locator("#chat [data-testid=bot]").first.inner_text()
            browser.close()
        assert "error" not in bot.lower()[:40]
        assert "[1]" in bot or "do not answer" in bot
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_shard_that_cannot_answer_is_an_error_naming_it(sharded, settings, embedder, tmp_path):
    from ray import serve

    from rag.cluster.router import app_name, open_sharded
    from rag.errors import ShardUnavailableError

    folder = tmp_path / "copy"
    shutil.copytree(sharded[0], folder)
    searcher = open_sharded(folder, embedder, settings, retry_s=4)
    query = _queries()[0]
    assert len(searcher.search(query, 5)) == 5
    shard = folder / "shards" / "shard-001"
    for generation in shard.glob("gen-*"):  # replacement replicas cannot load the shard any more
        shutil.rmtree(generation)
    try:
        for actor in ray.util.list_named_actors(all_namespaces=True):
            if actor["name"].startswith(f"SERVE_REPLICA::{app_name(folder)}#shard-001#"):
                ray.kill(ray.get_actor(actor["name"], namespace=actor["namespace"]), no_restart=True)
        with pytest.raises(ShardUnavailableError, match="shard 001") as caught:
            searcher.search(query, 5)
        assert "shard 000" not in str(caught.value) and len(str(caught.value).splitlines()) == 1
    finally:
        serve.delete(app_name(folder))
