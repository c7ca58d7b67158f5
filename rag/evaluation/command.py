"""``rag eval``: the command-line front of the evaluation (argument parsing lives in ``rag.cli``)."""

from __future__ import annotations

import argparse
import logging
import shlex
from pathlib import Path

from ..errors import RagError
from ..settings import Settings
from .floors import below_floors, flatten, read_floors, write_floors

log = logging.getLogger(__name__)


def _command_line(args: argparse.Namespace) -> str:
    """The ``rag eval`` command that reproduces this run (recorded in a floors file)."""
    parts = ["rag", "eval", str(args.questions)]
    options = (
        ("--part", getattr(args, "part", None)),
        ("--index-dir", args.index_dir),
        ("--k", args.k),
        ("--generator", args.generator),
    )
    for flag, value in options:
        if value is not None:
            parts += [flag, str(value)]
    return shlex.join([*parts, "--write-floors", str(args.write_floors), "--margin", str(args.margin)])


def _print_figures(figures: dict, out: Path) -> None:
    for name, value in flatten(figures).items():
        if isinstance(value, float):
            print(f"  {name:<40} {value:.3f}")
        elif value is not None:
            print(f"  {name:<40} {value}")
    print(f"Report: {out / 'report.md'}")


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Run the evaluation ``args`` asks for; 0 when done (and every floor holds), 1 under a floor.

    Raises:
        RagError: conflicting or missing arguments, a broken question file or BEIR folder, no index.
    """
    out = Path(args.out)
    progress = not args.quiet
    if (args.beir is None) == (args.questions is None):
        raise RagError(
            "Give either a question file (rag eval QUESTIONS.jsonl) or --beir DIR, not both or neither."
        )
    if args.beir is not None:
        if args.floors or args.write_floors:
            raise RagError("--floors and --write-floors apply to a question file, not to --beir.")
        from .beir_report import write_beir_report
        from .benchmark import DEFAULT_CACHE, evaluate_beir

        result = evaluate_beir(
            args.beir,
            args.split,
            settings=settings,
            cache_dir=args.cache_dir or DEFAULT_CACHE,
            progress=progress,
            limit=args.limit,
        )
        write_beir_report(result, out)
        rerank = (
            "" if settings.document_rerank == "none" else f", documents re-ranked: {settings.document_rerank}"
        )
        print(
            f"{result.name} {args.split}: {result.figures['queries']} queries, index {result.config['index']}"
            + rerank
        )
        _print_figures(result.figures, out)
        print(f"Run file: {out / 'run.tsv'}")
        return 0

    from .kinds import select_part
    from .questions import load_questions
    from .report import write_report
    from .runner import evaluate

    questions = select_part(load_questions(args.questions), getattr(args, "part", None))[: args.limit]
    if not questions:
        raise RagError(f"No question of {args.questions} is in the part {args.part!r}.")
    evaluation = evaluate(
        questions,
        index_dir=args.index_dir,
        k=args.k,
        generator=args.generator,
        settings=settings,
        progress=progress,
    )
    floors = read_floors(args.floors) if args.floors else None
    regressions = below_floors(evaluation.figures, floors) if floors else []
    title = f"Evaluation of {Path(args.questions).name}"
    write_report(evaluation, out, title=title, floors=floors, regressions=regressions)
    _print_figures(evaluation.figures, out)
    if args.write_floors:
        record = write_floors(
            args.write_floors,
            evaluation.figures,
            margin=args.margin,
            how=_command_line(args),
            config=evaluation.config,
        )
        print(
            f"Floors written to {args.write_floors} ({len(record['floors'])} figures, margin {args.margin})."
        )
    if regressions:
        print("Below the floors in " + str(args.floors) + ":\n  " + "\n  ".join(regressions))
        return 1
    return 0
