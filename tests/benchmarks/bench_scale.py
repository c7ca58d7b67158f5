"""Retrieval at 10k, 100k and 1M chunks: latency, recall@10 against exact search, memory, size and build time.

    nice .venv/bin/python tests/benchmarks/bench_scale.py                          # 10k, 100k, 1M (~8 min)
    nice .venv/bin/python tests/benchmarks/bench_scale.py --sizes 10000,100000     # ~1.5 min

Embedding a million chunks takes hours here, so the collections are synthetic, built to behave like real ones:
- vectors: a cloud around each of SciFact's real chunk vectors (``--centers``, an index built by
  ``tune_retrieval.py``; random centres if absent): x = normalise(c + 0.9 g), g a random unit direction, so a
  vector keeps cosine ~0.74 to its centre and real questions have real neighbourhoods;
- texts: ~150 words per chunk (a 200-token chunk) drawn from SciFact's own word frequencies (Zipf-like);
- questions: SciFact's test queries, their vectors from the configured embedder, their words for BM25.

Part 1 (per size, in this process): every FAISS index type, built and searched alone: build seconds, size on
disk, p50/p95 of one search (100 candidates, as ``ask()`` asks), recall@10 against exact search.
Part 2 (per size, a fresh subprocess): the product's path. The index is written by ``store.write_generation``
(the ``auto`` choice), loaded by ``store.load_index`` (memory-mapped), and searched by ``Retriever.search``
(dense + BM25 + fusion), warm: p50/p95, recall@10 of the dense half, load seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from rag.index import ann, dense, store  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.types import Chunk, Document, SourceSegment  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
WORDS_PER_CHUNK = 150
CHUNKS_PER_DOC = 4
NOISE = 0.9


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def scifact_words() -> tuple[np.ndarray, np.ndarray]:
    """SciFact's vocabulary and each word's share of its running text."""
    counts: dict[str, int] = {}
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            for word in json.loads(line)["text"].split():
                counts[word] = counts.get(word, 0) + 1
    words = np.array(list(counts))
    freq = np.array(list(counts.values()), dtype=np.float64)
    return words, freq / freq.sum()


def synthetic_vectors(n: int, centers: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((n, centers.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        noise = rng.standard_normal((m, centers.shape[1])).astype(np.float32)
        noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
        block = centers[rng.integers(0, len(centers), m)] + noise
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def synthetic_corpus(
    n: int, words: np.ndarray, probs: np.ndarray, rng: np.random.Generator
) -> tuple[list[Document], list[Chunk], list[str]]:
    """Documents of ``CHUNKS_PER_DOC`` chunks each, chunk texts of ~150 Zipf-distributed words."""
    documents, chunks, texts = [], [], []
    drawn = rng.choice(len(words), size=(n, WORDS_PER_CHUNK), p=probs)
    for d in range(0, n, CHUNKS_PER_DOC):
        parts = [" ".join(words[drawn[i]]) for i in range(d, min(n, d + CHUNKS_PER_DOC))]
        text = "\n\n".join(parts)
        doc_id = f"syn{d // CHUNKS_PER_DOC:07d}"
        documents.append(
            Document(
                doc_id=doc_id,
                text=text,
                title=f"Synthetic {d // CHUNKS_PER_DOC}",
                source_path=f"synthetic/{doc_id}.txt",
                segments=(SourceSegment(0, len(text), 0, len(text)),),
            )
        )
        start = 0
        for i, part in enumerate(parts):
            chunks.append(Chunk(f"{doc_id}#{i}", doc_id, start, start + len(part), part))
            texts.append(part)
            start += len(part) + 2
    return documents, chunks, texts


def centers_from(path: Path | None, dim: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    if path is not None and store.current_generation(path) is not None:
        vectors = np.load(store.current_generation(path) / "embeddings.npy")
        return vectors.astype(np.float32), f"{len(vectors)} real SciFact chunk vectors ({path})"
    centers = rng.standard_normal((10_000, dim)).astype(np.float32)
    return centers / np.linalg.norm(centers, axis=1, keepdims=True), "10,000 random centres"


def faiss_kinds(
    vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, kinds: list[str], work: Path
) -> dict:
    """Part 1: each FAISS index type alone."""
    results = {}
    for kind in kinds:
        started = time.perf_counter()
        if kind == dense.EXACT:
            index, record = dense.build_faiss(vectors), {"type": dense.EXACT}
        else:
            index, record = ann.build(kind, vectors)
        build_s = time.perf_counter() - started
        path = work / f"{kind}.faiss"
        dense.save_faiss(index, path)
        del index
        index = dense.load_faiss(path, record)
        rerank = None if kind == dense.EXACT else vectors
        times, found = [], []
        for q in queries:  # warm-up, then timed
            dense.dense_search(index, q, 100, rerank=rerank)
        for q in queries:
            t = time.perf_counter()
            ids, _ = dense.dense_search(index, q, 100, rerank=rerank)
            times.append((time.perf_counter() - t) * 1000)
            found.append(np.pad(ids[:10], (0, 10 - len(ids[:10])), constant_values=-1))
        results[kind] = {
            "build_s": round(build_s, 2),
            "size_mb": round(path.stat().st_size / 2**20, 1),
            "p50_ms": round(statistics.median(times), 3),
            "p95_ms": round(percentile(times, 0.95), 3),
            "recall_at_10": round(ann.recall_at_10(np.array(found), truth), 4),
            **{k: v for k, v in record.items() if k in ("nlist", "nprobe", "ef_search")},
        }
        path.unlink()
        print(f"  {kind:<9} {json.dumps(results[kind])}", flush=True)
    return results


def serve(index_dir: Path, queries_file: Path) -> None:
    """Part 2, in a fresh process: load the index as ``rag`` does and time ``Retriever.search``."""
    from rag.retrieve.retrieval import Retriever

    payload = json.loads(queries_file.read_text())
    texts, vectors = payload["texts"], np.array(payload["vectors"], dtype=np.float32)

    class PrecomputedQueries:
        """The embedder's query half, answered from vectors embedded beforehand (the corpus is synthetic)."""

        def __init__(self) -> None:
            self.by_text = dict(zip(texts, vectors, strict=True))

        def embed_query(self, text: str) -> np.ndarray:
            return self.by_text[text]

    rss = {"imports": _rss_mb()}
    started = time.perf_counter()
    index = store.load_index(index_dir)
    load_s = time.perf_counter() - started
    rss["loaded"] = _rss_mb()
    retriever = Retriever(index, PrecomputedQueries(), Settings())  # type: ignore[arg-type]
    stages: dict[str, list[float]] = {"search": [], "dense": [], "bm25": []}
    found = []
    for timed in (False, True):
        for text in texts:
            t0 = time.perf_counter()
            retriever.search(text, 10)
            t1 = time.perf_counter()
            ids, _ = retriever.dense(text, 100)
            t2 = time.perf_counter()
            retriever.bm25(text, 100)
            t3 = time.perf_counter()
            if timed:
                stages["search"].append((t1 - t0) * 1000)
                stages["dense"].append((t2 - t1) * 1000)
                stages["bm25"].append((t3 - t2) * 1000)
                found.append(np.pad(ids[:10], (0, 10 - len(ids[:10])), constant_values=-1).tolist())
    out = {
        "load_s": round(load_s, 2),
        # VmHWM, not getrusage: ru_maxrss of a child started by a big parent carries the parent's peak.
        "peak_rss_mb": _rss_mb("VmHWM"),
        "rss_mb": {**rss, "searched": _rss_mb()},
        "dense_index": index.dense_record,
        "found": found,
    }
    for stage, values in stages.items():
        out[f"{stage}_p50_ms"] = round(statistics.median(values), 2)
        out[f"{stage}_p95_ms"] = round(percentile(values, 0.95), 2)
    print(json.dumps(out))


def serve_runs(
    index_dir: Path, queries_file: Path, truth: np.ndarray, repeat: int, root: Path = ROOT
) -> dict:
    """``serve`` in ``repeat`` fresh processes (the code under ``root``): the median of each figure, the
    highest peak RSS, and the dense recall@10 (the same in every run)."""
    runs = []
    for _ in range(max(1, repeat)):
        served = subprocess.run(
            [sys.executable, str(root / "tests" / "benchmarks" / "bench_scale.py"), "--serve", str(index_dir),
             "--serve-queries", str(queries_file)],
            check=True, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
        )  # fmt: skip
        runs.append(json.loads(served.stdout.strip().splitlines()[-1]))
    product = dict(runs[0])
    for key in runs[0]:
        if key.endswith("_ms") or key == "load_s":
            product[key] = round(statistics.median(r[key] for r in runs), 2)
    product["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    product["runs"] = len(runs)
    product["p95_ms_each_run"] = [r["search_p95_ms"] for r in runs]
    product["dense_recall_at_10"] = round(ann.recall_at_10(np.array(product.pop("found")), truth), 4)
    return product


def baseline_runs(
    checkout: Path, index_dir: Path, queries_file: Path, truth: np.ndarray, repeat: int
) -> dict:
    """The same collection served by an older checkout of the code (``--baseline``), in the same run.

    Its dense index is rebuilt by that checkout from the same stored vectors (the index type and the search
    breadth are part of what changed); the chunk tables and BM25 files are shared (hard links).
    """
    generation = store.current_generation(index_dir)
    old_dir = index_dir.parent / f"{index_dir.name}-baseline"
    shutil.rmtree(old_dir, ignore_errors=True)
    shutil.copytree(index_dir, old_dir, copy_function=os.link)
    old_generation = old_dir / generation.relative_to(index_dir)
    (old_generation / "dense.faiss").unlink()
    (old_generation / "manifest.json").unlink()
    shutil.copy(generation / "manifest.json", old_generation / "manifest.json")
    rebuild = (
        "import json, sys, numpy as np; from pathlib import Path; from rag.index import dense\n"
        "g = Path(sys.argv[1]); x = np.load(g / 'embeddings.npy', mmap_mode='r')\n"
        "index, record = dense.build_dense_index(x, kind='auto', exact_max_chunks=100_000)\n"
        "dense.save_faiss(index, g / 'dense.faiss'); m = json.loads((g / 'manifest.json').read_text())\n"
        "m['dense_index'] = record; (g / 'manifest.json').write_text(json.dumps(m))\n"
    )
    subprocess.run(
        [sys.executable, "-c", rebuild, str(old_generation)],
        check=True, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)},
    )  # fmt: skip
    try:
        return serve_runs(old_dir, queries_file, truth, repeat, root=checkout)
    finally:
        shutil.rmtree(old_dir, ignore_errors=True)


def _rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (VmRSS) or at its peak (VmHWM), memory-mapped file pages included (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--kinds", default="flat,ivf-sq8,ivf-flat,hnsw", help="FAISS types for part 1")
    ap.add_argument("--hnsw-max", type=int, default=100_000, help="skip HNSW above this size (slow to build)")
    ap.add_argument("--centers", default=str(ROOT / ".cache" / "beir" / "scifact-c200o40"))
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one, removed)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="serve each index in this many fresh processes")
    ap.add_argument("--baseline", default=None, help="a checkout of earlier code to serve the same data with")
    ap.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--serve-queries", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(Path(args.serve), Path(args.serve_queries))
        return
    from rag.evaluation.beir import load_queries
    from rag.index.embedding import get_embedder

    settings = Settings()
    rng = np.random.default_rng(0)
    embedder = get_embedder(settings.embedder, backend=settings.embedder_backend)
    query_texts = [q.text for q in load_queries(SCIFACT, "test")][: args.queries]
    query_vectors = embedder.embed_documents(query_texts)
    centers, centers_note = centers_from(
        Path(args.centers) if args.centers else None, embedder.dimension, rng
    )
    words, probs = scifact_words()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench_scale_"))
    work.mkdir(parents=True, exist_ok=True)
    queries_file = work / "queries.json"
    queries_file.write_text(json.dumps({"texts": query_texts, "vectors": query_vectors.tolist()}))
    report: dict = {"centers": centers_note, "noise": NOISE, "queries": len(query_texts), "sizes": {}}
    print(f"vectors: clouds around {centers_note}; {len(query_texts)} SciFact test queries", flush=True)
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            print(f"\n== {n:,} chunks", flush=True)
            t = time.perf_counter()
            vectors = synthetic_vectors(n, centers, rng)
            documents, chunks, texts = synthetic_corpus(n, words, probs, rng)
            truth = ann.exact_top(vectors, query_vectors, 10)
            print(f"  synthetic data in {time.perf_counter() - t:.0f} s", flush=True)
            kinds = [k for k in args.kinds.split(",") if k and (k != "hnsw" or n <= args.hnsw_max)]
            entry: dict = {"faiss": faiss_kinds(vectors, query_vectors, truth, kinds, work)}
            index_dir = work / f"index-{n}"
            t = time.perf_counter()
            store.write_generation(
                index_dir,
                {"format_version": store.FORMAT_VERSION, "synthetic": True, "chunk_count": n},
                documents,
                chunks,
                vectors,
                texts,
                dense_index=settings.dense_index,
                exact_max_chunks=settings.exact_max_chunks,
            )
            entry["product_build_s"] = round(time.perf_counter() - t, 1)
            generation = store.current_generation(index_dir)
            sizes = {p.relative_to(generation).as_posix(): p.stat().st_size for p in generation.rglob("*")}
            entry["disk_mb"] = {
                "total": round(sum(sizes.values()) / 2**20, 1),
                "embeddings.npy": round(sizes["embeddings.npy"] / 2**20, 1),
                "dense.faiss": round(sizes["dense.faiss"] / 2**20, 1),
                "bm25": round(sum(v for k, v in sizes.items() if k.startswith("bm25/")) / 2**20, 1),
            }
            del vectors, documents, chunks, texts
            entry["product"] = serve_runs(index_dir, queries_file, truth, args.repeat)
            print(f"  product: build {entry['product_build_s']} s, disk {entry['disk_mb']}", flush=True)
            print(f"  product: {json.dumps(entry['product'])}", flush=True)
            if args.baseline:
                entry["baseline"] = baseline_runs(
                    Path(args.baseline), index_dir, queries_file, truth, args.repeat
                )
                print(f"  baseline: {json.dumps(entry['baseline'])}", flush=True)
            report["sizes"][n] = entry
            if not args.work:  # a --work folder keeps the indexes, to look at them afterwards
                shutil.rmtree(index_dir, ignore_errors=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print_tables(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
        print(f"written: {args.json}")


def print_tables(report: dict) -> None:
    print("\nFAISS alone (one query, 100 candidates; recall@10 vs exact on SciFact test queries)")
    print(
        f"{'chunks':>9} {'type':<9} {'build s':>8} {'MB':>7} {'p50 ms':>7} {'p95 ms':>7} {'recall':>7} params"
    )
    for n, entry in report["sizes"].items():
        for kind, r in entry["faiss"].items():
            params = " ".join(f"{k}={r[k]}" for k in ("nlist", "nprobe", "ef_search") if k in r)
            print(
                f"{int(n):>9,} {kind:<9} {r['build_s']:>8.1f} {r['size_mb']:>7.1f} {r['p50_ms']:>7.2f} "
                f"{r['p95_ms']:>7.2f} {r['recall_at_10']:>7.4f} {params}"
            )
    print(
        "\nThe product (Retriever.search: dense + BM25 + fusion, warm; fresh processes, median of the runs)"
    )
    print(f"{'chunks':>9} {'code':<8} {'index':<9} {'p50 ms':>7} {'p95 ms':>7} {'dense p95':>9} {'bm25 p95':>9} "
          f"{'recall':>7} {'RSS MB':>7} {'disk MB':>8} {'build s':>8} {'load s':>7}")  # fmt: skip
    for n, entry in report["sizes"].items():
        for code in ("product", "baseline"):
            if code not in entry:
                continue
            p = entry[code]
            label = "this" if code == "product" else "baseline"
            print(
                f"{int(n):>9,} {label:<8} {p['dense_index']['type']:<9} {p['search_p50_ms']:>7.2f} "
                f"{p['search_p95_ms']:>7.2f} {p['dense_p95_ms']:>9.2f} {p['bm25_p95_ms']:>9.2f} "
                f"{p['dense_recall_at_10']:>7.4f} {p['peak_rss_mb']:>7.0f} {entry['disk_mb']['total']:>8.0f} "
                f"{entry['product_build_s']:>8.1f} {p['load_s']:>7.1f}"
            )


if __name__ == "__main__":
    main()
