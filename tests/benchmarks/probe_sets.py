"""Run probe sets (invented pages and questions written by engineers who never read the code) through ``ask()``
and judge each answer; print the figures per kind, and compare two runs question by question.

A probe set is a folder with ``docs/`` (the pages) and ``questions.jsonl`` (``id``, ``question``, ``kind``,
``answerable``, ``answers``: phrases a right answer contains, ``docs``: the files its quotes may come from,
``min_docs``: how many of them a comparison must quote, ``evidence``). An answerable question passes with every
expected phrase in the answer and a quote from an expected page (from ``min_docs`` of them); an unanswerable one
passes only by abstaining.

    .venv/bin/python tests/benchmarks/probe_sets.py run TAG tests/data/probes/p4[7-9] tests/data/probes/p5[01]
    .venv/bin/python tests/benchmarks/probe_sets.py compare OLD_TAG NEW_TAG

Each set is indexed once per code tree under ``--index-root`` (default ``.cache/probes/``); results go to
``--out`` (default ``eval-out/probes/``)/TAG/SET.json. To run the previous code, run this script from a
``git archive`` of it with ``PYTHONPATH`` set to that tree and another ``--index-root`` (ingestion may differ).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _norm(text: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("**", "")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).casefold()


def judge(question: dict[str, Any], answer: Any) -> tuple[bool, list[str], list[str]]:
    """Whether ``answer`` passes ``question``, the files its verified quotes come from, and why it failed."""
    quoted = [c for c in answer.citations if c.verified and c.quote]
    files = [Path(c.source_path).name if c.source_path else c.doc_id for c in quoted]
    if not question["answerable"]:
        return answer.abstained, files, [] if answer.abstained else ["answered"]
    if answer.abstained:
        return False, files, ["abstained"]
    said = _norm(answer.text + " " + " ".join(c.quote for c in quoted))
    why = [f"missing {a!r}" for a in question["answers"] if _norm(a) not in said]
    right = {f for f in files if f in question["docs"]}
    if not right:
        why.append("no quote from " + ", ".join(question["docs"]))
    elif len(right) < question.get("min_docs", 1):
        why.append(f"quotes from {len(right)} expected page(s), fewer than {question['min_docs']}")
    return not why, files, why


def run(tag: str, sets: list[Path], index_root: Path, out: Path, show: bool) -> None:
    import rag

    total: collections.Counter[str] = collections.Counter()
    right: collections.Counter[str] = collections.Counter()
    (out / tag).mkdir(parents=True, exist_ok=True)
    for folder in sets:
        index_dir = index_root / folder.name
        if not (index_dir / "CURRENT").exists():
            rag.build_index([folder / "docs"], index_dir=index_dir)
        rows = []
        for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            question = json.loads(line)
            answer = rag.ask(question["question"], index_dir=index_dir)
            ok, files, why = judge(question, answer)
            total[question["kind"]] += 1
            right[question["kind"]] += ok
            rows.append(
                {
                    **{k: question[k] for k in ("id", "kind", "question")},
                    "ok": ok,
                    "why": why,
                    "files": files,
                    "text": answer.text,
                    "abstained": answer.abstained,
                }
            )
            if show and not ok:
                print(
                    f"--- {question['id']} [{question['kind']}] {question['question']}\n  {why}\n  {answer.text[:600]}\n"
                )
        (out / tag / f"{folder.name}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    kinds = " ".join(f"{k} {right[k]}/{total[k]}" for k in sorted(total))
    print(f"{tag}: {kinds}; all {sum(right.values())}/{sum(total.values())}")


def compare(old: str, new: str, out: Path) -> None:
    for path in sorted((out / new).glob("*.json")):
        before_path = out / old / path.name
        if not before_path.exists():
            continue
        before = {r["id"]: r for r in json.loads(before_path.read_text(encoding="utf-8"))}
        for row in json.loads(path.read_text(encoding="utf-8")):
            was = before.get(row["id"])
            if was and (was["ok"] != row["ok"] or was["text"] != row["text"]):
                change = "text" if was["ok"] == row["ok"] else f"{was['ok']} -> {row['ok']}"
                print(f"{path.stem} {row['id']} [{row['kind']}] {change}: {row['question'][:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index-root", type=Path, default=Path(".cache/probes"))
    parser.add_argument("--out", type=Path, default=Path("eval-out/probes"))
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="ask every question of the sets; print the figures per kind")
    run_parser.add_argument("tag")
    run_parser.add_argument("sets", nargs="+", type=Path)
    run_parser.add_argument("--show", action="store_true", help="print each failed question and its answer")
    compare_parser = sub.add_parser("compare", help="the questions whose result or text changed")
    compare_parser.add_argument("old")
    compare_parser.add_argument("new")
    args = parser.parse_args()
    if args.command == "run":
        run(args.tag, args.sets, args.index_root, args.out, args.show)
    else:
        compare(args.old, args.new, args.out)


if __name__ == "__main__":
    main()
