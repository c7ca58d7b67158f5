"""BEIR-format benchmarks (SciFact and friends): queries, relevance judgements, and document rankings."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from ..retrieval import Retriever


@dataclass(frozen=True)
class BeirQuery:
    query_id: str
    text: str


def load_queries(folder: Path, split: str) -> list[BeirQuery]:
    """``queries_{split}.jsonl`` (or BEIR's ``queries.jsonl`` filtered by the split's qrels)."""
    path = folder / f"queries_{split}.jsonl"
    if not path.exists():
        path = folder / "queries.jsonl"
    wanted = set(load_qrels(folder, split))
    queries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if str(record["_id"]) in wanted:
                queries.append(BeirQuery(str(record["_id"]), record["text"]))
    return queries


def load_qrels(folder: Path, split: str) -> dict[str, dict[str, int]]:
    """``{query_id: {doc_id: relevance}}`` from ``qrels_{split}.tsv`` (or BEIR's ``qrels/{split}.tsv``)."""
    path = folder / f"qrels_{split}.tsv"
    if not path.exists():
        path = folder / "qrels" / f"{split}.tsv"
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels.setdefault(str(row["query-id"]), {})[str(row["corpus-id"])] = int(row["score"])
    return qrels


def rank_documents(retriever: Retriever, query: str, n_docs: int = 100, *, method: str | None = None,
                   dense_weight: float | None = None) -> list[tuple[str, float]]:
    """Documents ranked by their best chunk: (doc_id, score), best first, at most ``n_docs``."""
    chunks = retriever.index.chunks
    hits = retriever.search(query, k=min(len(chunks), n_docs * 3), method=method, dense_weight=dense_weight,
                            use_mmr=False)
    best: dict[str, float] = {}
    for hit in hits:
        doc_id = chunks[hit.row].doc_id
        if doc_id not in best:
            best[doc_id] = hit.score
    return list(best.items())[:n_docs]
