"""``ask()`` with and without speed paths, question by question in one process: a paired comparison.

    nice .venv/bin/python tests/benchmarks/bench_ask_paired.py --index-dir /tmp/ask-scifact \\
        --questions ../shared/data/scifact/queries_test.jsonl --limit 100 --repeat 3

On a machine that other jobs load, two runs of ``bench_ask_compare.py`` minutes apart can differ by 2x; here
each question is asked with the path on and off back to back (alternating which goes first), so both halves
of a pair meet the same load, and the median of the pairs' ratios is what to quote. The paths switched
off together (``--paths``, default both):

- ``prefetch``: the question's vector computed in the background while it is planned and BM25 searched
  (``Embedder.prefetch_query``); off, it is computed when the dense search needs it. The prefetch starts
  only while a core is spare (load average under the cores); ``--always`` starts it regardless.
- ``inline``: of a few onnxruntime calls (a question's sentences) the first runs in the calling thread
  (``OnnxEncoder.inline_first``); off, every call is handed to the encoder's thread pool.
- ``ahead``: a second round of sentence scoring that is certain is embedded in the background while the
  first round's answer checks run (``generators/ahead.py``); off, it is embedded when the round asks.

Every cache a question fills (its vector, its sentences' vectors, its plan, its passages' sentence spans) is
emptied before each ask, as in ``bench_ask.py``. Answers must be the same text both ways: checked.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_ask import forget_questions, percentile  # noqa: E402

from rag import ask  # noqa: E402
from rag.answer.pipeline import get_pipeline  # noqa: E402
from rag.index import embedding  # noqa: E402
from rag.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--questions", required=True)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the questions (each pass paired)")
    ap.add_argument("--backend", default="onnx-int8")
    ap.add_argument("--always", action="store_true", help="prefetch even when no core is spare")
    ap.add_argument(
        "--paths", nargs="+", choices=("prefetch", "inline", "ahead"), default=["prefetch", "inline", "ahead"]
    )
    args = ap.parse_args()
    if args.always:
        embedding._core_to_spare = lambda: True
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    settings = Settings.from_env().with_overrides(embedder_backend=args.backend)
    questions = []
    for line in Path(args.questions).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            questions.append(record.get("question") or record.get("text"))
    questions = questions[: args.limit]
    for q in questions:  # warm-up: loads the model and the index
        ask(q, index_dir=args.index_dir, settings=settings)
    pipeline = get_pipeline(Path(args.index_dir), settings)
    embedder, generator = pipeline.embedder, pipeline.generator()
    prefetch, second_round = embedder.prefetch_query, generator._embed_second_round
    started: set[str] = set()  # the questions whose second round was certain
    asking = [""]

    def ahead(*args: object) -> None:
        started.add(asking[0])
        second_round(*args)

    def nothing(*_args: object) -> None:
        return None

    modes = {
        "on": (prefetch, ahead, True),
        "off": (
            nothing if "prefetch" in args.paths else prefetch,
            nothing if "ahead" in args.paths else ahead,
            "inline" not in args.paths,
        ),
    }
    times: dict[str, dict[str, list[float]]] = {m: {"total": [], "retrieve": []} for m in modes}
    ratios: list[tuple[str, float]] = []
    for r in range(args.repeat):
        for n, q in enumerate(questions):
            asking[0] = q
            texts = {}
            pair = {}
            for mode in list(modes) if (n + r) % 2 == 0 else list(modes)[::-1]:
                forget_questions(pipeline)
                embedder.prefetch_query, generator._embed_second_round, inline = modes[mode]  # type: ignore[method-assign]
                embedder.model.inline_first = inline
                t = time.perf_counter()
                answer = ask(q, index_dir=args.index_dir, settings=settings)
                pair[mode] = time.perf_counter() - t
                times[mode]["total"].append(answer.timings["total"] * 1000)
                times[mode]["retrieve"].append(answer.timings["retrieve"] * 1000)
                texts[mode] = answer.text
            embedder.prefetch_query, generator._embed_second_round = prefetch, ahead  # type: ignore[method-assign]
            embedder.model.inline_first = True
            if texts["on"] != texts["off"]:
                raise SystemExit(f"the answer changed with {' and '.join(args.paths)}: {q!r}")
            ratios.append((q, pair["on"] / pair["off"]))
    print(
        f"{len(questions)} questions x {args.repeat} passes, each asked with {' and '.join(args.paths)} on and off (ms):"
    )
    print(f"{'':<5} {'total median':>13} {'p95':>8} {'retrieve median':>16} {'p95':>8}")
    for mode, t in times.items():
        print(
            f"{mode:<5} {statistics.median(t['total']):>13.1f} {percentile(t['total'], 0.95):>8.1f}"
            f" {statistics.median(t['retrieve']):>16.2f} {percentile(t['retrieve'], 0.95):>8.2f}"
        )
    print(f"on/off: median of the {len(ratios)} pairs' ratios {statistics.median(r for _, r in ratios):.3f}")
    two = [r for q, r in ratios if q in started]
    if two:
        print(f"        of the {len(two)} pairs with a certain second round: {statistics.median(two):.3f}")
    print("answers identical")


if __name__ == "__main__":
    main()
