"""Warm ``ask()`` latency with the extractive generator, and the time to index the corpus.

    .venv/bin/python tests/benchmarks/bench_ask.py                       # the seeds and their question set
    .venv/bin/python tests/benchmarks/bench_ask.py --index-dir .cache/beir/scifact-c200o40 \\
        --questions ../shared/data/scifact/queries_test.jsonl            # an existing index, BEIR queries
    .venv/bin/python tests/benchmarks/bench_ask.py --backend onnx-int8 --index-dir .cache/beir/scifact-onnx \\
        --sources ../shared/data/scifact/corpus.jsonl --questions ../shared/data/scifact/queries_test.jsonl
                                                      # index SciFact with that backend first (incremental)

Prints per-stage medians and the 95th percentile over every question, after one warm-up pass, and the CPU
time of each ``ask()`` (all threads), and writes the figures as JSON (``--json PATH``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag import ask  # noqa: E402
from rag.answer import planning  # noqa: E402
from rag.answer.pipeline import get_pipeline  # noqa: E402
from rag.index import sentences  # noqa: E402
from rag.index.build import build_index  # noqa: E402
from rag.index.embedding import get_embedder  # noqa: E402
from rag.settings import Settings  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def forget_questions(pipeline) -> None:
    """Empty what the warm-up pass remembered of the questions: their vectors, their sentences' vectors,
    their plans and their passages' sentence spans (what an older tree lacks is skipped)."""
    pipeline.embedder._query_cache.clear()
    pipeline.generator()._sentence_vectors.clear()
    getattr(planning, "_RECENT", {}).clear()
    if hasattr(sentences, "_passage_spans"):
        sentences._passage_spans.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", default=None, help="an existing index (default: index a copy of seeds/)")
    ap.add_argument("--questions", default=str(ROOT / "tests" / "data" / "seeds_qa.jsonl"))
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--json", default=None)
    ap.add_argument("--backend", default=None, help="embedder backend (default: the settings' own)")
    ap.add_argument("--sources", nargs="*", default=None, help="index these into --index-dir first")
    ap.add_argument(
        "--previous-export",
        default=None,
        help="also time an older onnx-int8 export folder run one text per call, question by question "
        "alternating with the current one (e.g. .cache/onnx/all-MiniLM-L6-v2-09425e47770d-x86_64-avx512vnni)",
    )
    ap.add_argument(
        "--keep-caches",
        action="store_true",
        help="time repeated questions (query and sentence vectors cached by the warm-up pass)",
    )
    args = ap.parse_args()
    figures: dict[str, float] = {}
    settings = Settings.from_env().with_overrides(embedder_backend=args.backend)
    t = time.perf_counter()
    # load the model outside the indexing figure
    _ = get_embedder(settings.embedder, backend=settings.embedder_backend, device=settings.device).dimension
    figures["model_load_s"] = time.perf_counter() - t
    print(f"embedder {settings.embedder_backend} loaded in {figures['model_load_s']:.2f} s")
    if args.sources and args.index_dir:
        t = time.perf_counter()
        report = build_index(args.sources, index_dir=args.index_dir, settings=settings)
        figures["index_s"] = time.perf_counter() - t
        print(report.summary() if report.changed else f"Up to date: {report.summary()}")
    if args.index_dir is None:
        tmp = Path(tempfile.mkdtemp())
        shutil.copytree(ROOT / "seeds", tmp / "seeds")
        t = time.perf_counter()
        report = build_index([tmp / "seeds"], index_dir=tmp / "vectors", settings=settings)
        figures["index_s"] = time.perf_counter() - t
        print(f"indexed {report.documents} documents, {report.chunks} chunks in {figures['index_s']:.2f} s")
        index_dir = tmp / "vectors"
    else:
        index_dir = Path(args.index_dir)
    questions = []
    for line in Path(args.questions).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            questions.append((record.get("question") or record.get("text"), record.get("history")))
    questions = questions[: args.limit]
    for q, history in questions:  # warm-up: loads the index, fills the caches a long-running server has
        ask(q, history=history, index_dir=index_dir, settings=settings)
    pipeline = get_pipeline(index_dir, settings)
    encoders = {settings.embedder_backend: pipeline.embedder.model}
    if args.previous_export:
        from rag.index.onnx_backend import OnnxEncoder

        # token_budget 0: one text per call, the way every export before v2 had to be run
        encoders["previous, per text"] = OnnxEncoder(Path(args.previous_export), token_budget=0)
    if not args.keep_caches:  # warm = model and index loaded; the questions themselves are new to it
        forget_questions(pipeline)
    stages: dict[str, dict[str, list[float]]] = {name: {} for name in encoders}
    for n, (q, history) in enumerate(questions):
        names = list(encoders) if n % 2 == 0 else list(encoders)[::-1]  # load falls on both alike
        for name in names:
            pipeline.embedder._model = encoders[name]
            if len(encoders) > 1 and not args.keep_caches:
                forget_questions(pipeline)
            cpu = time.process_time()
            answer = ask(q, history=history, index_dir=index_dir, settings=settings)
            cpu = time.process_time() - cpu
            for stage, seconds in answer.timings.items():
                stages[name].setdefault(stage, []).append(seconds * 1000)
            # CPU seconds of every thread of the process: the work an answer takes, which other jobs on a
            # shared machine slow down far less than its wall time
            stages[name].setdefault("cpu", []).append(cpu * 1000)
    for name, by_stage in stages.items():
        print(
            f"{len(questions)} questions, warm{' (repeated, cached)' if args.keep_caches else ''}, "
            f"extractive generator, embedder {name} (ms):"
        )
        print(f"{'stage':<10} {'median':>8} {'p95':>8}")
        prefix = "" if name == settings.embedder_backend else "previous_"
        for stage, values in by_stage.items():
            figures[f"{prefix}{stage}_median_ms"] = statistics.median(values)
            figures[f"{prefix}{stage}_p95_ms"] = percentile(values, 0.95)
            print(f"{stage:<10} {statistics.median(values):>8.1f} {percentile(values, 0.95):>8.1f}")
    if args.json:
        figures["embedder_backend"] = settings.embedder_backend  # type: ignore[assignment]
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
