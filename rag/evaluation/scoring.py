"""Score one answer against its question: retrieval, answer text, citations, quotes, abstention.

Every figure is per question here; ``summarise`` in ``runner`` averages them. A figure that does not apply
(retrieval of an unanswerable question, exact match without reference answers) is None, not 0, so it is
left out of the average instead of dragging it down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..answer.quotes import find_verbatim
from ..answer.support import sentences
from ..types import Answer, Document
from .answer_metrics import answer_body, exact_match, key_phrase_containment, normalize_answer, spans_overlap
from .answer_metrics import token_f1 as squad_f1
from .metrics import hit_at_k, mrr_at_k, ndcg_at_k
from .questions import Question


@dataclass(frozen=True)
class EvidenceSpan:
    """A gold evidence string, located in one of the question's documents where it occurs verbatim."""

    text: str
    doc_id: str | None = None  # None: not found verbatim in any of the question's documents
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class QuestionScore:
    """Every per-question figure; None where a figure does not apply to this question."""

    id: str
    answerable: bool
    abstained: bool
    latency_s: float
    hit: float | None = None  # a right document among the retrieved passages
    reciprocal_rank: float | None = None  # MRR@10 term
    ndcg: float | None = None  # nDCG@10
    containment: float | None = None  # share of key phrases in the answer
    exact_match: float | None = None
    f1: float | None = None
    citation_precision: float | None = None  # share of the answer's citations that name a right document
    right_citation: bool | None = None  # a verified quote from a right document
    evidence_overlap: bool | None = None  # a verified quote overlaps a gold evidence sentence
    quotes: int = 0  # citations that present a quote (verified)
    verbatim: int = 0  # of those, the ones equal to the document's text at their span
    unverified: int = 0  # citations the checker could not verify (shown as unverified, never as quotes)
    sentences: int = 0  # sentences of a non-abstaining answer
    uncited: int = 0  # of those, the ones no verified quote supports
    failures: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


def locate_evidence(question: Question, documents: Mapping[str, Document]) -> list[EvidenceSpan]:
    """Each evidence string with its span in the first of the question's documents that holds it verbatim
    (white space and quotation-mark style ignored, as the quote checker does)."""
    spans = []
    for text in question.evidence:
        for doc_id in question.doc_ids:
            document = documents.get(doc_id)
            found = find_verbatim(text, document.text) if document is not None else None
            if found is not None:
                spans.append(EvidenceSpan(text, doc_id, *found))
                break
        else:
            spans.append(EvidenceSpan(text))
    return spans


def _overlaps_evidence(
    doc_id: str, start: int, end: int, quote: str, evidence: Sequence[EvidenceSpan]
) -> bool:
    for gold in evidence:
        if gold.doc_id is not None:
            if gold.doc_id == doc_id and spans_overlap((start, end), (gold.start, gold.end)):
                return True
        else:  # evidence written loosely (not verbatim): fall back to containment of the normalised text
            a, b = normalize_answer(quote), normalize_answer(gold.text)
            if a and b and (a in b or b in a):
                return True
    return False


def _shape_failures(question: Question, quoted: Sequence) -> list[str]:
    """The checks a question asks for beyond its key phrases: quotes only from its documents, at least N
    quotes, quotes from at least N of its documents (summaries, comparisons and lists need them)."""
    failures = []
    if question.only_docs and (stray := sorted({c.doc_id for c in quoted} - set(question.doc_ids))):
        failures.append("quoted document(s) not expected: " + ", ".join(stray))
    if len(quoted) < question.min_quotes:
        failures.append(f"{len(quoted)} quote(s), expected at least {question.min_quotes}")
    documents = {c.doc_id for c in quoted} & set(question.doc_ids)
    if len(documents) < question.min_docs:
        failures.append(
            f"quotes from {len(documents)} expected document(s), expected at least {question.min_docs}"
        )
    return failures


def document_ranking(answer: Answer) -> list[str]:
    """The documents of the retrieved passages in rank order, each once."""
    return list(dict.fromkeys(p.doc_id for p in answer.passages))


def score_answer(
    question: Question,
    answer: Answer,
    documents: Mapping[str, Document],
    *,
    evidence: Sequence[EvidenceSpan] = (),
    latency_s: float = 0.0,
) -> QuestionScore:
    """All figures of one answer; ``failures`` says in words what went wrong, empty when it passed."""
    failures: list[str] = []
    gold = {d: 1 for d in question.doc_ids}
    quoted = [c for c in answer.citations if c.verified and c.quote]
    verbatim = sum(
        1 for c in quoted if c.doc_id in documents and documents[c.doc_id].text[c.start : c.end] == c.quote
    )
    unverified = sum(1 for c in answer.citations if not c.verified and c.status == "unverified")
    if verbatim < len(quoted):
        failures.append(f"{len(quoted) - verbatim} quote(s) not verbatim at their recorded span")
    figures: dict[str, object] = {}
    if not question.answerable:
        if not answer.abstained:
            failures.append("answered a question the documents do not answer")
    else:
        if answer.abstained:
            failures.append("abstained on an answerable question")
        if gold:
            ranking = document_ranking(answer)
            figures.update(
                hit=hit_at_k(ranking, gold, len(ranking)),
                reciprocal_rank=mrr_at_k(ranking, gold, 10),
                ndcg=ndcg_at_k(ranking, gold, 10),
            )
            right = any(c.doc_id in gold for c in quoted)
            figures["right_citation"] = right
            if answer.citations:
                figures["citation_precision"] = sum(c.doc_id in gold for c in answer.citations) / len(
                    answer.citations
                )
            if not right and not answer.abstained:
                failures.append("no quote from a right document")
            if not figures["hit"]:
                failures.append("no right document retrieved")
        if question.answers:
            body = "" if answer.abstained else answer_body(answer.text)
            figures.update(
                containment=key_phrase_containment(body, question.answers),
                exact_match=exact_match(body, question.answers),
                f1=squad_f1(body, question.answers),
            )
            if figures["containment"] < 1.0 and not answer.abstained:
                missing = [p for p in question.answers if key_phrase_containment(body, [p]) == 0]
                failures.append("missing key phrase(s): " + "; ".join(missing))
        if not answer.abstained:
            failures += _shape_failures(question, quoted)
        if evidence and quoted:
            figures["evidence_overlap"] = any(
                _overlaps_evidence(c.doc_id, c.start, c.end, c.quote, evidence) for c in quoted
            )
    return QuestionScore(
        id=question.id,
        answerable=question.answerable,
        abstained=answer.abstained,
        latency_s=latency_s,
        quotes=len(quoted),
        verbatim=verbatim,
        unverified=unverified,
        sentences=0 if answer.abstained else len(sentences(answer.text)),
        uncited=0 if answer.abstained else len(answer.uncited),
        failures=tuple(failures),
        **figures,
    )  # type: ignore[arg-type]
