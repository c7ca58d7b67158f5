"""Run ``ask()`` over a question set and gather every figure: the engine behind ``rag eval QUESTIONS``."""

from __future__ import annotations

import logging
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..answer.answering import ask
from ..answer.generators import Generator
from ..answer.pipeline import get_pipeline
from ..errors import QuestionSetError
from ..index.store import load_index
from ..settings import Settings, default_index_dir
from ..types import Answer
from .answer_metrics import abstention_precision_recall, key_phrase_containment, mean, percentile
from .kinds import by_kind
from .questions import Question
from .scoring import QuestionScore, locate_evidence, score_answer

log = logging.getLogger(__name__)

# The targets for the bundled seeds; reported next to the figures (the floors are the CI gate).
TARGETS = {"quotes.verbatim_share": 1.0, "citations.recall": 0.9, "abstention.recall": 0.9}


@dataclass
class Evaluation:
    """The questions, what ``ask()`` answered, each answer's scores, the summary figures, and warnings."""

    questions: list[Question]
    answers: list[Answer]
    scores: list[QuestionScore]
    figures: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_documents(questions: list[Question], known: set[str]) -> None:
    """Refuse a question set that names documents the index does not hold: its figures would mean nothing.

    Raises:
        QuestionSetError: the unknown ids and the questions that use them.
    """
    unknown = {q.id: [d for d in q.doc_ids if d not in known] for q in questions}
    unknown = {q: ids for q, ids in unknown.items() if ids}
    if unknown:
        listed = "; ".join(f"{q}: {', '.join(ids)}" for q, ids in list(unknown.items())[:10])
        raise QuestionSetError(
            f"{len(unknown)} question(s) name documents that are not in the index ({listed}). Index those "
            "documents (rag index SOURCES --index-dir DIR) or fix the doc_ids."
        )


def summarise(scores: list[QuestionScore], k: int) -> dict[str, Any]:
    """The set's figures, grouped; a share is a float in [0, 1], None where no question applies."""
    answerable = [s for s in scores if s.answerable]
    quotes = sum(s.quotes for s in scores)
    verbatim = sum(s.verbatim for s in scores)
    precision, recall = abstention_precision_recall(
        [s.abstained for s in scores], [s.answerable for s in scores]
    )
    latencies = [s.latency_s for s in scores]
    with_doc_ids = [s for s in answerable if s.right_citation is not None]
    return {
        "questions": {
            "total": len(scores),
            "answerable": len(answerable),
            "unanswerable": len(scores) - len(answerable),
            "passed": sum(s.passed for s in scores),
        },
        "retrieval": {
            f"hit@{k}": mean(s.hit for s in answerable),
            "mrr@10": mean(s.reciprocal_rank for s in answerable),
            "ndcg@10": mean(s.ndcg for s in answerable),
        },
        "answers": {
            "key_phrase_containment": mean(s.containment for s in answerable),
            "exact_match": mean(s.exact_match for s in answerable),
            "f1": mean(s.f1 for s in answerable),
        },
        "citations": {
            "precision": mean(s.citation_precision for s in answerable),
            "recall": (
                sum(bool(s.right_citation) for s in with_doc_ids) / len(with_doc_ids)
                if with_doc_ids
                else None
            ),
            "evidence_overlap": mean(
                None if s.evidence_overlap is None else float(s.evidence_overlap) for s in answerable
            ),
        },
        "quotes": {
            "count": quotes,
            "verbatim": verbatim,
            "verbatim_share": verbatim / quotes if quotes else None,
            "unverified": sum(s.unverified for s in scores),
            # sentences of the answers (abstentions aside) that no verified quote supports
            "uncited_sentence_share": (
                sum(s.uncited for s in scores) / sentences
                if (sentences := sum(s.sentences for s in scores))
                else None
            ),
        },
        "abstention": {
            "precision": precision,
            "recall": recall,
            "answered_share": (
                sum(not s.abstained for s in answerable) / len(answerable) if answerable else None
            ),
        },
        "latency_s": {
            "median": statistics.median(latencies) if latencies else None,
            "p95": percentile(latencies, 95),
            "max": max(latencies, default=None),
        },
    }


def evaluate(
    questions: list[Question],
    *,
    index_dir: str | Path | None = None,
    k: int | None = None,
    generator: str | Generator | None = None,
    settings: Settings | None = None,
    progress: bool = True,
) -> Evaluation:
    """Ask every question through ``ask()`` and score the answers.

    The first question is asked once before timing starts, so loading the index and the models is not
    counted as latency. Quotes are checked against the documents as stored in the index.

    Raises:
        QuestionSetError: a question names a document the index does not hold.
        IndexNotFoundError / IndexMismatchError / UnknownGeneratorError: as ``ask()``.
    """
    settings = settings or Settings.from_env()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    k = settings.top_k if k is None else k
    get_pipeline(index_dir, settings).retriever  # noqa: B018  (loads the index, brings a bundled one up to date)
    documents = load_index(index_dir).documents
    check_documents(questions, set(documents))
    warnings = []
    evidence = {}
    for q in questions:
        evidence[q.id] = spans = locate_evidence(q, documents)
        warnings += [
            f'{q.id}: evidence not found verbatim in {", ".join(q.doc_ids)}: "{e.text[:80]}"'
            for e in spans
            if e.doc_id is None
        ]
        warnings += [
            f'{q.id}: key phrase not in any of {", ".join(q.doc_ids)}: "{phrase}"'
            for phrase in q.answers
            if q.doc_ids and not any(key_phrase_containment(documents[d].text, [phrase]) for d in q.doc_ids)
        ]
    for w in warnings:
        log.warning("%s", w)
    ask(
        questions[0].question,
        k=k,
        generator=generator,
        history=questions[0].history_turns(),
        index_dir=index_dir,
        settings=settings,
    )  # warm-up, not timed
    answers, scores = [], []
    for q in tqdm(questions, desc="questions", unit="q", disable=not progress):
        started = time.perf_counter()
        answer = ask(
            q.question,
            k=k,
            generator=generator,
            history=q.history_turns(),
            index_dir=index_dir,
            settings=settings,
        )
        latency = time.perf_counter() - started
        answers.append(answer)
        scores.append(score_answer(q, answer, documents, evidence=evidence[q.id], latency_s=latency))
    name = generator if isinstance(generator, str) else getattr(generator, "name", None)
    config = {
        "index_dir": str(index_dir),
        "k": k,
        "generator": name or settings.generator,
        "settings": settings.to_dict(),
        "documents": len(documents),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    figures = summarise(scores, k)
    # The share right per kind of question (floors apply to them too: a kind may not silently regress).
    figures["kinds"] = {kind: row["share"] for kind, row in by_kind(questions, scores).items()}
    return Evaluation(questions, answers, scores, figures, config, warnings)
