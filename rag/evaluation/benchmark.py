"""``rag eval --beir DIR``: index a BEIR corpus (cached), rank it for every query, score against the qrels
and the published numbers, and for SciFact score the sentence the extractive generator quotes.

The index lives in ``<cache>/<corpus folder name>-<hash of corpus path and index settings>``: the next run
with the same corpus and settings reuses it, and ``build_index`` (incremental) re-embeds only the documents
that changed when the corpus file did. An index of the same corpus file (same sha256) built with the same
settings anywhere else in the cache (a tuning script's) is reused as it is, read-only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..answer.generators.extractive import ExtractiveGenerator
from ..answer.pipeline import get_pipeline
from ..answer.quotes import find_verbatim, verify_answer
from ..index import health, store
from ..index.build import build_index, build_settings_record
from ..index.embedding import get_embedder
from ..retrieve.document_rerank import check_rerank
from ..retrieve.retrieval import Retriever
from ..settings import Settings, cache_dir
from ..types import Document, Passage
from .answer_metrics import percentile, spans_overlap
from .beir import (
    BeirQuery,
    check_folder,
    load_published,
    load_qrels,
    load_queries,
    load_sentences,
    rank_documents,
)
from .metrics import mrr_at_k, ndcg_at_k, recall_at_k

log = logging.getLogger(__name__)

DEFAULT_CACHE = cache_dir() / "beir"
RUN_DEPTH = 100  # documents per query in run.tsv, as BEIR's evaluation


@dataclass
class BeirEvaluation:
    """Figures of one BEIR run, each query's ranking, and (SciFact) each query's quote."""

    name: str
    split: str
    figures: dict[str, Any]
    published: dict[str, dict[str, float | None]]
    rankings: dict[str, list[tuple[str, float]]]
    latencies_s: list[float]
    quotes: list[dict[str, Any]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _matches(manifest: dict[str, Any] | None, record: dict[str, Any], corpus_sha: str | None = None) -> bool:
    if not manifest or manifest.get("format_version") != store.FORMAT_VERSION:
        return False
    if any(manifest.get(key) != value for key, value in record.items()):
        return False
    return corpus_sha is None or sorted(manifest.get("files", {}).values()) == [corpus_sha]


def _ranks_documents(index_dir: Path) -> bool:
    """Whether the live generation holds whole-document BM25: one written before it would score the old
    document ranking (best chunk), so it is not reused for a benchmark."""
    generation = store.current_generation(index_dir)
    return generation is not None and (generation / health.BM25_DOCUMENTS).is_dir()


def prepare_index(
    corpus: Path, settings: Settings, cache_dir: Path = DEFAULT_CACHE, *, progress: bool = True
) -> tuple[Path, str]:
    """The index folder for ``corpus`` and how it was had ("reused ...", "built ...", "up to date ...").

    Its own cache folder is used (and brought up to date) when it exists; otherwise an index of the identical
    corpus file with the same settings elsewhere in ``cache_dir`` is reused; otherwise one is built.
    """
    embedder = get_embedder(
        settings.embedder,
        backend=settings.embedder_backend,
        device=settings.device,
        batch_size=settings.batch_size,
    )
    record = build_settings_record(settings, embedder)
    key_source = json.dumps({"corpus": str(corpus.resolve()), **record}, sort_keys=True)
    own = cache_dir / f"{corpus.parent.name}-{hashlib.sha256(key_source.encode()).hexdigest()[:10]}"
    if store.read_manifest(own) is None and cache_dir.is_dir():
        sha = file_sha256(corpus)
        for candidate in sorted(p for p in cache_dir.iterdir() if p.is_dir() and p != own):
            if _matches(store.read_manifest(candidate), record, sha) and _ranks_documents(candidate):
                return candidate, f"reused {candidate} (same corpus and settings)"
    report = build_index([corpus], index_dir=own, settings=settings, progress=progress)
    how = "up to date" if not report.changed else "built" if not report.unchanged else "updated"
    return own, f"{how} {own}: {report.summary().splitlines()[-1]}"


def document_passages(retriever: Retriever, rows: list[int]) -> list[Passage]:
    """The chunks at ``rows`` (one document's, in order) as numbered passages."""
    chunks, documents = retriever.index.chunks, retriever.index.documents
    return [
        Passage(
            n=i,
            chunk_id=chunks[r].chunk_id,
            doc_id=chunks[r].doc_id,
            title=documents[chunks[r].doc_id].title,
            text=chunks[r].text,
            start=chunks[r].start,
            end=chunks[r].end,
            score=1.0,
        )
        for i, r in enumerate(rows, start=1)
    ]


def score_quote(
    query: BeirQuery,
    passages: list[Passage],
    documents: dict[str, Document],
    writer: ExtractiveGenerator,
    sentences: dict[str, list[str]],
) -> dict[str, Any]:
    """The extractive generator's quotes from one document's ``passages`` for the claim, against the gold
    evidence sentences of that document.

    ``on_evidence``: the first quote overlaps a gold sentence of that document; ``any_on_evidence``: any quote
    does; ``chance``: the share of the document's sentences that are gold (a random pick's success rate).
    """
    top_doc = passages[0].doc_id
    document = documents[top_doc]
    gold_ids = sorted({i for doc, ids in query.evidence if doc == top_doc for i in ids})
    doc_sentences = sentences.get(top_doc, [])
    gold_spans = [
        span
        for i in gold_ids
        if i < len(doc_sentences) and (span := find_verbatim(doc_sentences[i], document.text)) is not None
    ]
    verified = verify_answer(writer.generate(query.text, passages), passages, documents)
    quotes = [c for c in verified.citations if c.verified and c.quote]
    hits = [any(spans_overlap((c.start, c.end), span) for span in gold_spans) for c in quotes]
    return {
        "query_id": query.query_id,
        "claim": query.text,
        "doc_id": top_doc,
        "gold_sentences": gold_ids,
        "gold_located": len(gold_spans),
        "quotes": [{"quote": c.quote, "start": c.start, "end": c.end} for c in quotes],
        "verbatim": sum(document.text[c.start : c.end] == c.quote for c in quotes),
        "on_evidence": bool(hits and hits[0]),
        "any_on_evidence": any(hits),
        "chance": len(gold_ids) / len(doc_sentences) if doc_sentences else None,
    }


def _quote_figures(quotes: list[dict[str, Any]], with_evidence: int) -> dict[str, Any]:
    quoted = [q for q in quotes if q["quotes"]]
    n_quotes = sum(len(q["quotes"]) for q in quotes)
    return {
        "queries_with_evidence": with_evidence,
        "top_document_has_evidence": len(quotes) / with_evidence if with_evidence else None,
        "first_quote_on_evidence": statistics.fmean(q["on_evidence"] for q in quoted) if quoted else None,
        "any_quote_on_evidence": statistics.fmean(q["any_on_evidence"] for q in quoted) if quoted else None,
        "chance_of_random_sentence": statistics.fmean(q["chance"] for q in quoted if q["chance"] is not None)
        if quoted
        else None,
        "no_quote": len(quotes) - len(quoted),
        "verbatim_share": sum(q["verbatim"] for q in quotes) / n_quotes if n_quotes else None,
    }


def evaluate_beir(
    folder: str | Path,
    split: str = "test",
    *,
    settings: Settings | None = None,
    cache_dir: str | Path = DEFAULT_CACHE,
    progress: bool = True,
    limit: int | None = None,
) -> BeirEvaluation:
    """Rank the corpus for every query of ``split`` and score the run (and, with evidence, the quotes).

    Raises:
        QuestionSetError: the folder is not a BEIR folder (the message says what it must hold).
        SettingError: ``settings.document_rerank`` names no known re-ranking.
    """
    folder, settings = Path(folder), settings or Settings.from_env()
    check_rerank(settings.document_rerank)  # before minutes of indexing, not at the first query
    corpus = check_folder(folder, split)
    index_dir, how = prepare_index(corpus, settings, Path(cache_dir), progress=progress)
    log.info("BEIR index: %s", how)
    qrels = load_qrels(folder, split)
    queries = load_queries(folder, split)[:limit]
    retriever = get_pipeline(index_dir, settings).retriever
    writer = ExtractiveGenerator(
        retriever.embedder,
        threshold=float("-inf"),  # always quote: this scores choice
        term_weights=lambda: retriever.index.term_weights,
    )
    evidence_docs = {doc for q in queries for doc, _ in q.evidence}
    rows_by_doc: dict[str, list[int]] = {}
    for row, chunk in enumerate(retriever.index.chunks):
        rows_by_doc.setdefault(chunk.doc_id, []).append(row)
    sentences = load_sentences(folder, evidence_docs) if evidence_docs else {}
    rankings: dict[str, list[tuple[str, float]]] = {}
    latencies: list[float] = []
    quotes: list[dict[str, Any]] = []
    per_query: dict[str, list[float]] = {"ndcg@10": [], "recall@100": [], "mrr@10": []}
    for q in tqdm(queries, desc=f"{folder.name} {split}", unit="q", disable=not progress):
        started = time.perf_counter()
        ranking = rank_documents(retriever, q.text, RUN_DEPTH)
        latencies.append(time.perf_counter() - started)
        rankings[q.query_id] = ranking
        ids, relevant = [d for d, _ in ranking], qrels.get(q.query_id, {})
        per_query["ndcg@10"].append(ndcg_at_k(ids, relevant, 10))
        per_query["recall@100"].append(recall_at_k(ids, relevant, 100))
        per_query["mrr@10"].append(mrr_at_k(ids, relevant, 10))
        if sentences and ids and any(doc == ids[0] for doc, _ in q.evidence):
            passages = document_passages(retriever, rows_by_doc[ids[0]])
            quotes.append(score_quote(q, passages, retriever.index.documents, writer, sentences))
    figures: dict[str, Any] = {
        "queries": len(queries),
        "retrieval": {
            name: statistics.fmean(values) if values else None for name, values in per_query.items()
        },
        "latency_s": {
            "median": statistics.median(latencies) if latencies else None,
            "p95": percentile(latencies, 95),
        },
    }
    if sentences:
        figures["quotes"] = _quote_figures(quotes, sum(1 for q in queries if q.evidence))
    config = {
        "folder": str(folder),
        "split": split,
        "index_dir": str(index_dir),
        "index": how,
        "documents": len(retriever.index.documents),
        "settings": settings.to_dict(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    return BeirEvaluation(
        folder.name, split, figures, load_published(folder), rankings, latencies, quotes, config
    )
