"""``ask()`` latency of this checkout against another copy of the code (the previous one), in the same run.

    mkdir /tmp/ask-base && git archive HEAD | tar -x -C /tmp/ask-base     # before changing anything
    .venv/bin/python tests/benchmarks/bench_ask_compare.py --base /tmp/ask-base --rounds 3 -- \\
        --backend onnx-int8 --index-dir /tmp/ask-scifact --questions ../shared/data/scifact/queries_test.jsonl \\
        --limit 100

Runs ``tests/benchmarks/bench_ask.py`` (the arguments after ``--``) from each tree in turn, alternating which
goes first, so that the machine's load falls on both alike; prints each run's ``ask()`` median and p95, the
median over runs of each, and their ratios. Both trees must read the same index format.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(root: Path, bench_args: list[str]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "PYTHONPATH": str(root)}
        script = root / "tests" / "benchmarks" / "bench_ask.py"
        subprocess.run(
            [sys.executable, str(script), *bench_args, "--json", out.name], check=True, env=env, cwd=root
        )
        return json.loads(Path(out.name).read_text())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="the previous code's tree (e.g. from git archive)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("bench_args", nargs=argparse.REMAINDER, help="after --: bench_ask.py's arguments")
    args = ap.parse_args()
    bench_args = [a for a in args.bench_args if a != "--"]
    # paths in the arguments are this checkout's: make them absolute so that both trees read the same files
    bench_args = [str(Path(a).resolve()) if Path(a).exists() else a for a in bench_args]
    trees = {"base": Path(args.base).resolve(), "new": ROOT}
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name in list(trees) if r % 2 == 0 else list(trees)[::-1]:
            f = run(trees[name], bench_args)
            figures[name].append(f)
            print(
                f"round {r + 1} {name}: ask() median {f['total_median_ms']:.1f} ms, p95 {f['total_p95_ms']:.1f} ms"
            )
    summary = {}
    for name, runs in figures.items():
        summary[name] = {
            key: statistics.median(f[key] for f in runs) for key in runs[0] if key.endswith("_ms")
        }
    print(f"median over {args.rounds} runs of each (ms):")
    print(f"{'stage':<22} {'base':>8} {'new':>8} {'new/base':>9}")
    for key in summary["base"]:
        if key in summary["new"]:
            b, n = summary["base"][key], summary["new"][key]
            print(f"{key:<22} {b:>8.1f} {n:>8.1f} {n / b if b else float('nan'):>9.2f}")


if __name__ == "__main__":
    main()
