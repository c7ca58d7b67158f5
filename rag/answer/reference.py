"""What a question asks once the words that only name its document are taken out.

"Which news outlets does *the Lima strike analysis* cite?" is answered from that document alone
(``scoping``); inside it, the title words say nothing about which sentence answers, and they pull the scores
toward every sentence about the title's topic. So sentences (and the document's passages) are scored
against "Which news outlets does cite?". A name the question still holds after that must be in the
document, or the document does not answer it ("What does <its author> argue *Ruiz* should do?").

Only the documents' own metadata (title, authors, outlet) and generic document words are matched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..index import lexical
from ..types import Document
from . import authors_roles
from .scoping import DOCUMENT_WORDS, catalog
from .scoping import NAME as _NAME
from .scoping import QUOTED as _QUOTED

_DOC_WORDS = rf"(?:documents|{DOCUMENT_WORDS})"  # "according to the documents" is a reference here too
_STOP_TAIL = (
    r"(?=\s+(?:say|says|said|argue|argues|argued|recommend|recommends|suggest|suggests|claim|claims|warn|warns|"
    r"does|do|did|is|are|was|were|give|gives|list|lists|describe|describes|mention|mentions|cite|cites|quote|"
    r"quotes)\b|\s*[,?.;]|$)"
)
# "the Lima strike analysis", "the article about X", "in the Harbour Gazette piece"
_BARE = rf"(?:\b(?:in|from|of|by)\s+)?\b(?:the|this|that|an?)\s+(?:[\w’'.-]+\s+){{0,3}}?{_DOC_WORDS}\b"
_REFERENCE = re.compile(
    _BARE + rf"(?:\s+(?:about|on|regarding|concerning|covering)\s+.+?{_STOP_TAIL})?", re.IGNORECASE
)
_BARE_REFERENCE = re.compile(_BARE, re.IGNORECASE)
_ACCORDING = re.compile(
    rf",?\s*\b(?:according\s+to|in)\s+(?:the|this|that|these|both|all)\s+(?:two\s+|three\s+)?{_DOC_WORDS}\b",
    re.IGNORECASE,
)
_AUTHOR_OF = re.compile(
    r"\b(?:the\s+)?(?:author|writer)s?\s+of\s*(?=[,?.]|$)|\bthe\s+(?:author|writer)\b", re.I
)
_ASKING = frozenset(
    [
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "and",
        "or",
        "say",
        "says",
        "said",
        "argue",
        "argues",
        "compare",
        "compared",
        "with",
        "from",
        "differ",
        "differs",
        "between",
        "versus",
        "vs",
        "summarize",
        "summarise",
        "summary",
        "give",
        "me",
        "tell",
        "about",
    ]
)
MIN_CONTENT_WORDS = 2  # fewer left ("Summarize the article about X" -> "Summarize"): keep the question whole


def _possessive(name: str) -> str:
    return rf"\b{re.escape(name)}(?:['’]s)?\b"


_PIECE_WORDS = r"(?:analysis|brief|paper|commentary|report|study|op-ed|piece|note|article)\b"


def without_reference(question: str, documents: Mapping[str, Document], doc_ids: Sequence[str]) -> str:
    """``question`` without the words that name the documents ``doc_ids`` (title, author, outlet, "the
    article about X"); the question itself when too little would be left to score with."""
    text = _ACCORDING.sub("", question)
    for m in _QUOTED.finditer(question):
        quoted = (m.group(1) or m.group(2)).strip(" ?.!")
        if any(quoted.casefold() in documents[d].title.casefold() for d in doc_ids if d in documents):
            text = text.replace(m.group(0), " ")
    for doc_id in doc_ids:
        document = documents.get(doc_id)
        if document is None:
            continue
        # An outlet only ever names the document; an author may be what is asked about ("Which book did
        # X write?"), so an author's name goes only as part of a reference ("X's article", below).
        entry = catalog(documents).by_id.get(doc_id)
        names = list(entry.outlets) if entry is not None else []
        for name in sorted(set(names), key=len, reverse=True):
            if len(name) >= 3:
                text = re.sub(_possessive(name), " ", text, flags=re.IGNORECASE)
        # ("the Herald report": a shorter name of the outlet, as written)
        for alias in sorted(entry.outlet_aliases if entry is not None else (), key=len, reverse=True):
            text = re.sub(_possessive(alias), " ", text)
        # ("the Tarrant analysis": the first word of where its authors work, before the kind of piece)
        for role in entry.roles if entry is not None else ():
            first = (role.employer or "").split()[:1]
            if first and len(first[0]) >= 3:
                text = re.sub(rf"\b{re.escape(first[0])}(?:[’']s)?\s+(?={_PIECE_WORDS})", " ", text)
    # "the article on X" names a document by X; but in "compare A with the B piece on X", X is the topic:
    # when taking the descriptor too leaves nothing to ask, the descriptor is kept.
    for pattern, least in ((_REFERENCE, MIN_CONTENT_WORDS), (_BARE_REFERENCE, 1)):
        cleaned = _AUTHOR_OF.sub(" ", pattern.sub(" ", text))
        cleaned = " ".join(cleaned.replace(" ?", "?").split())
        cleaned = re.sub(r"\s+([?.,])", r"\1", cleaned).strip(" ,")
        content = [
            t for t in cleaned.casefold().replace("?", " ").replace(".", " ").split() if t not in _ASKING
        ]
        if len(content) >= least:
            return cleaned
    return question


def names_outside(question: str, documents: Mapping[str, Document], doc_ids: Sequence[str]) -> list[str]:
    """The names (capitalised words, not the first) of ``question`` that none of ``doc_ids`` mentions.

    ``question`` should be the question without its document reference, so a title word does not count.
    A name matches a word it begins (the first five letters: "Chilean" in "Chile", "Kenyans" in "Kenya").
    """
    # The document's metadata counts: an author named only in front matter is still its author.
    texts = [
        " ".join([d.text, d.title, *d.authors, d.publication or ""]).casefold()
        for d in (documents[i] for i in doc_ids if i in documents)
    ]
    if not texts:
        return []
    missing = []
    for name in _NAME.findall(question):
        word = name.casefold().removesuffix("'s").removesuffix("’s")
        if len(word) < 3 or word in _ASKING:
            continue
        stem = (lexical.tokenize([word])[0] or [word])[0]
        # "Lu-9", "F-16": a model name is found whole, not by a piece as short as "lu" (in "value")
        found = (word in t for t in texts) if "-" in word else (word[:5] in t or stem in t for t in texts)
        if not any(found):
            missing.append(name)
    return missing


# Words that frame a question about a document's case, not what it is about.
_FRAMING = frozenset(
    lexical.tokenize(
        [
            "what which who how does do did is are was were the a an of in on about main key central chief "
            "argument arguments argue argues argued recommend recommends recommendation recommendations advice "
            "advise advises suggest suggests propose proposes thesis point points case make makes view views "
            "position author writer article piece their his her its this that these those say says "
            # "What does X think the board should do instead?", "What warning does X give?"
            "think thinks believe believes want wants should instead warning warnings give gives conclude "
            "concludes alternative alternatives verdict case "
            # "What is the overall position X takes in her op-ed?", "the main point X is trying to make"
            "overall stance take takes taking trying try tries making "
            # ("... about the dispute": what the whole piece is about, said as a general noun)
            "dispute quarrel row conflict crisis standoff "
            # the kind of piece that named the document ("the brief analysis", "the op-ed", "the commentary")
            "analysis analyses brief op-ed commentary column editorial essay"
        ]
    )[0]
)


def topic_terms(question: str, documents: Mapping[str, Document], doc_ids: Sequence[str]) -> set[str]:
    """The terms ``question`` asks about beyond naming its documents and framing the ask: empty for "What
    are the main arguments of <author>?", {"decis", "strike", ...} for "What does <author> argue Ruiz's
    decisions on the strike really are?"."""
    text = without_reference(question, documents, doc_ids)
    for doc_id in doc_ids:
        document = documents.get(doc_id)
        for author in document.authors if document is not None else ():
            for name in sorted({author, *author.split()}, key=len, reverse=True):
                if len(name) >= 3:
                    text = re.sub(_possessive(name), " ", text, flags=re.IGNORECASE)
        # "the parents' chair": the role that named the document's author is no part of what is asked
        for role in catalog(documents).by_id[doc_id].roles if doc_id in catalog(documents).by_id else ():
            text = authors_roles.without_role(text, role)
    return set(lexical.tokenize([text])[0]) - _FRAMING


def without_title_words(text: str, document: Document | None) -> str:
    """``text`` without the words of ``document``'s title. Every block of "Rivet: a tool" sits under headings
    that may say "Rivet", so a question naming the document ("the tests of Rivet") must not pick one of its
    blocks for sharing the document's name: what tells them apart is what each is about."""
    if document is None or not document.title:
        return text
    named = {w.lower() for w in re.findall(r"\w+", document.title)}
    return re.sub(r"\w+", lambda m: "" if m.group(0).lower() in named else m.group(0), text)
