"""Which documents a question is about, when it names them: by title words, author, outlet or a quoted title.

"Who wrote the Harbour Gazette piece?", "Summarize the article about the Lima strike",
"What is Okafor's argument ...": each names one document (or one author's documents), and is answered from
those alone. A question that refers to a document ("the article on X") that no indexed document matches is
*unresolved*: a metadata question or a summary about it abstains rather than describe another document.

Only the documents' own metadata (title, authors, outlet) is matched; nothing here knows any document.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from ..index import lexical
from ..types import Document
from . import authors_roles

# Catalogs are built from every document's metadata; past this many documents, scoping by title is skipped
# (reading every document of a very large index for it would cost more than the question is worth).
MAX_CATALOG = 50_000
# The words a question uses to speak of a document ("the article", "this report"); ``reference`` builds on them.
DOCUMENT_WORDS = (
    r"(?:article|articles|piece|pieces|analysis|analyses|report|paper|document|essay|post|op-ed|story|"
    r"brief|commentary|column|editorial|review|readme|page|manual|guide|explainer)"
)
_DOCUMENT_WORD = re.compile(rf"\b{DOCUMENT_WORDS}\b", re.IGNORECASE)
QUOTED = re.compile(r"[\"“‘]([^\"”’]{8,200})[\"”’]|(?<![A-Za-z])'(.{8,200}?)'(?![A-Za-z])")
_DESCRIPTOR = re.compile(
    _DOCUMENT_WORD.pattern + r"\s+(?:about|on|regarding|concerning|covering|that\s+covers)\s+(.+)$",
    re.IGNORECASE,
)
_PLURAL_REFERENCE = re.compile(r"\b(?:articles|pieces|analyses|documents|papers|reports)\b", re.IGNORECASE)
# "Which article is more hopeful about X?", "What does each report say?": asks among the documents, names none
_ASKS_AMONG = re.compile(rf"\b(?:which|each|every|either|neither)\s+{DOCUMENT_WORDS}\b", re.IGNORECASE)
NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-Z][\w’'-]*\w)")
# "the article by Jane Roe": a document named by its author (reached only when no indexed author matched)
_BY_NAME = re.compile(_DOCUMENT_WORD.pattern + r"\s+by\s+[A-Z][\w’'-]+")
# A bare role ("the editor") names a document only in a small collection: in a large one many bylines share
# it, and telling whether another document gives it to someone else would read every document.
BARE_ROLE_DOCUMENTS = 200
_STRONG_TITLE = 0.8  # share of a title's words in the question that names it without saying "article"
_MIN_TITLE_WORDS = 2  # distinctive title words a question must share with a title to name it


@dataclass(frozen=True)
class Scope:
    """The documents a question names (None: it names none), and whether it named one that is not indexed."""

    doc_ids: tuple[str, ...] | None = None
    unresolved: bool = False


@dataclass(frozen=True)
class _Entry:
    doc_id: str
    title: str
    title_terms: frozenset[str]
    authors: tuple[str, ...]
    outlets: tuple[str, ...]
    year: str = ""  # the year of the document's date, "" when it has none
    roles: tuple[authors_roles.Role, ...] = ()  # what its byline or author box calls its authors
    # Shorter names of its outlet, matched as written ("the Herald report" for the Hallowdale Herald)
    outlet_aliases: tuple[str, ...] = ()
    # The kind its header labels it ("Analysis", "Opinion", "An interview with ..."): see ``labels``
    labels: frozenset[str] = frozenset()


class Catalog:
    """The metadata of every document of one index, with how many titles each title word occurs in."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        docs = list(documents.values()) if len(documents) <= MAX_CATALOG else []
        terms = lexical.tokenize([d.title for d in docs]) if docs else []
        roles = [authors_roles.roles(d) for d in docs]
        employers = [_employers(r) for r in roles]
        # (an organisation every document's author works at names none of them: "the Institute's analysis")
        common = set.intersection(*map(set, employers)) if len(docs) > 1 else set()
        self.entries = [
            _Entry(
                d.doc_id,
                d.title,
                frozenset(t),
                d.authors,
                tuple(dict.fromkeys([*_outlets(d), *(e for e in works if e not in common)])),
                (d.date or "")[:4],
                r,
                outlet_aliases(d),
                labels(d),
            )
            for d, t, r, works in zip(docs, terms, roles, employers, strict=True)
        ]
        self.title_df = Counter(t for e in self.entries for t in e.title_terms)
        self.texts = {d.doc_id: d.text.casefold() for d in docs}
        self.by_id = {e.doc_id: e for e in self.entries}
        self.with_roles = [e for e in self.entries if e.roles]  # a corpus without bylines has none to read
        # Which entries could match a question, so that a question naming no document costs a few set look-ups
        # rather than a walk over every title: entries (by position) per title term, and per first word of an
        # author, surname or outlet (a name matches only where its first word is a word of the question).
        self.by_title_term: dict[str, list[int]] = {}
        self.by_name_word: dict[str, list[int]] = {}
        self.odd_names: list[int] = []  # names that do not start with a word character: always checked
        for i, e in enumerate(self.entries):
            for t in e.title_terms:
                self.by_title_term.setdefault(t, []).append(i)
            for name in {
                *e.authors,
                *(a.split()[-1] for a in e.authors if a.split()),
                *e.outlets,
                *e.outlet_aliases,
            }:
                word = _first_word(name)
                if word is None:
                    self.odd_names.append(i)
                else:
                    self.by_name_word.setdefault(word, []).append(i)

    def named_candidates(self, question: str) -> list[_Entry]:
        """The entries whose author, surname or outlet might occur in ``question`` (a superset), in order."""
        words = set(_WORD.findall(question.casefold()))
        found = {i for w in words for i in self.by_name_word.get(w, ())}
        return [self.entries[i] for i in sorted(found.union(self.odd_names))]

    def shared_title_terms(self, terms: set[str]) -> list[tuple[_Entry, int]]:
        """Each entry whose title shares terms with ``terms``, with how many, in order."""
        shared = Counter(i for t in terms for i in self.by_title_term.get(t, ()))
        return [(self.entries[i], shared[i]) for i in sorted(shared)]

    def title_candidates(self, terms: set[str]) -> list[_Entry]:
        """The entries whose title shares a term with ``terms``, in order."""
        found = {i for t in terms for i in self.by_title_term.get(t, ())}
        return [self.entries[i] for i in sorted(found)]


_WORD = re.compile(r"\w+")


def _first_word(name: str) -> str | None:
    """The first run of word characters of a name that starts with one (casefolded); None otherwise."""
    folded = name.casefold()
    m = _WORD.match(folded)
    return m.group(0) if m else None


def _outlets(document: Document) -> tuple[str, ...]:
    """The names a question may use for the document's outlet: its publication, its site's name."""
    names = [document.publication or "", (document.publication or "").removeprefix("The ")]
    if document.url:
        host = urlparse(document.url).netloc.lower().removeprefix("www.")
        names.append(host.rsplit(".", 1)[0] if "." in host else host)
    names += [n.rsplit(".", 1)[0] for n in names if re.search(r"\.[a-z]{2,4}$", n)]
    return tuple(dict.fromkeys(n.strip() for n in names if len(n.strip()) >= 3))


def _employers(roles: tuple[authors_roles.Role, ...]) -> tuple[str, ...]:
    """The organisations a document's authors work at, as a question may name the document by them: the
    full name and its head ("Halden Institute for Water Policy", "Halden Institute")."""
    names: list[str] = []
    for role in roles:
        if role.employer:
            names += [role.employer, re.split(r"\s+(?:for|of|on)\s+", role.employer)[0]]
    return tuple(dict.fromkeys(n for n in names if len(n.split()) >= 2))


def outlet_aliases(document: Document) -> tuple[str, ...]:
    """The shorter names a question may give the document's outlet, to be matched as written: its last words
    ("Evening Post", "Post" for the Vayle Evening Post; "Herald" for the Hallowdale Herald)."""
    words = (document.publication or "").removeprefix("The ").split()
    return tuple(" ".join(words[i:]) for i in range(1, len(words)) if words[i][:1].isupper())


# The kinds of piece a header labels a page by ("By Owen Halbrook | The Lowland Ledger | Analysis", "Column |
# Hallowdale Herald", "*The Orrinford Post, opinion*"), and the words a question names each by
_LABELS = {
    "analysis": "analysis",
    "opinion": "opinion",
    "column": "opinion",
    "comment": "opinion",
    "editorial": "opinion",
    "op-ed": "opinion",
    "interview": "interview",
    "q&a": "interview",
    "explainer": "explainer",
    "commentary": "commentary",
}
_LABEL_PART = re.compile(r",\s+|\s+[·|•—–-]\s+|\s*\|\s*")
_LABEL_LINE = re.compile(r"^(?:an?\s+)?interview\s+(?:with|by)\b", re.IGNORECASE)
_ASKED_LABEL = re.compile(
    r"\bthe\s+(?:[\w’'-]+\s+){0,3}?(analysis|column|editorial|op-ed|opinion\s+(?:piece|column|article)|"
    r"comment\s+piece|interview|q&a|explainer|commentary)\b",
    re.IGNORECASE,
)
HEADER_LINES = 6  # lines of a page's text, after its title, that may label it
_STATED_LINE = re.compile(r"(?:name|property|itemprop)=|\w+\s*:\s*\S")  # a meta tag's or front matter's
LABEL_HEADER_WORDS = 16  # a line this long is the article's text, not its header


def labels(document: Document) -> frozenset[str]:
    """The kinds of piece ``document``'s title or header lines label it ("analysis", "opinion", "interview",
    "explainer"): a question may name it by that ("Do the report and *the analysis* agree ...?")."""
    found = set()
    head = re.match(r"\s*(\w[\w-]*)\s*:", document.title)  # "Opinion: ...", "Analysis: ..."
    if head and head.group(1).casefold() in _LABELS:
        found.add(_LABELS[head.group(1).casefold()])
    # (after the lines a page's meta tags or front matter state, and its title)
    lines = [line.strip(" *_#") for line in document.text.split("\n") if line.strip()]
    lines = [line for line in lines if not _STATED_LINE.match(line) and line != document.title.strip()]
    for line in lines[:HEADER_LINES]:
        if len(re.findall(r"\w+", line)) > LABEL_HEADER_WORDS:
            break
        if _LABEL_LINE.match(line):
            found.add("interview")
        for part in _LABEL_PART.split(line):
            word = part.strip(" .:*_").casefold()
            # ("Brief Analysis", "Policy Analysis": the kind with a word of what sort)
            last = word.split()[-1] if 0 < len(word.split()) <= 2 else word
            if word in _LABELS or last in _LABELS:
                found.add(_LABELS[word if word in _LABELS else last])
                found.add(word)  # as written too: "the brief analysis" is the one labelled so
    # A label line kept with the author box ("ABOUT THE AUTHOR ... Brief Analysis") names the piece only as
    # written: such a site labels every page ("the analysis" may be any of them), "the op-ed" only its op-eds
    for a, b in document.author_box:
        line = document.text[a:b].strip(" *_#").casefold()
        if 0 < len(line.split()) <= 2 and line.split()[-1] in _LABELS:
            found.add(line)
    return frozenset(found)


def _asked_labels(question: str) -> list[tuple[str, str]]:
    """The kinds of piece ``question`` names documents by ("the analysis", "the column", "the interview"),
    each with the label as written with the word before it ("the brief analysis": "brief analysis")."""
    asked = []
    for m in _ASKED_LABEL.finditer(question):
        label = m.group(1).casefold()
        before = [w for w in question[: m.start(1)].split()[-1:] if w.casefold() != "the"]
        asked.append((_LABELS[label.split()[0]], " ".join([*(w.casefold() for w in before), label])))
    return asked


def _by_label(question: str, cat: Catalog) -> list[_Entry]:
    """The documents ``question`` names by a kind of piece that one document alone is labelled as, or by a
    label one alone has as written ("the brief analysis" when another page is a "Policy Analysis")."""
    found: list[_Entry] = []
    for kind, written in _asked_labels(question):
        labelled = [e for e in cat.entries if kind in e.labels]
        if len(labelled) != 1:
            labelled = [e for e in cat.entries if written in e.labels]
        if not labelled and " " in written:
            # ("the Meridian Review op-ed": the label as written, whatever word comes before it)
            labelled = [e for e in cat.entries if written.split()[-1] in e.labels]
        if len(labelled) != 1 and len(written.split()) == 2:
            labelled = _employed_at(written.split()[0], cat)
        if len(labelled) == 1:
            found += labelled
    return found


def _employed_at(word: str, cat: Catalog) -> list[_Entry]:
    """The documents whose authors work where ``word`` (casefolded) is the first word of ("the Tarrant
    analysis": the Tarrant Institute for ...)."""
    return [
        e for e in cat.entries if any(_first_word(r.employer or "") == word for r in e.roles if r.employer)
    ]


def _by_employer(question: str, cat: Catalog) -> list[_Entry]:
    """The document ``question`` names by where its authors work and the kind of piece ("per the Halvern
    analysis"), when one document alone is by authors from there."""
    words = [written.split()[0] for _, written in _asked_labels(question) if len(written.split()) == 2]
    # ("What do the Corbel authors want?", "the Corrant paper", "the Ellery Centre fellow": its writers or the
    # piece named so)
    words += [m.group(1).casefold() for m in _INSTITUTE_PIECE.finditer(question)]
    found: list[_Entry] = []
    for word in dict.fromkeys(words):
        employed = _employed_at(word, cat)
        if len(employed) == 1 and employed[0] not in found:
            found += employed
    return found


# What a question calls a piece, or its writers, after the name of where they work ("the Corbel authors", "the
# Corrant paper"): shared with the checks that tell such a name is a source, not a subject
WRITER_WORDS = r"(?:authors?|writers?|analysts?|fellows?|researchers?|team)"
PIECE_WORDS = r"(?:analysis|brief|paper|commentary|report|study|op-ed|piece|column|article)"
_INSTITUTION = r"(?:\s+(?:Institute|Centre|Center|Foundation|Council|Forum|Society|Group|School|University))?"
INSTITUTE_WRITERS = re.compile(rf"\b[Tt]he\s+([A-Z][\w-]+){_INSTITUTION}\s+{WRITER_WORDS}\b")
_INSTITUTE_PIECE = re.compile(rf"\b[Tt]he\s+([A-Z][\w-]+){_INSTITUTION}\s+(?:{WRITER_WORDS}|{PIECE_WORDS})\b")


def names_outlet(question: str, entry: _Entry) -> bool:
    """Whether ``question`` names the entry's outlet: its full name in any case, or a shorter name as
    written, not as the question's first word ("Review the ..." names no Review)."""
    return any(_has_phrase(question, o) for o in entry.outlets) or any(
        re.search(rf"(?<=\w\W)(?<!\w){re.escape(a)}(?!\w)", question) for a in entry.outlet_aliases
    )


_CATALOGS: dict[int, tuple[Mapping[str, Document], Catalog]] = {}
_LOCK = threading.Lock()


def catalog(documents: Mapping[str, Document]) -> Catalog:
    """The catalog of ``documents``, built once per documents mapping (one per loaded index generation)."""
    with _LOCK:
        cached = _CATALOGS.get(id(documents))
        if cached is None or cached[0] is not documents:
            if len(_CATALOGS) > 8:
                _CATALOGS.clear()
            cached = _CATALOGS[id(documents)] = (documents, Catalog(documents))
        return cached[1]


def _has_phrase(text: str, phrase: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", text.casefold()))


def _author_match(question: str, entry: _Entry) -> bool:
    # A surname that is also a word ("Omar Said", "Ann Little") names its author only written as a name:
    # "what Holt said" does not name Said; a question typed all in lower case may name either way.
    lower = question == question.lower()
    for author in entry.authors:
        surname = author.split()[-1] if author.split() else ""
        if _has_phrase(question, author) or (
            len(surname) >= 4
            and _has_phrase(question, surname)
            and (lower or re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", question) is not None)
        ):
            return True
    return False


def _names_absent(question: str, doc_id: str, cat: Catalog) -> bool:
    """Whether the question names something (a capitalised word) that the document never mentions."""
    text = cat.texts.get(doc_id, "")
    entry = cat.by_id.get(doc_id)
    entry_words = entry.title + " " + " ".join(entry.authors + entry.outlets) if entry else ""
    for name in NAME.findall(question):
        word = name.casefold().removesuffix("'s").removesuffix("’s")
        if len(word) < 3 or word in ("the", "what", "who", "when", "which", "how", "why", "where"):
            continue
        if word[:5] not in text and word not in entry_words.casefold():
            return True
    return False


def resolve(
    question: str, documents: Mapping[str, Document], *, document_kind: bool = False, several: bool = False
) -> Scope:
    """The documents ``question`` names.

    Args:
        question: the question as asked.
        documents: the index's documents (their metadata is matched).
        document_kind: the question asks about a document as a whole (metadata, summary, argument), so
            title words name a document even without the word "article".
        several: the question sets documents side by side (a comparison): each may be named another way
            ("the Okafor article" and "the Lima strike analysis"), and all of them are its scope.
    """
    cat = catalog(documents)
    if not cat.entries:
        return Scope()
    refers = bool(_DOCUMENT_WORD.search(question))
    q_terms = set(lexical.tokenize([question])[0])
    # "the op-ed", "the editorial": a piece of opinion, which a title says by its label ("Opinion: ...")
    genre = set(_OPINION_TERMS) if _OPINION.search(question) else set()
    q_terms |= genre
    quoted = [a or b for a, b in QUOTED.findall(question)]
    found: list[str] = []
    # A quoted title, or most of a title's words: the strongest signal.
    quoted = [q.strip(" ?.!").casefold() for q in quoted if len(q.split()) >= 3]
    if quoted:  # (rare: only then is every title read)
        for entry in cat.entries:
            if (
                any(q in entry.title.casefold() for q in quoted)
                or entry.title_terms
                and len(entry.title_terms & q_terms) / len(entry.title_terms) >= _STRONG_TITLE
            ):
                found.append(entry.doc_id)
    else:
        for entry, shared in cat.shared_title_terms(q_terms):
            if shared / len(entry.title_terms) >= _STRONG_TITLE:
                found.append(entry.doc_id)
    if found:
        return Scope(tuple(dict.fromkeys(found)))
    if genre and _OPINIONS.search(question):
        # "the two op-eds", "the opinion pieces": every document titled as opinion
        opinions = [e.doc_id for e in cat.entries if e.title_terms & genre]
        if len(opinions) >= 2:
            return Scope(tuple(opinions))
    if _ASKS_AMONG.search(question):
        # "Which article is more critical of the harbour talks?": the topic's words may be a title's, but
        # the question asks which of all the documents, so it names none of them
        return Scope()
    named = cat.named_candidates(question)
    by_person = [e for e in named if _author_match(question, e)]
    by_outlet = [e for e in named if names_outlet(question, e)]
    # "the headteacher", "the consumer editor's view": an author named by the role their byline gives;
    # "the 2021 article": a document named by its year
    by_person += [
        e for e in _by_role(question, cat, documents) + _by_year(question, cat) if e not in by_person
    ]
    by_title: list[_Entry] = []
    titled: list[_Entry] = []  # before the check that the question names nothing the document lacks
    if refers or document_kind:
        rare = max(1, len(cat.entries) // 100)
        modifier = {t for t in _modifier_terms(question) | genre if cat.title_df[t] == 1}
        best = 0
        # Only a title that shares a rare term or a modifier with the question can reach _MIN_TITLE_WORDS.
        reachable = {t for t in q_terms if cat.title_df[t] <= rare} | modifier
        for entry in cat.title_candidates(reachable):
            shared = sum(1 for t in entry.title_terms & q_terms if cat.title_df[t] <= rare)
            # "the tomato article": one distinctive title word right before the document word is enough.
            if shared < _MIN_TITLE_WORDS and entry.title_terms & modifier:
                shared = _MIN_TITLE_WORDS
            if shared >= _MIN_TITLE_WORDS and shared >= best:
                by_title = [*by_title, entry] if shared == best else [entry]
                best = shared
        titled = by_title
        by_title = [e for e in by_title if not _names_absent(question, e.doc_id, cat)]
    descriptor = _DESCRIPTOR.search(question)
    topic = set(lexical.tokenize([descriptor.group(1)])[0]) if descriptor else set()
    # (each document of a comparison lacks the other's names: "the Okafor article" is not about Lima)
    named = list({e.doc_id: e for e in [*by_person, *by_outlet, *titled]}.values())
    if several and len(named) == 1:
        # "Do the harbour board and the crews' union agree about X?": one party named by its document's
        # title words, the other by a word only one other title has, among the parties before the framing
        named += _party_by_title_word(question, cat, named[0])
    if several:
        # "How do the Corrant authors and Langmoor differ ...?": a party named by where its writers work
        named += [e for e in _by_employer(question, cat) if e not in named]
    if several and len(cat.entries) <= BARE_ROLE_DOCUMENTS:
        # "Do the Herald report and the column agree ...?": a party named by the kind of piece it is
        named += [e for e in _by_label(question, cat) if e not in named]
        if len(named) == 1:
            # "How does the Gazette's account compare with what Pryor says?": a party named by the one
            # person only another document speaks of
            named += _party_by_person(question, cat, named[0])
    if several and len(named) >= 2:
        return Scope(tuple(e.doc_id for e in named))
    candidates = by_person or by_outlet
    by_employer = (
        _by_employer(question, cat)
        if (refers or INSTITUTE_WRITERS.search(question)) and not candidates and not several
        else []
    )
    if len(by_employer) == 1:
        # "Under the early-warning plan, what would the money pay for, per the Halvern analysis?": the authors'
        # institute names the piece; title words the question shares with another page are its topic
        return Scope(tuple(e.doc_id for e in by_employer))
    if candidates and by_title:
        both = [e for e in candidates if e in by_title]
        # ("the Evening Post column on staffless libraries": the outlet names the column, though "evening"
        # is a word of another document's title too)
        candidates = both or (by_outlet if by_outlet and not by_person else by_title)
    elif by_title:
        candidates = by_title
    elif candidates and topic and refers:
        # "the <outlet> report on X": the outlet's documents about X only (X in the title, or every word of it
        # in the title and lead: "the Coastal Ledger piece on the survey figures")
        leads = set(_by_lead(topic, cat))
        candidates = [
            e for e in candidates if len(topic & e.title_terms) * 2 >= len(topic) or e.doc_id in leads
        ]
    if not candidates and refers and len(cat.entries) <= BARE_ROLE_DOCUMENTS:
        # "What does the analysis recommend?": the one document labelled as an analysis
        labelled = _by_label(question, cat)
        candidates = labelled if len(labelled) == 1 else []
    if candidates:
        return Scope(tuple(e.doc_id for e in candidates))
    if (
        descriptor
        and topic
        and not (_PLURAL_REFERENCE.search(question) or _ASKS_AMONG.search(question))
        # "the Harbour Gazette article on X", "the article by Jane Roe": a name no document has settles it
        and not (_named_reference(question) or _BY_NAME.search(question))
    ):
        # "the article about the runway closure" where the title says "... to shut main runway for resurfacing"
        leads = _by_lead(topic, cat)
        if len(leads) == 1:
            return Scope((leads[0],))
        if leads:  # several documents open on it: it is in the index, though which one is not said
            return Scope()
    # It points at a document ("the article about X", "the X piece") that no indexed document matches.
    unresolved = (
        refers
        and not _PLURAL_REFERENCE.search(question)
        and not _ASKS_AMONG.search(question)
        and bool(topic or by_person or by_outlet or _named_reference(question) or _BY_NAME.search(question))
    )
    return Scope(unresolved=unresolved)


# How much of a document's text, after its title, is its lead: a news article states its subject there, and
# a teaser for another article at the end of the page does not make the page about that subject.
LEAD_CHARACTERS = 800


def _by_lead(topic: set[str], cat: Catalog) -> list[str]:
    """The documents whose title and lead say every term of ``topic`` (a stem's first letters are enough:
    "closure" is said by "will close its runway"); none in a collection too large to read for it."""
    if len(cat.entries) > BARE_ROLE_DOCUMENTS:
        return []
    stems = [re.compile(rf"\b{re.escape(t[: max(4, len(t) - 2)])}") for t in topic if len(t) >= 3]
    return [
        e.doc_id
        for e in cat.entries
        for lead in [e.title.casefold() + "\n" + cat.texts.get(e.doc_id, "")[:LEAD_CHARACTERS]]
        if stems and all(p.search(lead) for p in stems)
    ]


# "the fishermen's op-ed", "the chamber's opinion piece": who owns the document, before its word
_OWNER_OF_DOCUMENT = re.compile(
    rf"\bthe\s+((?:[\w-]+\s+){{0,2}}?[\w-]+)['’]s?\s+(?:opinion\s+)?{DOCUMENT_WORDS}\b", re.IGNORECASE
)
_OPINION = re.compile(r"\b(?:op-?eds?|editorials?|opinion\s+(?:piece|article|column)s?)\b", re.IGNORECASE)
_OPINIONS = re.compile(r"\b(?:op-?eds|editorials|opinion\s+(?:pieces|articles|columns))\b", re.IGNORECASE)
_OPINION_TERMS = frozenset(lexical.tokenize(["opinion"])[0])

_PARTIES = re.compile(
    r"^\s*(?:do|does|did|how\s+do|how\s+does|compare\s+(?:what|how))\s+(?:the\s+)?(.+?)\s+(?:agree|disagree|differ|"
    # "How do the report and the op-ed *treat* X?"
    r"say|see|view|compare|treat|portray|describe|depict|cover|discuss|present|frame)\b",
    re.IGNORECASE,
)


def sets_out_parties(question: str) -> bool:
    """Whether a comparison opens with two parties ("Do *the op-ed and the council* agree ...?")."""
    m = _PARTIES.search(question)
    return m is not None and " and " in m.group(1)


def _party_by_title_word(question: str, cat: Catalog, named: _Entry) -> list[_Entry]:
    """The one other document whose title alone has a word of the parties a comparison opens with and
    names not the document already found: "the *council*" for "Harwick Council Approves ...". None when
    that word is in several titles or the parties are not set out."""
    m = _PARTIES.search(question)
    if m is None or " and " not in m.group(1):
        return []
    words = set(lexical.tokenize([m.group(1)])[0]) - named.title_terms
    found = {e.doc_id: e for e in cat.title_candidates(words) if e.doc_id != named.doc_id}
    hits = [e for e in found.values() if any(cat.title_df[t] == 1 for t in e.title_terms & words)]
    return hits if len(hits) == 1 else []


# "what Pryor says", "Pryor's account": a person set beside a document as a party to the comparison
_SPEAKING = re.compile(
    r"(?<!^)\b([A-Z][\w-]+)(?:[’']s\s+(?:view|views|account|take|version|position|answer)|\s+(?:says|said|thinks|"
    r"argues|claims|believes|told))\b"
)


def _party_by_person(question: str, cat: Catalog, named: _Entry) -> list[_Entry]:
    """The one other document that mentions a name of ``question`` which the document already found never
    does; none when no such name, or when several documents mention it."""
    if _PLURAL_REFERENCE.search(question):
        return []  # "the articles": every document is compared
    found: dict[str, _Entry] = {}
    for name in _SPEAKING.findall(question):
        word = name.casefold()
        if len(word) < 4 or _has_phrase(cat.texts.get(named.doc_id, ""), word):
            continue
        having = [
            e for e in cat.entries if e.doc_id != named.doc_id and _has_phrase(cat.texts[e.doc_id], word)
        ]
        if len(having) == 1:
            found[having[0].doc_id] = having[0]
    return list(found.values()) if len(found) == 1 else []


def _modifier_terms(question: str) -> set[str]:
    """The terms of the two words right before each document word ("the *Lima strike* analysis and the
    *harbour* report": a comparison may name each of its documents this way)."""
    terms: set[str] = set()
    for m in _DOCUMENT_WORD.finditer(question):
        words = question[: m.start()].split()[-2:]
        terms |= set(lexical.tokenize([" ".join(words)])[0]) if words else set()
    return terms


def _named_reference(question: str) -> bool:
    """Whether a name comes right before the document word: "the Foreign Affairs article"."""
    m = _DOCUMENT_WORD.search(question)
    if m is None:
        return False
    before = question[: m.start()].split()[-3:]
    return any(w[:1].isupper() and w.casefold() not in ("the", "this", "that") for w in before[1:] or before)


# "the 2021 article", "the 2021 and 2022 pieces", "the analysis from 2019": a year next to a document word
_YEAR_BEFORE = re.compile(
    rf"\b((?:19|20)\d\d)(?:\s+(?:and|or)\s+((?:19|20)\d\d))?\s+(?:[\w-]+\s+)?{DOCUMENT_WORDS}\b",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(
    rf"\b{DOCUMENT_WORDS}\s+(?:from|of|published\s+in|written\s+in|in)\s+((?:19|20)\d\d)\b", re.IGNORECASE
)


def _by_year(question: str, cat: Catalog) -> list[_Entry]:
    """The documents dated in a year the question names beside a document word; none when no such year is
    asked or no document is dated then (a year alone names an event as often as a document)."""
    years = {y for m in _YEAR_BEFORE.finditer(question) for y in m.groups() if y}
    years |= {m.group(1) for m in _YEAR_AFTER.finditer(question)}
    return [e for e in cat.entries if e.year and e.year in years] if years else []


def _by_role(question: str, cat: Catalog, documents: Mapping[str, Document]) -> list[_Entry]:
    """The documents whose author the question names by the role the byline or author box gives them
    ("the headteacher" for "By Ann Roe, headteacher of X"); none when the role names every document, or
    when another document gives the bare role word to someone it names ("board chair Ana Ruiz": "the
    chair" may be her)."""
    found = []
    # "the fishermen's op-ed", "the chamber's opinion piece": a document named by whom its author speaks for
    owners = [set(lexical.tokenize([m.group(1)])[0]) for m in _OWNER_OF_DOCUMENT.finditer(question)]
    for e in cat.with_roles:
        if any(owner and any(owner <= role.terms for role in e.roles) for owner in owners):
            found.append(e)
            continue
        for role in e.roles:
            how = authors_roles.named_by(question, role)
            if how == 2 or (
                how == 1
                and len(cat.entries) <= BARE_ROLE_DOCUMENTS
                and not any(
                    authors_roles.titles_someone(documents[d.doc_id].text, role)
                    for d in cat.entries
                    if d.doc_id != e.doc_id and d.doc_id in documents
                )
            ):
                found.append(e)
                break
    return found if len(found) < len(cat.entries) else []
