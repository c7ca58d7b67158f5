"""How SciFact questions are answered: the share answered (not abstained), and the share whose first quote
comes from a document the qrels mark relevant. For comparing code versions on the train split only.

    .venv/bin/python tests/benchmarks/scifact_answers.py --index-dir /tmp/ask-scifact \\
        --questions ../shared/data/scifact/queries_train.jsonl --qrels ../shared/data/scifact/qrels_train.tsv \\
        --limit 100 --out /tmp/answers.jsonl

Writes each question's first cited document and quote (``--out``) so that two runs can be diffed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag import ask  # noqa: E402
from rag.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--questions", required=True)
    ap.add_argument("--qrels", required=True)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--backend", default="onnx-int8")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    settings = Settings.from_env().with_overrides(embedder_backend=args.backend)
    relevant: dict[str, set[str]] = {}
    with open(args.qrels, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if int(row.get("score", 1)) > 0:
                relevant.setdefault(row["query-id"], set()).add(row["corpus-id"])
    records = [
        json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line
    ]
    records = [r for r in records if r["_id"] in relevant][: args.limit]
    rows = []
    for r in records:
        answer = ask(r["text"], index_dir=args.index_dir, settings=settings)
        first = answer.citations[0] if answer.citations else None
        rows.append(
            {
                "id": r["_id"],
                "answered": not answer.abstained,
                "doc_id": first.doc_id if first else None,
                "relevant": bool(first and first.doc_id in relevant[r["_id"]]),
                "quote": first.quote if first else None,
            }
        )
    n = len(rows)
    answered = sum(r["answered"] for r in rows)
    print(
        f"{n} questions: answered {answered / n:.3f}, first quote from a relevant document "
        f"{sum(r['relevant'] for r in rows) / n:.3f} (of answered: "
        f"{sum(r['relevant'] for r in rows if r['answered']) / max(answered, 1):.3f})"
    )
    if args.out:
        Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
