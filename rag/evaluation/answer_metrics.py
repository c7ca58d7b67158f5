"""Answer-level metrics: SQuAD exact match and token F1, key-phrase containment, span overlap, abstention,
and latency percentiles. Pure functions over strings and numbers, so each can be checked by hand."""

from __future__ import annotations

import collections
import re
import statistics
import string
import unicodedata
from collections.abc import Iterable, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")
# Marker syntax an answer carries that is not part of what it says: [n], blockquote ">", the unverified note.
_MARKUP = re.compile(r"\[\d+\]|^>[ \t]?|\*\(unverified:[^)]*\)\*", re.MULTILINE)


def _is_punctuation(ch: str) -> bool:
    # SQuAD removes string.punctuation; typographic quotes and dashes are punctuation too.
    return ch in string.punctuation or unicodedata.category(ch).startswith("P")


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, punctuation removed, articles (a, an, the) removed, white space
    collapsed. Unicode punctuation (“ ” ’) is removed like ASCII punctuation, except that a Unicode dash
    (– —) becomes a space: it separates words ("relations”—an"), where ASCII "-" joins them."""
    text = "".join(" " if ch != "-" and unicodedata.category(ch) == "Pd" else ch for ch in text.lower())
    text = "".join(ch for ch in text if not _is_punctuation(ch))
    return " ".join(_ARTICLES.sub(" ", text).split())


def answer_body(answer_text: str) -> str:
    """An answer's words without citation markers, blockquote marks and verification notes."""
    return " ".join(_MARKUP.sub(" ", answer_text).split())


def exact_match(prediction: str, references: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals any normalised reference, else 0.0 (0.0 with none)."""
    got = normalize_answer(prediction)
    return float(any(got == normalize_answer(r) for r in references))


def _f1(prediction_tokens: list[str], reference_tokens: list[str]) -> float:
    common = collections.Counter(prediction_tokens) & collections.Counter(reference_tokens)
    same = sum(common.values())
    if not prediction_tokens or not reference_tokens:
        return float(prediction_tokens == reference_tokens)
    if same == 0:
        return 0.0
    precision = same / len(prediction_tokens)
    recall = same / len(reference_tokens)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, references: Sequence[str]) -> float:
    """SQuAD token F1: the best over ``references`` of the harmonic mean of token precision and recall
    between the normalised prediction and reference (0.0 with no references)."""
    got = normalize_answer(prediction).split()
    return max((_f1(got, normalize_answer(r).split()) for r in references), default=0.0)


def key_phrase_containment(prediction: str, phrases: Sequence[str]) -> float:
    """The share of ``phrases`` found in ``prediction`` as whole words, both normalised (0.0 with none)."""
    if not phrases:
        return 0.0
    haystack = f" {normalize_answer(prediction)} "
    found = sum(1 for p in phrases if (n := normalize_answer(p)) and f" {n} " in haystack)
    return found / len(phrases)


def spans_overlap(a: tuple[int, int], b: tuple[int, int], min_share: float = 0.5) -> bool:
    """Whether two character spans share at least ``min_share`` of the shorter one.

    Half the shorter span: a quote that is part of an evidence sentence, or an evidence sentence inside a
    longer quote, counts; two sentences that only touch at a boundary do not.
    """
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and shared >= min_share * shorter


def abstention_precision_recall(
    abstained: Sequence[bool], answerable: Sequence[bool]
) -> tuple[float | None, float | None]:
    """(precision, recall) of abstaining as a detector of unanswerable questions.

    precision = unanswerable among the abstentions; recall = abstentions among the unanswerable questions.
    None where the denominator is zero (no abstention at all, no unanswerable question).
    """
    if len(abstained) != len(answerable):
        raise ValueError("abstained and answerable must have the same length")
    right = sum(1 for a, ok in zip(abstained, answerable, strict=True) if a and not ok)
    n_abstained = sum(abstained)
    n_unanswerable = sum(1 for ok in answerable if not ok)
    return (right / n_abstained if n_abstained else None, right / n_unanswerable if n_unanswerable else None)


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between ranks, as numpy's default; None
    for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None
