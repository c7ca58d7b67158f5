"""The offline answer generator: quotes the retrieved sentences that answer the question, or abstains.

No language model is needed beyond the embedder. Every sentence of the retrieved passages is scored by its
cosine similarity to the question plus the share of the question's content words it contains; the best
sentences are quoted verbatim with the number of their passage. When even the best sentence scores under the
abstention threshold the generator says the documents do not answer, and cites nothing. The threshold and the
weight of the word overlap were calibrated on ``tests/data/seeds_qa.jsonl`` (README, "Abstention").
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...index import lexical
from ...index.embedding import Embedder
from ...index.sections import PATH_SEPARATOR, heading_path
from ...index.sentence_store import SentenceStore
from ...index.sentences import clauses, split_sentences
from ...ingest.clean import is_byline
from ...ingest.dates import labelled_date
from ...retrieve.conversation import standalone_question
from ...settings import Settings
from ...types import Document, Passage
from .. import planning, reference
from ..direct_answers import asks_for_someone
from ..question_kinds import asks_about_authors, classify, quoted_topic
from ..scoping import LEAD_CHARACTERS
from . import amounts, answer_checks, list_items, outcomes, posts_held, reactions, sections, spans
from . import extractive_kinds as kinds
from .base import Turn, register

ABSTENTION = (
    "The documents do not answer this question. The closest passages found are listed below, "
    "but none of them says it."
)
# Words that say what kind of question it is, not what it is about.
_QUESTION_WORDS = frozenset(
    lexical.tokenize(
        [
            "what who whom whose which when where why how did does do say said according article articles author "
            "tell explain describe mention exactly"
        ]
    )[0]
)
MIN_WORDS = 4  # shorter "sentences" are headings, bylines and dates, not answers
# "Location: Lima, Peru": a labelled value on one line (a label of one to three words, then a value).
_FIELD_LINE = re.compile(r"[A-Z][\w-]*(?: [\w-]+){0,2}: \S[^\n]*")


def _quotable(sentence: str, *, answers_asked: bool = False) -> bool:
    """Whether a sentence can be an answer: a whole statement, not a heading, byline or rhetorical question.

    A line without closing punctuation is a heading or a title; a question in the text asks, never answers.
    ``answers_asked``: it answers a question the text asks right before it (an interview, a FAQ), where
    "Seven years." is a whole answer however short.
    """
    end = sentence.rstrip("”’\"' )]")
    return (
        (answers_asked or len(sentence.split()) >= MIN_WORDS)
        and end[-1:] in (".", "!", "…", ";", ":")
        and not end.endswith("?")
    )


FAQ_ANSWER_CHARS = 400  # an answer under an interview's or a FAQ's question this short is quoted whole


_MARKER = r"[ \t]*(?:[-*•+]|\d{1,2}[.)])[ \t]+"  # a list item's "- " or "2. "
_LIST_ITEM = re.compile(rf"^{_MARKER}(\S[^\n]*)", re.MULTILINE)


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a list that ``text[start:end]`` is (each line "- 450 g plain flour" or "2. Mix the flour."
    without its marker), or [] when it is not a list of at least two items."""
    lines = text[start:end].split("\n")
    found = [(m.start(1), m.end(1)) for m in _LIST_ITEM.finditer(text, start, end)]
    return found if len(found) >= 2 and len(found) == len(lines) else []


def _field_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The "Label: value" lines of a block of them ("Main hall: £22 per hour" under "RATES"), one by one,
    or [] when ``text[start:end]`` is no such block (two such lines at least, every other line a heading)."""
    found, headings = [], 0
    at = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if _FIELD_LINE.fullmatch(stripped):
            offset = at + line.index(stripped)
            found.append((offset, offset + len(stripped)))
        elif stripped:
            headings += 1
        at += len(line) + 1
    return found if len(found) >= 2 and headings <= 1 else []


def _on_own_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole line of ``text``."""
    return text[:start].rstrip(" \t")[-1:] in ("", "\n") and text[end:].lstrip(" \t")[:1] in ("", "\n")


def _is_list_item(text: str, start: int) -> bool:
    """Whether ``text[start:]`` begins an item of a list (after its marker)."""
    line = text.rfind("\n", 0, start) + 1
    return re.fullmatch(_MARKER, text[line:start]) is not None


def _answer_units(text: str, title: str) -> list[tuple[int, int]]:
    """The spans of ``text`` a quote is made of: its sentences, but a short paragraph that answers the question
    printed above it whole ("Monday to Saturday, from 8 to 6. Parking is free on Sundays." under "What hours
    does the zone operate?": its first sentence is the answer, its second alone would match better), and a
    list's items one by one ("450 g plain flour": a recipe's line is its own answer)."""
    units: list[tuple[int, int]] = []
    covered = -1
    for start, end in split_sentences(text):
        if start < covered:
            continue
        items = _list_items(text, start, end) or _field_lines(text, start, end)
        if items:
            units.extend(items)
            continue
        para_start = text.rfind("\n\n", 0, start)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = text.find("\n\n", start)
        para_end = len(text) if para_end < 0 else para_end
        whole = text[para_start:para_end].strip()
        if (
            text[para_start:start].strip() == ""
            and len(whole) <= FAQ_ANSWER_CHARS
            and "\n" not in whole
            and spans.asked_before(text, start, title) is not None
        ):
            units.append((start, start + len(text[start:para_end].rstrip())))
            covered = para_end
        else:
            units.append((start, end))
    return units


CLAUSE_MIN_SENTENCE = 20  # words: a shorter sentence's own vector already says what it is about
CLAUSE_MIN_OVERLAP = 0.2  # share of the question's (weighted) words a sentence needs for its clauses to count
CLAUSE_CANDIDATES = 4  # sentences, most overlapping first, whose clauses are scored
CLAUSE_DISCOUNT = 0.9  # a clause answers less surely than a whole sentence that matches as well


SENTENCE_CANDIDATES = 8  # sentences embedded for a single-answer question before the rest (chosen on seeds)
PRIOR_RELEVANCE = 0.5  # weight of the passage's relevance in the order sentences are embedded in


def _prior(overlap: float, passage_score: float, top: float) -> float:
    """How likely a sentence is to answer before its vector is known: shared words, then its passage's rank."""
    return overlap + PRIOR_RELEVANCE * (passage_score / top if top > 0 else 0.0)


def _long_clauses(texts: Sequence[str], query_terms: set[str]) -> dict[int, list[str]]:
    """The clauses of each long text that say one of ``query_terms``, by the text's position (shorter texts
    are left out). A clause that says none of the question's words is not what the question asks about:
    its sentence's own vector judges it."""
    found = {i: clauses(t) for i, t in enumerate(texts) if len(t.split()) >= CLAUSE_MIN_SENTENCE}
    flat = [c for cs in found.values() for c in cs]
    said = dict(zip(flat, lexical.tokenize(flat), strict=True)) if flat else {}
    return {i: [c for c in cs if query_terms & set(said[c])] for i, cs in found.items()}


_WHY_ASKED = re.compile(r"\s*why\b", re.IGNORECASE)
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|it|its)\b", re.IGNORECASE)
# Threshold eased for a sentence that passed the check that it gives the asked speaker's own words (and the
# post's owner, "Kaimora's foreign minister"): someone's words match a question that frames them ("How did the
# trade minister describe the purpose of the ban?") poorly, and the check has already said whose they are.
SPEECH_SLACK = 0.15
# The same for a why-question: every eligible sentence has passed the check that it gives a reason (or its
# grounds), and a reason is often said in other words than the question's ("chosen jointly ... after Meranth
# refused a bank-only mediator" for "Why was the mediator chosen jointly ...?")
WHY_SLACK = 0.1
# And for "How many auditors ...?": every eligible sentence counts the thing asked with a number beside it
# ("the team of nine auditors"), which the question's other words may frame poorly
COUNT_SLACK = 0.03
NAMED_SPEECH_BONUS = 0.1  # added to a named speaker's words that say half the topic's words (``eligible``)
HEADER_CHARACTERS = 400  # how far into a document its header lines (title, byline, dateline) may reach
EVENT_PENALTY = 0.1  # score off a sentence that does not state the event a "when did X <verb>" asks about
# A would-be abstention gets a second reading: its best sentences embedded under their document's title. "How
# much will the dredging cost?" matches "The work will cost 48 million dollars" poorly (it says "the work");
# the title says which work. Only then, and only for a few sentences: it costs embeddings, and a sentence
# that matches only with its title's help answers less surely (chosen on a probe set of invented articles;
# no answer changed on the seeds calibration part or the earlier probe sets).
IN_CONTEXT_SENTENCES = 4
IN_CONTEXT_DISCOUNT = 0.15
FULL_OVERLAP = 0.99  # share of the question's words that makes a sentence worth quoting beside the best
PASSAGE_WEIGHT = 0.0  # calibrated: weight of the passage's retrieval score
OVERLAP_WEIGHT = 0.25  # calibrated with the threshold (Settings.abstain_threshold), see module docstring


@dataclass(frozen=True)
class ScoredSentence:
    passage_n: int
    doc_id: str
    start: int  # in the passage's text
    end: int
    text: str
    similarity: float
    overlap: float
    relevance: float  # its passage's retrieval score relative to the best passage's (0..1)
    score: float
    # In the document's author box: it may say who the author is, never what the document argues.
    in_author_box: bool = False
    # The question printed above its paragraph (an interview's, a FAQ's), which it answers; None otherwise.
    asked: str | None = None
    # For a why-question: the sentence after it, which gives the grounds of the claim it makes, is quoted with it
    # (``spans.with_reason``), and is the reason though it says no word of reason.
    grounds: bool = False


# Answer types that date: their date must be of the subject a question names (``figure_of_subject``)
_DATED_KINDS = frozenset({"date", "month", "year", "day"})
SEQUEL_SLACK = 0.03  # how far under the threshold the sequel of the best sentence may come (``spans.sequel``)


def _with_sequel(
    chosen: list[ScoredSentence],
    scored: Sequence[ScoredSentence],
    passages: Sequence[Passage],
    threshold: float,
) -> list[ScoredSentence]:
    """``chosen`` with, after its best sentence, the next sentence of the same paragraph when that one is
    eligible, comes within ``SEQUEL_SLACK`` of the threshold and goes on about it by a pronoun."""
    if not chosen:
        return chosen
    sequel = spans.sequel(chosen[0], scored, passages, threshold - SEQUEL_SLACK)
    if sequel is None or sequel in chosen:
        return chosen
    return [chosen[0], sequel, *chosen[1:]]


def _heads_page(s: ScoredSentence, by_n: Mapping[int, Passage]) -> bool:
    """Whether ``s`` is (or holds) a header line of its document: a byline ("Issued by the council, 9 July
    2026.", "Published 12 May 2026 by the Customer Team.") or a dateline. It says who published the page and
    when, nothing about what the page reports."""
    if by_n[s.passage_n].start + s.start > HEADER_CHARACTERS:
        return False
    return any(
        (is_byline(line) and not re.match(r"\s*by\s+\d", line, re.IGNORECASE)) or labelled_date(line)
        for line in s.text.split("\n")
    )


def _written_by(document: Document | None, name: str) -> bool:
    return document is not None and name.casefold() in (document.author or "").casefold()


def _in_lead(document: Document | None, name: str) -> bool:
    """Whether ``name`` is said in the document's title or lead: what the document is about, and whom an
    interview puts its questions to."""
    return document is not None and answer_checks.names_subject(
        f"{document.title}\n{document.text[:LEAD_CHARACTERS]}", name
    )


LEAD_SENTENCE_WORDS = 12  # a paragraph this long is the lead (header lines and a standfirst are shorter)


def _interviewee(document: Document | None, name: str) -> bool:
    """Whether ``name`` is whom an interview puts its questions to: a name said in its title, its header lines
    or the first sentence of its lead ("Wilf Abernathy runs Abernathy's Dairy, ..."), not only somewhere in the
    lead ("... the council voted to hand the building to Greyline Estates": Greyline answers nothing there)."""
    if document is None:
        return False
    if name[:1].islower():
        # one asked by a post ("the team leader") is described anywhere in the lead ("has led the team for six
        # years ... as team leader"); a name must be the one introduced
        return _in_lead(document, name)
    said = [document.title]
    for paragraph in document.text.split("\n\n"):
        if len(paragraph.split()) >= LEAD_SENTENCE_WORDS:
            first = split_sentences(paragraph)
            said.append(paragraph[first[0][0] : first[0][1]] if first else paragraph)
            break
        said.append(paragraph)
    return answer_checks.names_subject("\n".join(said), name)


class ExtractiveGenerator:
    """Quotes up to ``max_quotes`` sentences; abstains below ``threshold``."""

    # Writes nothing but the documents' own words, their metadata and fixed messages (see answer/support.py).
    quotes_only = True

    name = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        *,
        threshold: float,
        overlap_weight: float = OVERLAP_WEIGHT,
        passage_weight: float = PASSAGE_WEIGHT,
        max_quotes: int = 3,
        margin: float = 0.08,
        term_weights: Callable[[], Mapping[str, float]] | None = None,
        documents: Callable[[], Mapping[str, Document]] | None = None,
        sentence_vectors: Callable[[], SentenceStore | None] | None = None,
    ) -> None:
        """``term_weights`` returns the index's BM25 terms and their idf: rare words weigh more in the word
        overlap, and a name the question asks about must be among the terms."""
        self.embedder = embedder
        self.term_weights = term_weights
        self.documents = documents  # the index's documents: their metadata, and the titles questions name
        self.threshold = threshold
        self.overlap_weight = overlap_weight
        self.passage_weight = passage_weight
        self.max_quotes = max_quotes
        self.margin = margin
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self.stored_vectors = sentence_vectors  # the index's sentence vectors, when it stores them

    def score_sentences(
        self, question: str, passages: Sequence[Passage], *, most: int | None = None
    ) -> list[ScoredSentence]:
        """Every candidate sentence of ``passages``, best first; a sentence in two passages counts once.

        ``most``: score only this many sentences, those that share most of the question's words in the most
        relevant passages (embedding every sentence is most of the time a question takes).
        """
        seen: set[tuple[str, int, int]] = set()
        candidates: list[tuple[Passage, int, int, str]] = []
        judged: list[str] = []  # the text each candidate is scored by
        asked = answer_checks.folded(question)
        # (passage, start) -> the interview's or FAQ's question the sentence is read under
        read_with: dict[tuple[int, int], str] = {}
        for passage in passages:
            for start, end in _answer_units(passage.text, passage.title):
                text = passage.text[start:end]
                key = (passage.doc_id, passage.start + start, passage.start + end)
                # Short lines are headings or bylines; a question in the text is rhetorical, never an answer.
                # An author box's "Location: X" line is short too, but it states a fact about the author.
                field = _FIELD_LINE.match(text) is not None and passage.in_author_box(start, end)
                under = spans.asked_before(passage.text, start, passage.title)
                item = _is_list_item(passage.text, start) and len(text.split()) >= 2
                # a fact sheet's "Emergency number: 112." states its fact however short, on a line of its own
                # (not the title, "Review: The Salt Lantern", nor "Source: <a title>": a value with a figure
                # or a closing full stop)
                stated = (
                    _FIELD_LINE.fullmatch(text) is not None
                    and _on_own_line(passage.text, start, end)
                    and text.strip() != passage.title.strip()
                    and (text.rstrip().endswith(".") or any(c.isdigit() for c in text.split(":", 1)[1]))
                )
                if (
                    key in seen
                    or not (_quotable(text, answers_asked=under is not None) or field or item or stated)
                    or answer_checks.repeats(asked, text)
                ):
                    continue
                seen.add(key)
                if under is not None:
                    read_with[(passage.n, start)] = under
                candidates.append((passage, start, end, text))
                # A field line never names whom it is about: it is scored as said of the document's author.
                judged.append(f"{passage.author} — {text}" if field and passage.author else text)
        if not candidates:
            return []
        query_terms = set(lexical.tokenize([question])[0]) - _QUESTION_WORDS
        weights = self.term_weights() if self.term_weights is not None else {}
        unseen = max(weights.values(), default=1.0)  # a word the index never saw is as telling as the rarest
        query_weight = {t: weights.get(t, unseen) for t in query_terms}
        total = sum(query_weight.values())
        term_lists = lexical.tokenize([c[3] for c in candidates])  # words it says itself, not the borrowed
        overlaps = [
            sum(query_weight[t] for t in query_terms & set(terms)) / total if total else 0.0
            for terms in term_lists
        ]
        top = max((p.score for p in passages), default=0.0)
        definition = classify(question).kind == "definition"
        if most is not None and definition:
            most += CLAUSE_CANDIDATES  # it embeds no clauses: as many more whole sentences, for the same time
        if most is not None and len(candidates) > most:
            # The words a sentence shares with the question, and its passage's rank, are known before any
            # vector: the sentences least likely to answer are not embedded (the order is kept).
            keep = sorted(
                sorted(
                    range(len(candidates)), key=lambda i: -_prior(overlaps[i], candidates[i][0].score, top)
                )[:most]
            )
            candidates = [candidates[i] for i in keep]
            judged = [judged[i] for i in keep]
            overlaps = [overlaps[i] for i in keep]
        query_vector = self.embedder.embed_query(question)
        wordy: list[int] = []
        # "What is X?" is defined by a whole sentence; any clause that names X would match it as well.
        if not definition:
            # Only sentences that share the question's words have a clause worth embedding (and it is cheaper).
            wordy = sorted(
                (i for i, o in enumerate(overlaps) if o >= CLAUSE_MIN_OVERLAP), key=lambda i: -overlaps[i]
            )[:CLAUSE_CANDIDATES]
        pieces = _long_clauses([judged[i] for i in wordy], query_terms)
        # An answer in an interview or a FAQ is also read under its question ("Seven years." says what it
        # answers only there); it keeps the better reading.
        under_questions = [
            (i, f"{read_with[(c[0].n, c[1])]} {c[3]}")
            for i, c in enumerate(candidates)
            if (c[0].n, c[1]) in read_with
        ]
        # A sentence in a section of a README, a manual or a report is also read under its document's title
        # and headings ("Python 3.10 or newer" says what it is only under "quillsync > Requirements"); it
        # keeps the better reading, less IN_CONTEXT_DISCOUNT (it matches with their help: less surely).
        documents = self.documents() if self.documents is not None else {}
        under_headings = [
            (i, f"{PATH_SEPARATOR.join([c[0].title, *path])}: {judged[i]}")
            for i, c in enumerate(candidates)
            if (c[0].n, c[1]) not in read_with
            and (document := documents.get(c[0].doc_id)) is not None
            and document.headings
            and (path := heading_path(document, c[0].start + c[1]))
        ]
        # sentences, clauses and readings in one call: the embedder batches them together
        readings = [t for _, t in under_questions] + [t for _, t in under_headings]
        vectors = self._vectors(judged + [c for cs in pieces.values() for c in cs] + readings)
        similarities = vectors[: len(judged)] @ query_vector
        if readings:
            read = vectors[len(vectors) - len(readings) :] @ query_vector
            for (i, _), value in zip(under_questions, read[: len(under_questions)], strict=True):
                similarities[i] = max(similarities[i], value)
            for (i, _), value in zip(under_headings, read[len(under_questions) :], strict=True):
                similarities[i] = max(similarities[i], value - IN_CONTEXT_DISCOUNT)
        found = self._clause_similarities(pieces, len(wordy), query_vector)
        for i, value in zip(wordy, found, strict=True):
            similarities[i] = max(similarities[i], value)
        scored = []
        for (passage, start, end, text), said, similarity, overlap in zip(
            candidates, judged, similarities, overlaps, strict=True
        ):
            if said is not text:  # the name it is scored with is borrowed: it answers less surely
                similarity *= CLAUSE_DISCOUNT
            relevance = passage.score / top if top > 0 else 0.0
            score = float(similarity) + self.overlap_weight * overlap + self.passage_weight * relevance
            scored.append(
                ScoredSentence(
                    passage.n,
                    passage.doc_id,
                    start,
                    end,
                    text,
                    float(similarity),
                    overlap,
                    relevance,
                    score,
                    passage.in_author_box(start, end),
                    read_with.get((passage.n, start)),
                )
            )
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def _clause_similarities(
        self, pieces: Mapping[int, list[str]], n: int, query_vector: np.ndarray
    ) -> np.ndarray:
        """Each of ``n`` sentences' best clause similarity, discounted (``pieces``: the clauses of sentence i,
        from ``_long_clauses``); 0 for a sentence without clauses.

        One vector for a long sentence blurs its parts: "..., he said at a press conference after meeting X"
        answers "whom had he met" in its last clause alone, which the whole sentence's vector hardly shows.
        """
        out = np.zeros(n)
        flat = [c for cs in pieces.values() for c in cs]
        if not flat:
            return out
        sims = dict(zip(flat, (self._vectors(flat) @ query_vector).tolist(), strict=True))
        for i, cs in pieces.items():
            if cs:
                out[i] = CLAUSE_DISCOUNT * max(sims[c] for c in cs)
        return out

    def score_texts(self, question: str, texts: Sequence[str]) -> list[float]:
        """The sentence score (similarity plus weighted word overlap) of arbitrary texts: code blocks, rows."""
        if not texts:
            return []
        query_terms = set(lexical.tokenize([question])[0]) - _QUESTION_WORDS
        weights = self.term_weights() if self.term_weights is not None else {}
        unseen = max(weights.values(), default=1.0)
        query_weight = {t: weights.get(t, unseen) for t in query_terms}
        total = sum(query_weight.values())
        similarities = self._vectors(list(texts)) @ self.embedder.embed_query(question)
        scores = []
        for similarity, terms in zip(similarities, lexical.tokenize(list(texts)), strict=True):
            overlap = sum(query_weight[t] for t in query_terms & set(terms)) / total if total else 0.0
            scores.append(float(similarity) + self.overlap_weight * overlap)
        return scores

    @staticmethod
    def content_terms(text: str) -> set[str]:
        """The BM25 terms of ``text`` less the words that say what kind of question it is."""
        return set(lexical.tokenize([text])[0]) - _QUESTION_WORDS

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, cached: the same passages come back for related questions."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._sentence_vectors]
        stored = self.stored_vectors() if missing and self.stored_vectors is not None else None
        if stored is not None:  # the same vectors, embedded alone at index time
            self._sentence_vectors.update(stored.lookup(missing))
            missing = [t for t in missing if t not in self._sentence_vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self._sentence_vectors[text] = vector
            if len(self._sentence_vectors) > 20_000:
                self._sentence_vectors.clear()
        return np.stack([self._sentence_vectors[t] for t in texts])

    def eligible(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        *,
        body_only: bool = False,
        most: int | None = None,
    ) -> list[ScoredSentence]:
        """Sentences that could answer, best first, before the threshold is applied.

        A follow-up is scored together with the question before it; the answer-type and name checks look at
        the question itself. Empty when the question names something the documents never mention.
        ``body_only``: leave out author-box sentences (the question asks what a document or person says).
        ``most``: judge only this many sentences, the likeliest first (see ``score_sentences``).
        """
        if self.term_weights is not None and answer_checks.missing_names(question, self.term_weights()):
            return []
        kind, years = answer_checks.expected_type(question), answer_checks.required_years(question)
        months = answer_checks.required_months(question)
        # "When did X deliver the Lu-9 ferries?": a date in a sentence about something else does not answer
        about = answer_checks.subject(question, self.term_weights()) if kind and self.term_weights else None
        if about is None and kind in answer_checks.COUNTED_KINDS:
            # ("How many farms does Ketrany operate?": a count of Sallowmere's farms is of another's, though
            # Ketrany is named on every page and so is no rare name)
            about = answer_checks.actor(question)
        if about is not None and self.documents is not None and self.term_weights is not None:
            documents = self.documents()
            about = answer_checks.uncited_subject(
                question, about, self.term_weights(), lambda: kinds.bylines(documents)
            )
        who = answer_checks.speaker(question)
        counted = answer_checks.counted_thing(question)
        measured = answer_checks.measured_thing(question)
        verb = answer_checks.yes_no_verb(question)
        event = answer_checks.event_verb(question)
        reactor = reactions.reacting(question)
        view = answer_checks.asks_view(question)
        by_n = {p.n: p for p in passages}
        # "Why did the commission cut the limit so deeply *for 2023*?": the reason seldom repeats the year, which
        # the sentence before it gives ("... set the 2023 limit at ..." then "It cut so deeply because ...")
        why_in_year = bool(years) and answer_checks.asks_why(question)
        wanted = self.documents is not None and (who is not None or about is not None or bool(years))
        docs = self.documents() if wanted else {}

        # the span a sentence would be quoted as, which most checks below read: worked out once per sentence
        @functools.cache
        def quoted(s: ScoredSentence) -> str:
            return spans.quoted_span(s, by_n, question)

        @functools.cache
        def holders(doc_id: str, post: str) -> list[str]:  # who the document says holds the post (read once)
            document = docs.get(doc_id)
            owner = answer_checks.post_owner(question, post)
            return answer_checks.post_holders(document.text, post, owner) if document is not None else []

        def speaks(s: ScoredSentence, name: str) -> bool:  # the sentence gives ``name``'s words on the topic
            return answer_checks.quotes_speaker(
                spans.with_context(s, by_n, docs, question),
                name,
                question,
                quoted=quoted(s),
                title=by_n[s.passage_n].title,
                goes_on=said_on(s)[len(quoted(s)) :],
            )

        @functools.cache
        def dated_in(s: ScoredSentence) -> str:  # where a year or month asked must be said
            if not years and not months:
                return s.text
            return s.text if who is None and not why_in_year else spans.with_context(s, by_n, docs, question)

        @functools.cache
        def said_on(s: ScoredSentence) -> str:  # the quoted span with the speaker's next quoted words
            return spans.continued_speech(s, by_n[s.passage_n], quoted(s))

        found = [
            s
            for s in (
                spans.with_reason(s, by_n, question) for s in self._scored(question, history, passages, most)
            )
            # (an author box says who the writer is, never their grounds for a view)
            if not ((body_only or view) and s.in_author_box)
            and answer_checks.fits_type(s.text, kind)
            and answer_checks.counts_not_time(s.text, question)
            and answer_checks.share_of_group(s.text, question)
            and answer_checks.new_figure(s.text, question, kind)
            and answer_checks.states_dimension(s.text, question)
            and answer_checks.gives_rate(s.text, question)
            # (a figure of another year, in a clause of its own beside the asked year's)
            and (kind not in answer_checks.COUNTED_KINDS or answer_checks.figure_in_year(s.text, question))
            and (
                about is None
                or kind not in answer_checks.COUNTED_KINDS | _DATED_KINDS
                or answer_checks.figure_of_subject(s.text, about, kind in _DATED_KINDS)
            )
            # (a year asked of someone's words may be said in the sentence that leads to them: "... the dry summer
            # of 2022." then "'The drought gave us a window,' she said.")
            # ("It lost $51 million last year" in a piece dated 2024 is about 2023)
            and all(
                answer_checks.says_year(dated_in(s), year, getattr(docs.get(s.doc_id), "date", None))
                for year in years
            )
            # ("By how much did fuel prices rise in April?": "rose 9 percent in March" is another month's figure)
            and all(answer_checks.says_month(dated_in(s), month) for month in months)
            # (said of it in the sentence, or in its paragraph when the sentence states the very event asked:
            # "The company suspended delivery of the container crane" in a paragraph on the Model-7)
            and (
                about is None
                or answer_checks.names_subject(quoted(s), about)
                # "How many players took part in the Harlow Open?": "The tournament drew 212 players" in the
                # article titled "... wins Harlow Open": the whole document is about it
                or answer_checks.names_subject(by_n[s.passage_n].title, about)
                # "How long did The Salt Road take to write?" asked right before "Seven years."
                or answer_checks.names_subject(s.asked or "", about)
                # "How many volunteers run the cinema in Ashcombe?": "Forty-one volunteers ..." in an
                # interview whose lead says the cinema is Ashcombe's: the lead says what the document is about
                or _in_lead(docs.get(s.doc_id), about)
                # "Where did Grace Mbeki open her bakery?": "On Saturday she opened ..." after a sentence on her
                or (
                    _PERSONAL_PRONOUN.search(s.text) is not None
                    and answer_checks.names_subject(spans.sentence_before(s, by_n), about)
                )
                or (
                    (verb or event) is not None
                    and answer_checks.states_verb(s.text, verb or event)
                    and answer_checks.names_subject(spans.paragraph_before(s, by_n), about)
                )
            )
            # "Why did X ...": a sentence that states no cause or purpose says only that X happened.
            and (
                answer_checks.gives_reason(quoted(s), question)
                or s.grounds
                # the answer printed under a FAQ's "Why is the council doing this?" is its reason, said or not
                or _WHY_ASKED.match(s.asked or "") is not None
            )
            # "How did the union react to X?": a sentence in which the union does or says nothing is no reaction
            # (one asked by name or post is checked to speak below: their words are their reaction)
            and (who is not None or reactions.reacts(quoted(s), reactor))
            # "How many engineers": a number about something else ("two years before") does not answer.
            and (counted is None or answer_checks.counts(quoted(s), counted, question=question))
            and (measured is None or answer_checks.counts(quoted(s), measured, measured=True))
            # "How much did Acme pay its chief executive?": an amount of Acme's revenue is of something else
            and amounts.says_what_paid(quoted(s), question)
            # "What did X say": the quote must give X's words, not a sentence that merely names X. What the
            # document's own author says is all of its text.
            and (
                who is None
                or _written_by(docs.get(s.doc_id), who)
                # an interview's answers are the words of the person its lead introduces
                or (s.asked is not None and _interviewee(docs.get(s.doc_id), who))
                # (on the topic in the words the quote goes on to: '"Every service ...," said X. "A pool this
                # old costs more to heat ..."' is X on the cost of old pools). "What did Marvessa's interior
                # minister tell the press?": also '"...," Varlan told reporters', where the document names
                # Varlan as its interior minister elsewhere (the holders are read only if the post is not shown)
                or speaks(s, who)
                or any(speaks(s, holder) for holder in holders(s.doc_id, who))
            )
            # "Did X deliver ...": a sentence about X that never says it delivered (or did not) cannot answer.
            and answer_checks.states_verb(quoted(s), verb)
            # "What does Hollybank charge non-members?": a sentence on what members pay answers something else
            and answer_checks.keeps_negated(quoted(s), question)
            and answer_checks.not_opposite(quoted(s), question)
            and answer_checks.same_stage(quoted(s), question)
            # "What fee did X charge before the 2009 contract?", "What did the board decide in May?": the state
            # before the event, the outcome reached, not a sentence on the new fee or the meeting to come
            and outcomes.gives_earlier_value(quoted(s), question)
            and outcomes.gives_present_value(quoted(s), question)
            and outcomes.gives_past_value(quoted(s), question)
            and outcomes.states_outcome(quoted(s), question)
            # "Who chairs the panel?": a sentence on the panel that names no chair says who holds nothing
            and posts_held.says_post(quoted(s), question)
            and posts_held.names_one_asked(quoted(s), question)
            and posts_held.says_earlier_post(quoted(s), question)
            and answer_checks.same_ordinal(quoted(s), question)
            and answer_checks.adds_amount(quoted(s), question)
            # "What counts as X?" wants what X covers; "How do I ...?" a sentence that instructs
            and answer_checks.defines(quoted(s), question)
            and answer_checks.gives_way(quoted(s), question)
            # A byline or dateline says who published the page and when: it answers "who", or when the page was
            # issued, not "When is Fenwick Road due to be resurfaced?" nor "Which network does Pebble run on?"
            and (
                asks_for_someone(question)
                or (event is not None and answer_checks.states_verb(s.text, event))
                or not _heads_page(s, by_n)
            )
        ]
        # "What did Janet Crewe say about the building work?": her words that say the topic (half its words)
        # themselves (not with their title's help) answer, though a quotation matches the question's framing
        # poorly ("... worried about two years of building noise."); only for a person asked by name
        if who is not None and who[:1].isupper() and answer_checks.topic_terms(question):
            found = [
                dataclasses.replace(s, score=s.score + NAMED_SPEECH_BONUS)
                if answer_checks.covers_topic(quoted(s), question)
                else s
                for s in found
            ]
            found.sort(key=lambda s: s.score, reverse=True)
        # "Who is the chef at the Salt Lantern?": a sentence that says "chef"; one on the Salt Lantern that names
        # no chef ("The Salt Lantern opens on Friday") does not say who holds the post. (A role said in other
        # words, "head cook", is missed: over all the probe sets every right answer to such a question said it.)
        role = answer_checks.role_asked(question)
        if role is not None:
            found = [s for s in found if answer_checks.names_subject(quoted(s), role)]
        if event is None:
            return found
        # "When did Nordline receive the Model-7?": a dated sentence on the Model-7 that says nothing of receiving
        # it answers only if it matches the question well all the same (the verb said in other words).
        # (an answer printed under an interview's or a FAQ's question states the event there: "Why do you paint
        # the sky last?" over "The sky sets the light ...")
        lower = [
            s
            if answer_checks.states_verb(quoted(s), event) or answer_checks.states_verb(s.asked or "", event)
            else dataclasses.replace(s, score=s.score - EVENT_PENALTY)
            for s in found
        ]

        return sorted(lower, key=lambda s: s.score, reverse=True)

    def _scored(
        self, question: str, history: Sequence[Turn], passages: Sequence[Passage], most: int | None
    ) -> list[ScoredSentence]:
        """``score_sentences`` for the question; for "What did Ruiz say about the petition?" each sentence's
        better score against the topic alone and the topic with the name: the sentences that pass are Ruiz's
        words on the petition (checked in ``eligible``), which match the request's framing, and often the
        name, not at all, so a quotation on the topic scored by the whole question falls far short."""
        variants = [] if history else answer_checks.speech_topics(question)
        if not variants:
            return self.score_sentences(standalone_question(question, history), passages, most=most)
        best: dict[tuple[int, int], ScoredSentence] = {}
        for variant in variants:
            for s in self.score_sentences(variant, passages, most=most):
                known = best.get((s.passage_n, s.start))
                if known is None or s.score > known.score:
                    best[(s.passage_n, s.start)] = s
        return sorted(best.values(), key=lambda s: s.score, reverse=True)

    def select(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        *,
        body_only: bool = False,
    ) -> list[ScoredSentence]:
        """The sentences to quote, best first; empty when the evidence is too weak (abstain)."""
        # "Quote what X said after the vote": every eligible sentence already gives X's own words (on the
        # topic, when one is named), a check of its own; such a short question matches them less closely.
        who = answer_checks.speaker(question)
        why = who is None and answer_checks.asks_why(question)
        counted = who is None and not why and answer_checks.counted_thing(question) is not None
        threshold = self.threshold - (
            SPEECH_SLACK if who else WHY_SLACK if why else COUNT_SLACK if counted else 0.0
        )
        scored = self.eligible(question, passages, history, body_only=body_only, most=SENTENCE_CANDIDATES)
        if not scored or scored[0].score < threshold:
            # The likeliest sentences do not answer: every sentence is judged before abstaining.
            scored = self.eligible(question, passages, history, body_only=body_only)
        if scored and scored[0].score < threshold:
            scored = self._in_context(
                standalone_question(question, history),
                scored,
                passages,
                after_previous=who is not None,
            )
        event = answer_checks.event_verb(question) if why and scored else None
        if event is not None and not answer_checks.states_verb(scored[0].text, event):
            # ("Why did Tosk refuse ...?": a reason given for another event, "signed ... after four years of
            # talks", is no reason for the refusal: eased only for a sentence that states the event)
            threshold = self.threshold
        if not scored or scored[0].score < threshold:
            return []
        floor = max(threshold, scored[0].score - self.margin)
        # A long sentence that says every word of the question answers it, though its one vector is blurred
        # by the rest of it and so scores lower: it is quoted too.
        chosen = [
            s for s in scored if s.score >= floor or (s.overlap >= FULL_OVERLAP and s.score >= threshold)
        ]
        return _with_sequel(chosen, scored, passages, threshold)[: self.max_quotes]

    def _in_context(
        self,
        question: str,
        scored: list[ScoredSentence],
        passages: Sequence[Passage],
        *,
        after_previous: bool = False,
    ) -> list[ScoredSentence]:
        """``scored`` with its best few sentences also judged as said under their document's title, each
        keeping the better reading, best first; for a question none of them answers as read alone.

        ``after_previous``: read each after the sentence before it too, for a speaker's words whose topic
        that sentence gives ("Birds that winter south of the Sahara have changed far less." then ""They are
        flying blind," Viertel said."). Not for other questions: a date in the sentence after one on the
        asked ship is not that ship's date, and read together they would match as if it were.
        """
        by_n = {p.n: p for p in passages}
        best = scored[:IN_CONTEXT_SENTENCES]
        query_vector = self.embedder.embed_query(question)
        # (an answer under an interview's or a FAQ's question was read under it already: the title adds the
        # interviewee's name to "Four years.", which then matches any "how long did she ..." question)
        texts = [s.text if s.asked else f"{by_n[s.passage_n].title}: {s.text}" for s in best]
        if after_previous:
            texts += [f"{spans.sentence_before(s, by_n)} {s.text}".strip() for s in best]
        read = (self._vectors(texts) @ query_vector).reshape(-1, len(best)).max(axis=0)
        lifted = [
            dataclasses.replace(s, similarity=alone, score=s.score - s.similarity + alone)
            for s, in_context in zip(best, read, strict=True)
            for alone in [max(s.similarity, float(in_context) - IN_CONTEXT_DISCOUNT)]
        ]
        return sorted([*lifted, *scored[IN_CONTEXT_SENTENCES:]], key=lambda s: s.score, reverse=True)

    def stream(
        self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()
    ) -> Iterator[str]:
        lines = self.answer_lines(question, passages, history)
        if not lines:
            documents = self.documents() if self.documents is not None else {}
            plan = planning.plan(question, documents, standalone_question(question, history))
            vocabulary = self.term_weights() if self.term_weights is not None else None
            reason = kinds.missing_part(question, plan, vocabulary, documents)
            yield ABSTENTION if reason is None else f"{ABSTENTION} {reason}"
            return
        for i, line in enumerate(lines):  # a blockquote is one line; the quote check ignores white space
            yield ("\n\n" if i else "") + line

    def answer_lines(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        plan: planning.Plan | None = None,
    ) -> list[str]:
        """The answer as lines (answer lines, titles, ``> quote [n]``); empty to abstain.

        ``plan``: the question's kind and documents when they are known already (a part of a question).
        """
        documents = self.documents() if self.documents is not None else {}
        plan = plan or planning.plan(question, documents, standalone_question(question, history))
        kind = plan.kind.kind
        about_authors = kind in ("comparison", "fact") and asks_about_authors(
            question
        )  # before "author of X" goes
        if plan.scope.unresolved and kind in ("metadata", "summary"):
            return []  # it asks about a document that is not indexed: describing another would mislead
        if plan.scope.doc_ids and kind not in ("metadata", "multi_part"):
            # Inside the named documents, the words that name them say nothing about which sentence answers.
            question = reference.without_reference(question, documents, plan.scope.doc_ids)
            if reference.names_outside(question, documents, plan.scope.doc_ids):
                return []  # it asks about a name its document never mentions
        if kind in ("fact", "why_how", "definition", "list") and (
            found := kinds.structured(self, question, passages)
        ):
            return found  # a code block (how-to) or a table row answers better than any sentence
        if kind in ("list", "argument", "why_how", "fact") and (
            found := kinds.announced_items(question, plan, passages)
        ):
            return found  # "What three recommendations ...?": the ones the document announces and counts out
        if kind == "metadata" and documents:
            return kinds.metadata(plan, passages, documents)
        if about_authors:
            return kinds.author_profiles(self, question, passages)
        if kind == "summary":
            return kinds.summary(self, question, passages, argue=False)
        if kind == "argument":
            return kinds.argument(self, question, plan, passages, history)
        if kind == "comparison" or (
            plan.kind.all_documents and kind in ("fact", "why_how", "quote", "yes_no")
        ):
            # "What do the articles say about X": each document's own words on X, under its title.
            return kinds.comparison(self, question, plan, passages, history)
        if kind == "fact" and list_items.asks_who(question):
            # "Who funded X?" may have several answers: each sentence naming one is quoted (the items found
            # here are the listing's own, not found a second time)
            chosen = list_items.listing(self, question, passages, history)
            if len(chosen) > 1:
                return kinds.listing(self, question, passages, history, chosen=chosen)
        if kind == "list":
            return kinds.listing(self, question, passages, history)
        if kind == "multi_part":
            return kinds.multi_part(self, question, plan, passages, history)
        speaker = answer_checks.speaker(question)
        if kind == "quote" and speaker is None:
            question = quoted_topic(question)  # "Give me the exact words ... about X": X is what to find
        # (a reaction asked for is given in words as often as in deeds: "X said ... 'We will fight it,' he said")
        speech = kind == "quote" or speaker is not None or reactions.reacting(question) is not None
        found = kinds.fact(self, question, passages, history, speech=speech)
        if found or kind not in ("fact", "why_how", "definition"):
            return found
        return sections.answer(self, question, passages, history)  # a section its heading says is on it

    def generate(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> str:
        return "".join(self.stream(question, passages, history))


def _factory(
    *,
    settings: Settings,
    embedder: Embedder,
    term_weights: Callable[[], Mapping[str, float]] | None = None,
    documents: Callable[[], Mapping[str, Document]] | None = None,
    sentence_vectors: Callable[[], SentenceStore | None] | None = None,
    **_: object,
) -> ExtractiveGenerator:
    # term_weights is a callable rather than the pipeline itself so that generators never import the pipeline
    # (the pipeline creates generators: it sits above them).
    return ExtractiveGenerator(
        embedder,
        threshold=settings.abstain_threshold,
        term_weights=term_weights,
        documents=documents,
        sentence_vectors=sentence_vectors,
    )


register("extractive", _factory)
