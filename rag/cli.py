"""The ``rag`` command: ``rag index``, ``rag ask`` (and the commands later issues add).

Errors print one line (no traceback) and exit with status 1; bad arguments exit 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

from .errors import RagError
from .settings import Settings

# Set before the model libraries are imported: never reach for the hub unless the user opted in.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_overrides(generator=getattr(args, "generator", None))


def _cmd_index(args: argparse.Namespace) -> int:
    from .indexing import build_index

    report = build_index(args.sources or None, index_dir=args.index_dir, settings=_settings(args),
                         progress=None if not args.quiet else False)
    print(report.summary() if report.changed or report.skipped else f"Up to date: {report.summary()}")
    return 0


def _print_sources(answer) -> None:
    for note in answer.notes:
        print(f"\nNote: {note}")
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            who = ", ".join(x for x in (c.author, c.date) if x)
            where = f" <{c.url}>" if c.url else ""
            print(f"  [{c.n}] {c.title}" + (f" ({who})" if who else "") + where
                  + f" — {c.doc_id}, characters {c.start}-{c.end} [{c.status}]")
    elif answer.passages:
        print("\nClosest passages (not an answer):")
        for p in answer.passages[:3]:
            print(f"  {p.title} — {p.doc_id}: {' '.join(p.text.split())[:160]}...")


def _cmd_ask(args: argparse.Namespace) -> int:
    from .answer import ask, ask_stream
    from .types import Answer

    settings = _settings(args)
    if args.json:
        answer = ask(args.question, k=args.k, index_dir=args.index_dir, settings=settings)
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    streamed: list[str] = []
    for item in ask_stream(args.question, k=args.k, index_dir=args.index_dir, settings=settings):
        if isinstance(item, Answer):
            print()
            if item.text.split() != "".join(streamed).split():  # checking changed words: show the checked answer
                print("\nChecked answer (quotes verified against the documents):\n" + item.text)
            _print_sources(item)
        else:
            streamed.append(item)
            print(item, end="", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Answers from your articles, quoted and cited.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index documents (default: the bundled seeds/ into vectors/)")
    p.add_argument("sources", nargs="*", help="files or folders (.txt .md .html .pdf .jsonl)")
    p.add_argument("--index-dir", default=None, help="where the index lives (default: vectors/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_index)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    p.add_argument("--generator", default=None, help="answer generator (default: extractive)")
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    p.set_defaults(func=_cmd_ask)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        return args.func(args)
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
