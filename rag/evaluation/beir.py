"""BEIR-format benchmarks (SciFact and friends): queries, relevance judgements, and document rankings."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import QuestionSetError
from ..retrieve import documents
from ..retrieve.retrieval import Retriever


@dataclass(frozen=True)
class BeirQuery:
    query_id: str
    text: str
    # SciFact's gold rationales: (doc_id, sentence indices into corpus_sentences.jsonl); empty elsewhere
    evidence: tuple[tuple[str, tuple[int, ...]], ...] = ()


def check_folder(folder: Path, split: str) -> Path:
    """The corpus file of a BEIR folder, after checking the split's files are there.

    Raises:
        QuestionSetError: a file is missing (the message lists what a BEIR folder holds).
    """
    layout = (
        f"a BEIR folder holds corpus.jsonl, queries_{split}.jsonl (or queries.jsonl) and "
        f"qrels_{split}.tsv (or qrels/{split}.tsv)"
    )
    corpus = folder / "corpus.jsonl"
    if not folder.is_dir() or not corpus.is_file():
        raise QuestionSetError(f"No corpus.jsonl in {folder}: {layout}.")
    if not any(p.is_file() for p in (folder / f"queries_{split}.jsonl", folder / "queries.jsonl")):
        raise QuestionSetError(f"No queries for split '{split}' in {folder}: {layout}.")
    if not any(p.is_file() for p in (folder / f"qrels_{split}.tsv", folder / "qrels" / f"{split}.tsv")):
        raise QuestionSetError(f"No relevance judgements for split '{split}' in {folder}: {layout}.")
    return corpus


def _evidence(record: dict) -> tuple[tuple[str, tuple[int, ...]], ...]:
    items = record.get("evidence")
    if not isinstance(items, list):
        return ()
    return tuple(
        (str(e["doc_id"]), tuple(int(i) for i in e.get("sentences", ())))
        for e in items
        if isinstance(e, dict) and "doc_id" in e
    )


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
                queries.append(BeirQuery(str(record["_id"]), record["text"], _evidence(record)))
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


def rank_documents(
    retriever: Retriever,
    query: str,
    n_docs: int = 100,
    *,
    method: str | None = None,
    dense_weight: float | None = None,
) -> list[tuple[str, float]]:
    """Documents for ``query``: (doc_id, score), best first, at most ``n_docs``.

    The product's document ranking (``rag.retrieve.documents``); with ``method`` or ``dense_weight`` given
    (a tuning script's chunk fusion), documents ranked by their best fused chunk under that fusion.
    """
    if method is None and dense_weight is None:
        return documents.rank_documents(retriever, query, n_docs)
    return documents.rank_by_best_chunk(retriever, query, n_docs, method=method, dense_weight=dense_weight)


def load_sentences(folder: Path, doc_ids: set[str]) -> dict[str, list[str]]:
    """``{doc_id: [sentence, ...]}`` for ``doc_ids`` from SciFact's ``corpus_sentences.jsonl``, if any."""
    path = folder / "corpus_sentences.jsonl"
    if not path.is_file():
        return {}
    sentences: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if str(record["_id"]) in doc_ids:
                sentences[str(record["_id"])] = list(record["sentences"])
    return sentences


def load_published(folder: Path) -> dict[str, dict[str, float | None]]:
    """Published figures from the folder's ``README.md``: ``{system: {"ndcg@10": 0.645, "recall@100": ...}}``.

    Reads the first markdown table whose header names nDCG@10; a cell that is not a number ("—") is None.
    Empty when there is no README or no such table.
    """
    path = folder / "README.md"
    if not path.is_file():
        return {}
    header: list[str] | None = None
    published: dict[str, dict[str, float | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = (
            [c.strip() for c in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else None
        )
        if cells is None:
            if header is not None and published:
                break
            header = None
            continue
        if header is None:
            if any(c.lower() == "ndcg@10" for c in cells):
                header = [c.lower() for c in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        values: dict[str, float | None] = {}
        for name, cell in zip(header[1:], cells[1:], strict=False):
            if "@" in name:
                try:
                    values[name] = float(cell)
                except ValueError:
                    values[name] = None
        published[cells[0]] = values
    return published
