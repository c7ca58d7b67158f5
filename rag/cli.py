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
    return Settings.from_env().with_overrides(
        generator=getattr(args, "generator", None),
        llm_model=getattr(args, "model", None),
        fallback_generator="none" if getattr(args, "no_fallback", False) else None,
        ray_address=getattr(args, "ray", None),
        replicas=getattr(args, "replicas", None),
        document_rerank=getattr(args, "rerank", None),
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _add_cluster_options(p: argparse.ArgumentParser, *, replicas: bool = True) -> None:
    """--ray (and --replicas): serve a sharded index from a Ray cluster (rag/cluster/, the `cluster` extra)."""
    p.add_argument(
        "--ray", default=None, metavar="ADDRESS", help="Ray cluster of a sharded index (RAG_RAY_ADDRESS)"
    )
    if replicas:
        p.add_argument("--replicas", type=int, default=None, help="Ray Serve replicas per shard (default 1)")


def _cmd_index(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .index.build import build_index

    settings = _settings(args)
    if args.shards is not None or (settings.ray_address and _is_sharded(args.index_dir)):
        report = _index_on_ray(args, settings)
    else:
        report = build_index(
            args.sources or None,
            index_dir=args.index_dir,
            settings=settings,
            progress=None if not args.quiet else False,
            on_wait=_say,
        )
    if args.json:
        print(json.dumps({**asdict(report), "changed": report.changed}, ensure_ascii=False, indent=2))
    else:
        print(report.summary() if report.changed else f"Up to date: {report.summary()}")
    return 0


def _is_sharded(index_dir: str | None) -> bool:
    from pathlib import Path

    from .index.store import read_manifest
    from .settings import default_index_dir

    return bool((read_manifest(Path(index_dir) if index_dir else default_index_dir()) or {}).get("shards"))


def _index_on_ray(args: argparse.Namespace, settings: Settings):
    if not settings.ray_address:
        raise RagError("A sharded index is built on Ray: add --ray ADDRESS (or set RAG_RAY_ADDRESS).")
    if args.shards is not None and args.shards < 1:
        raise RagError(f"--shards must be at least 1, got {args.shards}.")
    if not args.sources or not args.index_dir:
        raise RagError(
            "A sharded build needs its sources and its folder: rag index SOURCES --index-dir DIR --ray ADDRESS."
        )
    from .cluster.errors import import_ray

    import_ray()  # a missing Ray names the extra before anything else happens
    from .cluster.indexing import build_sharded_index

    return build_sharded_index(
        args.sources, index_dir=args.index_dir, settings=settings, shards=args.shards, progress=not args.quiet
    )


def _cmd_remove(args: argparse.Namespace) -> int:
    from .index.build import remove_documents

    report = remove_documents(
        args.doc_ids, sources=args.source, index_dir=args.index_dir, settings=_settings(args), on_wait=_say
    )
    print(report.summary())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .index.health import check_index
    from .settings import default_index_dir

    result = check_index(args.index_dir or default_index_dir(), _settings(args))
    print(result.text())
    return 0 if result.ok else 1


def _print_sources(answer) -> None:
    for note in answer.notes:
        print(f"\nNote: {note}")
    if answer.citations and not answer.abstained:  # an abstention cites nothing
        print("\nSources:")
        for c in answer.citations:
            who = ", ".join(x for x in (c.author, c.date) if x)
            where = f" <{c.url}>" if c.url else ""
            print(
                f"  [{c.n}] {c.title}"
                + (f" ({who})" if who else "")
                + where
                + f" — {c.doc_id}"
                + (f", characters {c.start}-{c.end}" if c.verified else "")
                + f" [{c.status}]"
            )
    elif answer.passages:
        print("\nClosest passages (not an answer):")
        for p in answer.passages[:3]:
            print(f"  {p.title} — {p.doc_id}: {' '.join(p.text.split())[:160]}...")


def _cmd_ask(args: argparse.Namespace) -> int:
    from .answer.answering import ask, ask_stream
    from .types import Answer

    settings = _settings(args)
    if args.json:
        answer = ask(args.question, k=args.k, index_dir=args.index_dir, settings=settings)
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    # Only the checked answer is printed, unless RAG_STREAM_DRAFTS asks for an LLM's draft as it streams (then
    # the checked answer follows it). The extractive draft would differ only in the numbering of the markers.
    live = settings.generator != "extractive" and settings.stream_drafts
    streamed: list[str] = []
    if settings.generator != "extractive" and not live and sys.stderr.isatty():
        print("Writing the answer and checking its quotes…", file=sys.stderr, flush=True)
    for item in ask_stream(args.question, k=args.k, index_dir=args.index_dir, settings=settings):
        if not isinstance(item, Answer):
            streamed.append(item)
            if live:
                print(item, end="", flush=True)
            continue
        if not live:
            print(item.text)
        elif item.model_text:  # what streamed is the model's own text, and none of it is supported
            print(
                "\n\nChecked answer (the text above is the model's own; no quote in it was found in the "
                "documents):\n" + item.text
            )
        elif item.text.split() != "".join(streamed).split():
            print("\n\nChecked answer (quotes verified against the documents):\n" + item.text)
        else:
            print()
        if item.uncited:
            print("\nUncited (no verified quote supports these sentences):")
            print("\n".join(f"  - {sentence}" for sentence in item.uncited))
        _print_sources(item)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .optional import require

    require("gradio", extra="ui", purpose="rag serve")  # one line, not a traceback, on a partial install
    import ui.app  # lazily: gradio takes seconds to import

    auth = None
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep or not user or not password:
            raise RagError("--auth takes USER:PASS, for example --auth alice:s3cret.")
        auth = (user, password)
    ui.app.serve(
        host=args.host,
        port=args.port,
        index_dir=args.index_dir,
        share=args.share,
        auth=auth,
        settings=_settings(args),
        api_key=args.api_key or os.environ.get("RAG_API_KEY") or None,
    )
    return 0


def _cmd_mcp(args: argparse.Namespace) -> int:
    from .serve.mcp_server import run_stdio  # lazily: only `rag mcp` needs the MCP SDK loaded

    run_stdio(args.index_dir, _settings(args))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from .optional import require

    require("matplotlib", extra="eval", purpose="rag eval (its report.png)")  # before the work, not after
    from .evaluation.command import run_eval  # lazily: matplotlib and the evaluation load only for `rag eval`

    return run_eval(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Answers from your articles, quoted and cited.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index documents (default: the bundled seeds/ into vectors/)")
    p.add_argument("sources", nargs="*", help="files or folders (.txt .md .html .pdf .jsonl)")
    p.add_argument("--index-dir", default=None, help="where the index lives (default: vectors/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--shards", type=int, default=None, help="build a sharded index of this many shards (on --ray)"
    )
    _add_cluster_options(p, replicas=False)
    p.set_defaults(func=_cmd_index)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    p.add_argument(
        "--generator",
        default=None,
        help="answer generator: extractive (default), llamacpp, openai, transformers, or a plugin's name",
    )
    p.add_argument(
        "--model",
        default=None,
        help="LLM: a .gguf file (llamacpp), the served model's name (openai), or a local model "
        "folder (transformers); default RAG_LLM_MODEL",
    )
    p.add_argument(
        "--no-fallback",
        action="store_true",
        help="fail when the generator fails, instead of answering with extractive",
    )
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    _add_cluster_options(p)
    p.set_defaults(func=_cmd_ask)

    p = sub.add_parser("serve", help="start the chat in the browser (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: local only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    p.add_argument("--share", action="store_true", help="open a public gradio.live link (off by default)")
    p.add_argument("--auth", default=None, metavar="USER:PASS", help="require this user name and password")
    p.add_argument("--generator", default=None, help="the generator selected at start (default: extractive)")
    p.add_argument(
        "--api-key",
        default=None,
        metavar="KEY",
        help="require 'Authorization: Bearer KEY' on /v1 and /mcp (default: RAG_API_KEY; none: open)",
    )
    _add_cluster_options(p)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("mcp", help="serve the Model Context Protocol over stdio (for Claude Desktop, IDEs)")
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    p.add_argument(
        "--generator", default=None, help="the default generator of the ask tool (default: extractive)"
    )
    p.set_defaults(func=_cmd_mcp)

    p = sub.add_parser("eval", help="score answers on a question set, or retrieval on a BEIR corpus")
    p.add_argument("questions", nargs="?", default=None, help="question file (JSONL, one question per line)")
    p.add_argument("--generator", default=None, help="answer generator (default: extractive)")
    p.add_argument("--k", type=int, default=None, help="passages to retrieve per question (default 5)")
    p.add_argument("--out", default="eval-out", help="folder for the report files (default: eval-out/)")
    p.add_argument("--index-dir", default=None, help="the index the questions are about (default: vectors/)")
    p.add_argument("--beir", default=None, metavar="DIR", help="evaluate retrieval on a BEIR-format folder")
    p.add_argument("--split", default="test", choices=("test", "train", "dev"), help="BEIR split")
    p.add_argument("--cache-dir", default=None, help="where BEIR indexes are cached (default: .cache/beir/)")
    p.add_argument(
        "--rerank",
        default=None,
        metavar="NAME",
        help="BEIR: re-rank the top documents: none (default) or late (MaxSim + best stored sentence; slower)",
    )
    p.add_argument(
        "--part",
        default=None,
        choices=("calibration", "heldout", "all"),
        help="only this part of the questions",
    )
    p.add_argument("--limit", type=int, default=None, help="only the first N questions or queries")
    p.add_argument("--floors", default=None, metavar="FILE", help="exit 1 when a figure is below its floor")
    p.add_argument("--write-floors", default=None, metavar="FILE", help="record floors from this run in FILE")
    p.add_argument("--margin", type=float, default=0.02, help="floor = measured - margin (default 0.02)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_cluster_options(p)
    p.set_defaults(func=_cmd_eval)

    p = sub.add_parser(
        "remove", help="remove documents from an index (uploads are deleted, other files kept)"
    )
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="ids of the documents to remove")
    p.add_argument(
        "--source", action="append", default=[], metavar="PATH", help="stop indexing this recorded source"
    )
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    p.set_defaults(func=_cmd_remove)

    p = sub.add_parser("check", help="report an index's health (exit 1 when it is damaged or missing)")
    p.add_argument("--index-dir", default=None, help="the index folder (default: vectors/)")
    p.set_defaults(func=_cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (
        sys.stdout,
        sys.stderr,
    ):  # a latin-1 terminal gets "?" for what it cannot show, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
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
