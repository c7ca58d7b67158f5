"""Whole-process indexing time: `rag index` against a plain sentence-transformers script on the same texts.

    nice .venv/bin/python tests/benchmarks/bench_index_process.py                      # 1000 docs, 3 pairs
    nice .venv/bin/python tests/benchmarks/bench_index_process.py --base /tmp/base     # + previous code

Writes the first ``--docs`` SciFact documents to a temporary JSONL file, and the texts the product embeds for
them (its own reading, chunking and title prefix) to a JSON file. Then, in interleaved rounds, it times from
outside, start-up included:

- A: ``python -m rag index DOCS.jsonl --index-dir TMP --quiet`` (a fresh index each time);
- B: a plain script, ``SentenceTransformer(model).encode(texts, batch_size=32)`` on the same texts;
- with ``--base``: A run from another checkout (``git archive main | tar -x -C /tmp/base``), same Python.

Prints the median wall time of each and the median of the per-round ratios B/A (A's speed-up over plain
sentence-transformers), with the load average at the start and at the end: the machine is shared, so only
figures from one run, interleaved, are compared. The ONNX export is made (and cached) by a warm-up run first.
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

from rag.index.build import index_text  # noqa: E402
from rag.index.chunking import chunk_document  # noqa: E402
from rag.index.embedding import get_embedder, resolve_model_path  # noqa: E402
from rag.index.records import chunker_settings, window_test  # noqa: E402
from rag.ingest import load_documents  # noqa: E402
from rag.settings import Settings  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "data" / "scifact"

# The yardstick: sentence-transformers as a user would call it, nothing else.
PLAIN = """
import json, sys
from sentence_transformers import SentenceTransformer
texts = json.load(open(sys.argv[2], encoding="utf-8"))
model = SentenceTransformer(sys.argv[1])
vectors = model.encode(texts, batch_size=32)
assert vectors.shape[0] == len(texts)
"""


def product_texts(docs: Path, settings: Settings) -> list[str]:
    """What `rag index` embeds for ``docs``: its reading, chunking (window test included) and title prefix."""
    embedder = get_embedder(
        settings.embedder, backend=settings.embedder_backend, batch_size=settings.batch_size
    )
    texts = []
    for document in load_documents([docs]).documents:
        for chunk in chunk_document(document, chunker_settings(settings), window_test(embedder, document)):
            texts.append(index_text(document, chunk))
    return texts


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="first N SciFact documents (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--base", type=Path, help="another checkout whose `rag index` is timed too")
    parser.add_argument("--corpus", type=Path, default=SCIFACT / "corpus.jsonl")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    settings = Settings.from_env()
    work = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        docs = work / "docs.jsonl"
        with open(args.corpus, encoding="utf-8") as f, open(docs, "w", encoding="utf-8") as out:
            for _, line in zip(range(args.docs), f, strict=False):
                out.write(line)
        texts = product_texts(docs, settings)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        print(f"{args.docs} documents, {len(texts):,} chunk texts ({settings.embedder_backend})", flush=True)

        commands: dict[str, tuple[list[str], Path]] = {}
        for label, tree in (("rag index", ROOT), ("rag index (base)", args.base)):
            if tree is not None:
                index = work / f"index-{len(commands)}"
                commands[label] = ([sys.executable, "-m", "rag", "index", str(docs), "--index-dir", str(index),
                                    "--quiet"], tree)  # fmt: skip
        model = resolve_model_path(settings.embedder)
        commands["sentence-transformers"] = ([sys.executable, "-c", PLAIN, model, str(texts_file)], ROOT)

        def run(label: str) -> float:
            command, tree = commands[label]
            if "--index-dir" in command:
                shutil.rmtree(command[command.index("--index-dir") + 1], ignore_errors=True)
            env = {**os.environ, "PYTHONPATH": str(tree)}
            return timed(command, tree, env)

        for label in commands:  # warm-up: file caches, and the ONNX export on a first run
            run(label)
        load_start = os.getloadavg()
        walls: dict[str, list[float]] = {label: [] for label in commands}
        for round_ in range(args.rounds):
            order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
            for label in order:
                walls[label].append(run(label))
            print(
                f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in walls.items()),
                flush=True,
            )
        load_end = os.getloadavg()

        plain = walls["sentence-transformers"]
        figures = {
            "docs": args.docs,
            "texts": len(texts),
            "load_start": load_start[0],
            "load_end": load_end[0],
        }
        print(f"\nload average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end")
        print(f"{'process':<24}{'median wall s':>14}{'chunks/s':>10}{'x plain ST':>12}")
        for label, values in walls.items():
            ratio = statistics.median(p / a for p, a in zip(plain, values, strict=True))
            median = statistics.median(values)
            print(f"{label:<24}{median:>14.1f}{len(texts) / median:>10.1f}{ratio:>11.2f}x")
            figures[label] = {"walls": values, "median": median, "ratio_to_plain": ratio}
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
