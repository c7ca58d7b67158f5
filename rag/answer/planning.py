"""What to retrieve for a question, given its kind and the documents it names.

A fact needs the best few passages of the whole index; a question about one named document needs passages
of that document only; a summary needs most of the document; a comparison needs passages of each document;
a metadata question needs the document's opening (its byline and dateline).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from ..retrieve.retrieval import Hit
from ..retrieve.searcher import Searcher
from ..types import Document, Passage
from .question_kinds import DOCUMENT_KINDS, QuestionKind, asks_about_authors, asks_sources, classify, topic
from .reference import without_reference
from .scoping import INSTITUTE_WRITERS, Scope, resolve, sets_out_parties
from .section_routing import section_hits
from .structured import HOW_TO
from .table_routing import header_hits, row_hits

SUMMARY_CHUNKS = 12  # passages of one document a summary chooses its sentences from
PER_DOCUMENT = 3  # passages per document for a comparison or a summary of several documents
MAX_DOCUMENTS = 4  # documents a comparison or a summary of "the articles" covers
LIST_PASSAGES = 8  # a list gathers items from more passages than a single fact needs
CODE_POOL = 30  # how deep a how-to looks for passages that hold a code block
CODE_PASSAGES = 2  # passages with a code block a how-to adds from that depth
BOX_SLACK = 2  # passages fetched beyond those wanted, for the author-box ones left out (a box is one or two)


@dataclass(frozen=True)
class Plan:
    """A question's kind and the documents it names."""

    kind: QuestionKind
    scope: Scope


def plan(question: str, documents: Mapping[str, Document], query: str | None = None) -> Plan:
    """The kind of ``question`` and the documents it is about (``documents``: the index's documents).

    ``query`` is the question made standalone (a follow-up with the question before it): the documents it
    names are looked for there, the kind in the question itself.
    """
    # ask() plans a question to retrieve for it and the generator plans it again to answer it: the second
    # time is a look-up (matching a question against thousands of titles costs milliseconds).
    key = (question, query, id(documents))
    with _RECENT_LOCK:
        cached = _RECENT.get(key)
    if cached is not None and cached[0] is documents:
        return cached[1]
    made = _plan(question, documents, query)
    with _RECENT_LOCK:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        _RECENT[key] = (documents, made)
    return made


_RECENT: dict[tuple[str, str | None, int], tuple[Mapping[str, Document], Plan]] = {}
_RECENT_LOCK = threading.Lock()
_RECENT_MAX = 64  # questions in flight at once, with room to spare


# "the analysts quoted in *the harbour analysis*": people of one named document, not every document's authors
_ONE_DOCUMENT = re.compile(
    r"\b(?:in|of|from|by)\s+the\s+(?:[\w’'-]+\s+){0,3}?(?:article|piece|analysis|report|paper|op-ed|essay|brief|"
    r"editorial|column|story|review)\b",
    re.IGNORECASE,
)


# kinds that, asked of two documents the question names one by one, are answered by each side by side
_ASKED_OF_EACH = frozenset({"fact", "why_how"})


def _two_named(question: str, documents: Mapping[str, Document]) -> tuple[str, ...] | None:
    """The two documents a question names on either side of its one "and" ("according to *the brief* and
    *the op-ed*", "What part do *the Halvorsen Institute* and *the Aldercott Centre* expect ..."), each
    side naming one document and not the same; else None."""
    sides = re.split(r"\s+and\s+", question)
    if len(sides) != 2:
        return None
    named = [_side(side, documents) for side in sides]
    if all(len(n) == 1 for n in named) and named[0] != named[1]:
        return (*named[0], *named[1])
    return None


def _side(side: str, documents: Mapping[str, Document]) -> tuple[str, ...]:
    """The documents one side of a question names, read as a party of a comparison; or, when that leaves it
    unresolved, as a reference of its own ("according to the Corrant paper": the piece by the Corrant
    Institute's writers)."""
    scope = resolve(side, documents, several=True)
    if scope.unresolved:
        scope = resolve(side, documents)
    return scope.doc_ids or ()


def _plan(question: str, documents: Mapping[str, Document], query: str | None) -> Plan:
    kind = classify(question)
    document_kind = kind.kind in DOCUMENT_KINDS or kind.kind == "metadata"
    scope = resolve(
        query or question, documents, document_kind=document_kind, several=kind.kind == "comparison"
    )
    two = _two_named(query or question, documents) if kind.kind in _ASKED_OF_EACH else None
    if two is not None:
        # "How old is the fleet according to the brief and the op-ed?": a fact asked of two documents named
        # one by one is each one's answer side by side, a comparison of them (not a fact about a person
        # who wrote two of the documents: "Which book did X write?")
        kind, scope = dataclasses.replace(kind, kind="comparison"), Scope(two)
    # ("the Corbel authors" are the writers of the one piece by people of the Corbel Institute)
    one_named = len(scope.doc_ids or ()) == 1 and (
        _ONE_DOCUMENT.search(query or question) is not None
        or INSTITUTE_WRITERS.search(query or question) is not None
    )
    if kind.all_documents and not one_named and (scope.unresolved or len(scope.doc_ids or ()) < 2):
        # "the articles" are every document, unless the question says which ("the two articles by X").
        scope = Scope()
    elif kind.kind == "comparison" and len(scope.doc_ids or ()) == 1 and sets_out_parties(query or question):
        # "Do the op-ed and the village article agree ...?" with one party found: the other is a document
        # the words did not name, and one document is no comparison, so every document on the topic is read
        scope = Scope()
    return Plan(kind, scope)


def retrieve(retriever: Searcher, query: str, k: int, the_plan: Plan) -> list[Passage]:
    """The numbered passages to answer ``query`` from, as ``the_plan`` needs them.

    Inside the documents a question names, the words that name them find nothing: they are left out.
    """
    if the_plan.scope.doc_ids and the_plan.kind.kind not in ("metadata", "multi_part"):
        query = without_reference(query, retriever.documents, the_plan.scope.doc_ids)
    hits = _unique(_hits(retriever, query, k, the_plan))
    # A row of a table split over chunks is shown under the header, which only the table's first chunk holds.
    return retriever.passages(_unique(hits + header_hits(retriever, hits)))


def _hits(retriever: Searcher, query: str, k: int, the_plan: Plan) -> list[Hit]:
    kind, scoped = the_plan.kind.kind, the_plan.scope.doc_ids
    if kind in ("comparison", "summary"):
        query = topic(query)  # "Do the articles agree on X": X finds the passages, the framing only dilutes
    if asks_about_authors(query) and kind in ("comparison", "fact"):
        # "Compare the affiliations of the authors": each document's author box (its own chunk, kept last)
        doc_ids = scoped or _documents_of(retriever, retriever.search(query, max(k, 20)))
        hits = []
        for doc_id in doc_ids[:MAX_DOCUMENTS]:
            found = retriever.search(query, 50, doc_ids=[doc_id])
            hits += [h for h, p in zip(found, retriever.passages(found), strict=True) if p.author_box][:2]
        return _unique(hits)
    if kind == "metadata" and scoped:
        hits: list[Hit] = []
        for doc_id in scoped[:MAX_DOCUMENTS]:
            found = retriever.search(query, 50, doc_ids=[doc_id])
            # The document's first chunk holds its byline and dateline; its author box (kept last, a chunk of
            # its own) names the author where a page has no byline.
            passages = retriever.passages(found)
            starts = [p.start for p in passages]
            first = found[starts.index(min(starts))] if found else None
            box = next((h for h, p in zip(found, passages, strict=True) if p.author_box), None)
            hits += [h for h in [first, *found[:2], box] if h is not None]
        return _unique(hits)[: max(k, len(scoped))]
    if kind in ("summary", "argument") and scoped:
        per = SUMMARY_CHUNKS if len(scoped) == 1 else SUMMARY_CHUNKS // 2
        return [h for d in scoped[:MAX_DOCUMENTS] for h in _body_search(retriever, query, per, d)]
    if kind in DOCUMENT_KINDS and not scoped:
        # Every document on the topic gets its own passages, so none is left out for being ranked lower.
        ranked = retriever.search(query, max(k, 20))
        doc_ids = _documents_of(retriever, ranked)
        per = PER_DOCUMENT + (2 if kind == "summary" else 0)
        return [h for d in doc_ids for h in _body_search(retriever, query, per, d)]
    if kind == "list" and asks_sources(query):
        # "Which outlets does it cite?": its sources may be named anywhere in it, in words unlike the question's;
        # "... across the articles": so may every document's on the topic
        doc_ids = scoped or _documents_of(retriever, retriever.search(query, max(k, 20)))
        return [h for d in doc_ids[:MAX_DOCUMENTS] for h in _body_search(retriever, query, SUMMARY_CHUNKS, d)]
    if kind == "comparison" and scoped:
        return [h for d in scoped[:MAX_DOCUMENTS] for h in _body_search(retriever, query, PER_DOCUMENT, d)]
    if kind == "multi_part":
        # Each part finds its own passages, as its own kind needs them (a byline, a list's documents): the
        # whole question's best chunks may all be about one part. Names of documents come from the whole.
        hits = retriever.search(query, k, doc_ids=scoped)
        for part in the_plan.kind.parts:
            part_plan = Plan(
                classify(part),
                the_plan.scope if the_plan.kind.all_documents else _scope(part, query, retriever),
            )
            hits += _hits(retriever, part, k, part_plan)
        return hits
    # A how-to is answered by a code block, often in a short section that ranks below prose about the topic.
    how_to = kind in ("why_how", "fact") and HOW_TO.search(query) is not None
    deep = kind == "list" or how_to
    n = max(k, LIST_PASSAGES) if deep else k
    hits = retriever.search(query, n, doc_ids=scoped)
    if how_to:
        # In a long manual the block can rank below every passage of prose that cites the task's words:
        # the best few passages holding a code block come along from deeper in the ranking.
        pool = retriever.search(query, CODE_POOL, doc_ids=scoped)[n:]
        hits += [h for h, p in zip(pool, retriever.passages(pool), strict=True) if "```" in p.text][
            :CODE_PASSAGES
        ]
    if kind in ("fact", "definition", "why_how"):
        hits += row_hits(retriever, query, hits, scoped)  # a value in a long table: its row's chunk ranks low
    if kind == "list" or (the_plan.kind.all_documents and not scoped):
        # Items of a list, or what "the articles" say, may sit in any document: each gets its best chunks.
        # "The articles" are every document on the topic, not only those of the best few chunks.
        wide = retriever.search(query, max(k, 20)) if the_plan.kind.all_documents and not scoped else hits
        doc_ids = _documents_of(retriever, wide)
        hits += [h for d in doc_ids for h in retriever.search(query, PER_DOCUMENT, doc_ids=[d])]
    # A section whose heading the question names ("chunk size": *Chunking*) is read, however it ranks.
    return hits + section_hits(retriever, query, scoped or _documents_of(retriever, hits))


def _body_search(retriever: Searcher, query: str, n: int, doc_id: str) -> list[Hit]:
    """The best ``n`` passages of ``doc_id`` outside its author box: a summary, an argument or a comparison
    never quotes the box, so a box passage would only take the place of one of the document's own."""
    found = retriever.search(query, n + BOX_SLACK, doc_ids=[doc_id])
    passages = retriever.passages(found)
    return [h for h, p in zip(found, passages, strict=True) if not p.author_box][:n]


def _documents_of(retriever: Searcher, hits: list[Hit]) -> list[str]:
    """The documents of ``hits``, best first, at most MAX_DOCUMENTS (through the Searcher seam: any index)."""
    return list(dict.fromkeys(p.doc_id for p in retriever.passages(hits)))[:MAX_DOCUMENTS]


def _scope(part: str, whole: str, retriever: Searcher) -> Scope:
    """The documents a part of a question names, looked for in the whole question ("Who wrote X and when")."""
    return plan(part, retriever.documents, whole).scope


def _unique(hits: list[Hit]) -> list[Hit]:
    seen: set[int] = set()
    return [h for h in hits if not (h.row in seen or seen.add(h.row))]
