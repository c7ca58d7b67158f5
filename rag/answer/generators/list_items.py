"""List questions: every sentence that holds an item of the list, each quoted, grouped by document.

Items are the sentences that answer the question, each document's best among them (a list's items are
often spread over the documents), within a margin of the best: items differ from each other, so they match
the question less alike than one answer does. Two habits of lists are used as well:
- the items of an enumeration ("First, ...", "Second, ...", "Finally, ...") are taken together when one of
  them answers, since the next items rarely repeat the question's words;
- a qualifier of the asked type ("*Chilean* officials") must be in an item's sentence ("Chile" or
  "Chilean"), or the sentence names an item of another kind.

Items often match the question only loosely ("Which people *opposed* the plan?" against "X *condemned* it";
"Who is *paying* for it?" against "It is *financed* by ..."), so three more habits are used:
- the kind of item is told by the question's head noun or "who" (``item_type``: a person, organisation,
  place, number, reason or action) and an item's sentence holds one (``holds_item``: a name the question does
  not give, a figure, a cause, a commitment); such a sentence may score ``TYPED_SLACK`` under the threshold
  and is taken wherever it ranks, and a list of figures quotes only sentences with a figure;
- the relation asked ("Who *funded*", "Which groups *opposed*") is stated by its verb, a word made from it,
  or a close variant from a small family of verbs (``relation_stems``); a sentence that names someone and
  states it needs only be on a document on the topic, and is listed first;
- the sentence after an item goes on with more items when it says "He also ..." or when the item names the
  asked kind itself ("The board listed the *measures* it will take.").
"Who funded X?" (a fact by its form) is answered as a list when more than one sentence names someone who did.

(Using word vectors for the close variants was tried: all-MiniLM puts "opposed" nearer "said" than
"condemned". Naming items by their type with the embedder, "the Chilean news agency Sur Press" against "news outlets", was
tried: all-MiniLM's cosines between a short name and a type word are too close together to draw a line.)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...index import lexical
from ...index.sentences import split_sentences
from ...types import Passage
from .. import direct_answers, summaries
from ..question_kinds import asks_sources, plural
from ..scoping import PIECE_WORDS, WRITER_WORDS
from . import answer_checks
from .base import Turn
from .spans import goes_on_in

if TYPE_CHECKING:
    from .extractive import ExtractiveGenerator, ScoredSentence

LIST_ITEMS = 5
LIST_MARGIN = 0.15  # a list item may score this far under the best one: items differ from each other
LIST_REPEAT = 0.9  # cosine above which a list item repeats one already quoted
# words an item counted out by an ordinal has at least ("The first is uneven exposure.", not "First, though:")
ORDINAL_ITEM_WORDS = 4
ANNOUNCE_REACH = 400  # characters from an announcing sentence to the first item it announces
_AUX = r"(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|might|may)"
_WH_WORDS = re.compile(
    r"^\s*(?:which|what|list|name)\s+(?:(?:the|all|every)\s+)?(?:(?:two|three|four|five|six|\d+|main|key|other)\s+)?"
    r"(.+)$",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"^(?:first|second|third|fourth|fifth|finally|lastly|one\b|another\b|the\s+(?:first|second|third|last|other))",
    re.IGNORECASE,
)


# "... found three problems with ...": a count of things, which the next sentences may go through.
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven")
_COUNTED = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)}|several)\s+(?:[a-z]+\s+)?[a-z]+s\b", re.IGNORECASE)
_FIRST = re.compile(r"^(?:first|one\b|the\s+first)", re.IGNORECASE)
# "It must insist on three things before any settlement.", "The government should take three steps.": a count
# of items that are actions or points, each said by a sentence of its own, which need name nothing
_GENERIC_ITEMS = re.compile(
    rf"\b({'|'.join(_NUMBER_WORDS)})\s+(?:[a-z]+\s+)?(?:things|steps|measures|changes|demands|conditions|"
    r"commitments|reforms|ways|problems|options|actions|tasks|priorities|principles|lessons|proposals|"
    r"recommendations|moves|fixes|remedies)\b",
    re.IGNORECASE,
)
ANNOUNCEMENT_WORDS = 20  # an announcement of things to come is one short sentence


# "Which officials did X *meet*": the relation asked about, which an item's sentence must state. Verbs of
# speech and of the document itself ("say", "list", "cite") are stated in many other words.
_RELATION = re.compile(
    rf"^\s*(?i:which|what)\s+(?:[\w’'-]+\s+){{1,3}}?(?i:{_AUX})\s+(?:the\s+)?(?:[A-Z][\w.’'-]*(?<![’']s)\s+)+"
    # ("What measures do the Corbel *authors* want ...?": a piece or its writers named by where they work)
    rf"(?:(?:{WRITER_WORDS}|{PIECE_WORDS})\s+)?"
    # ("What duties could the NMA *have imposed* ...?": the verb after a perfect's "have")
    r"(?:(?:have|has|had|be|been)\s+(?=[a-z]+(?:ed|en|wn|t)\b))?"
    r"([a-z]\w+)\b"
)
_TOLD_VERBS = frozenset(
    [
        "say",
        "tell",
        "think",
        "believe",
        "write",
        "mention",
        "describe",
        "cite",
        "list",
        "give",
        "name",
        "call",
        "argue",
        "claim",
        "report",
        "see",
        "view",
        # an affiliation is stated as "runs", "sits on the board of", "is a fellow at"
        "work",
        "serve",
        "be",
        "been",
        "become",
        # what a writer wants done is said as advice ("should require", "must insist on")
        "want",
    ]
)


_TOLD_STEMS = frozenset(t for verb in _TOLD_VERBS for t in lexical.tokenize([verb])[0]) | frozenset(
    lexical.tokenize(["said told mentioned named quoted cited listed described called based reported"])[0]
)


_WANTS = re.compile(rf"\bwants?\b|{summaries.ADVICE_ASKED.pattern}", re.IGNORECASE)


def relation(question: str) -> str | None:
    """The verb a list question asks its items to stand in ("Which officials did X *meet*?"), or None."""
    m = _RELATION.search(question)
    if m is None or " or " in question or m.group(1).lower() in _TOLD_VERBS:
        return None
    return m.group(1)


def asked_type(question: str) -> str | None:
    """The kind of item a list question asks for ("Which *news outlets* does it cite?"), or None: the
    words after "which"/"what" up to the first plural among the first three, before any verb."""
    m = _WH_WORDS.match(question)
    if m is None:
        return None
    words: list[str] = []
    for word in m.group(1).split()[:3]:
        if re.fullmatch(_AUX, word, re.IGNORECASE):
            break
        words.append(word.strip("?.,"))
        if plural(words[-1]):
            return " ".join(words)
    return None


def qualifier(kind: str | None) -> list[str]:
    """The capitalised words of the asked type ("*Chilean* officials"): an item's sentence must name them."""
    return [w for w in (kind or "").split()[:-1] if w[:1].isupper()]


def _qualified(text: str, words: Sequence[str]) -> bool:
    folded = text.casefold()
    # "Chilean" is named by "Chile", "Peruvian" by "Peru": their first four letters.
    return all(w.casefold()[:4] in folded for w in words)


def enumeration(s: ScoredSentence, passages: Sequence[Passage]) -> list[tuple[Passage, int, int]]:
    """The items of the enumeration ``s`` belongs to ("First, ...", "Second, ...", "Finally, ...") or
    announces ("... found three problems."), as spans of the passages of its document in document order;
    empty when there is none.

    An enumeration starts at its "First"/"One": a document may hold several.
    """
    opens = direct_answers.announces_next(s.text) or _COUNTED.search(s.text) is not None
    if not opens and not _ORDINAL.match(s.text):
        return []
    found: dict[int, tuple[Passage, int, int]] = {}
    for p in passages:
        if p.doc_id != s.doc_id:
            continue
        for a, b in split_sentences(p.text):
            if _ORDINAL.match(p.text[a:b]) and len(p.text[a:b].split()) >= ORDINAL_ITEM_WORDS:
                found.setdefault(p.start + a, (p, a, b))
    here = passages_start(s, passages)
    runs: list[list[int]] = []
    last = 0  # the rank of the run's last ordinal
    for at in sorted(found):
        p, a, b = found[at]
        rank = _rank(p.text[a:b])
        # ("The third is X." then "Second, return 40 percent ...": a count that goes back starts another list)
        if not runs or _FIRST.match(p.text[a:b]) or (rank and rank <= last):
            runs.append([])
        runs[-1].append(at)
        last = rank or last
    if opens:  # the run that begins right after the announcing sentence (within a short paragraph's reach)
        run = next((r for r in runs if 0 < r[0] - here <= ANNOUNCE_REACH), [])
    else:
        run = next((r for r in runs if here in r), [])
    if len(run) > 1:
        return [found[at] for at in run]
    return counted_items(s, passages) if opens else []


_RANKS = {"first": 1, "one": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _rank(sentence: str) -> int:
    """The place an ordinal opening ``sentence`` gives its item (2 for "Second, ..." and "The second is ..."),
    0 for "Finally", "Another" and the like."""
    m = re.match(r"^(?:the\s+)?([a-z]+)", sentence, re.IGNORECASE)
    return _RANKS.get(m.group(1).casefold(), 0) if m else 0


def announces_count(sentence: str) -> bool:
    """Whether ``sentence`` counts things it goes on to list ("... only with four safeguards ...")."""
    return _COUNTED.search(sentence) is not None


def counted_items(s: ScoredSentence, passages: Sequence[Passage]) -> list[tuple[Passage, int, int]]:
    """The sentences that go through what ``s`` counts without ordinals ("Three firms bid. Acme quoted
    ... Brio quoted ... Cato, a Dutch maker, ..."): as many of the next sentences of its paragraph as it
    counts, when each names something; empty otherwise."""
    # the first count said as a number ("several suppliers" says no number of sentences to take)
    m = next((c for c in _COUNTED.finditer(s.text) if c.group(1).casefold() in _NUMBER_WORDS), None)
    if m is None:
        return []
    count = _NUMBER_WORDS.index(m.group(1).casefold()) + 2
    # (a count that closes its passage goes on in the overlapping one: ``spans.goes_on_in``; of the passages
    # that hold it, the one that reads furthest into its paragraph, where a chunk ends after the first item)
    s = goes_on_in(s, {p.n: p for p in passages})
    holding = [s] + [
        dataclasses.replace(s, passage_n=p.n, start=at, end=at + len(s.text))
        for p in passages
        if p.doc_id == s.doc_id and p.n != s.passage_n and (at := p.text.find(s.text)) >= 0
    ]
    best: list[tuple[Passage, int, int]] = []
    for held in holding:
        passage = next(p for p in passages if p.n == held.passage_n)
        paragraph_end = passage.text.find("\n\n", held.end)
        end = len(passage.text) if paragraph_end < 0 else paragraph_end
        found = [(a, b) for a, b in split_sentences(passage.text) if held.end <= a < end][:count]
        if len(found) > len(best):
            best = [(passage, a, b) for a, b in found]
    if len(best) < 2:
        return []
    # ("Both governments must do three things. Corlandia must withdraw ... Vessary must agree ... And both
    # must sign ...": things to do are said by as many sentences, which need name nothing new)
    generic = announces_things(s.text) and len(best) == count
    if not generic and not all(new_names(p.text[a:b], "") for p, a, b in best):
        return []
    return best


def announces_things(sentence: str) -> bool:
    """Whether ``sentence`` is a short announcement of a number of things to do or points to make ("It must
    insist on three things before any settlement.", "Instead, the government should take three steps."),
    which the sentences after it go through; not a sentence that lists them itself."""
    return (
        len(sentence.split()) <= ANNOUNCEMENT_WORDS
        and _GENERIC_ITEMS.search(sentence) is not None
        and ":" not in sentence
        and not enumerates_inline(sentence)
    )


# Where a document names a publication it draws on ("According to the X", "as reported by the X", "in an
# interview with X", "X reported that") and a person it quotes ("X put it", "X said", "told X", "said X").
_BY_PUBLICATION = re.compile(
    r"\baccording\s+to\b|\breported\b|\breports\s+that\b|\b(?:interview|spoke|speaking|talked)\s+(?:with|to)\b|"
    r"\btold\b|\bwrote\s+in\b|\bpublished\s+(?:by|in)\b|\bcited\s+by\b",
    re.IGNORECASE,
)
_SPEECH = (
    rf"(?:{answer_checks.SPEECH_VERBS}|explained|declared|stressed|asserted|remarked|described|asked|replied)"
)
_BY_PERSON = re.compile(
    # "X said", "X has also said", "X, who aptly described (it) as", "The mayor, X, said", "X, 24, who
    # studies in Lima, said": an aside set off by commas may stand between the name and its verb
    # (not the first word of a quotation, '"Nobody has told us ...," she said', nor a pronoun: "She said" names
    # no one)
    rf"(?<![“\"])\b(?!(?:He|She|They|It|We|I|You)\b)[A-Z][\w’'-]+(?:,\s+who|(?:,(?:\s+[^,;:.!?\s]+){{1,{answer_checks.APPOSITION_REACH}}}){{1,2}},|,)?\s+"
    rf"(?:(?:has|had|have|also|then|later|[a-z]+ly)\s+)?{_SPEECH}\b|"
    rf"\b(?i:said|says|told|added|noted|according\s+to)\s+(?:[a-z]+\s+){{0,3}}?[A-Z][\w’'-]+"
)
# A person named with their role: "Harbour Minister Ana Ruiz", "aide Tomas Berg", "President X".
_ROLE = (
    r"(?:[Mm]inister|[Pp]resident|[Pp]rime\s+[Mm]inister|aide|[Aa]mbassador|[Ss]pokes(?:man|woman|person)|"
    r"[Ss]ecretary(?:\s+of\s+[A-Z]\w+)?|official|[Aa]dvis[eo]r|[Dd]irector|[Ll]eader|[Cc]hief|[Ss]enator|"
    r"[Gg]eneral|[Cc]hairman|[Gg]overnor|[Mm]ayor|[Cc]hancellor|[Ee]nvoy|[Dd]iplomat|[Dd]eputy)"
)
_NAMED_PERSON = re.compile(rf"{_BY_PERSON.pattern}|\b{_ROLE}\s+(?:[A-Z][\w’'-]+\s+){{0,3}}[A-Z][\w’'-]+")
SOURCE_ITEMS = 8  # a document seldom cites more; each is its own sentence


def sources(
    gen: ExtractiveGenerator, question: str, passages: Sequence[Passage], kind: str
) -> list[ScoredSentence]:
    """For "Which outlets does it cite?" / "Which officials are quoted?": the sentences that attribute words
    or figures to a publication (``kind`` "publication") or a person ("person"), in document order.

    They seldom share the question's words ("cite", "quoted"), so no threshold applies: the attribution is
    what makes a sentence an item. A qualifier ("*Peruvian* officials") must be in the sentence or the one
    before it (a person is often introduced by a title alone: "the mayor's aide X told Reuters").
    """
    pattern = {"publication": _BY_PUBLICATION, "person": _BY_PERSON}.get(kind, _NAMED_PERSON)
    wanted = qualifier(asked_type(question))
    by_n = {p.n: p for p in passages}
    qualified = _qualified if kind == "publication" else _of_people
    found = [
        s
        for s in gen.score_sentences(question, passages)
        if not s.in_author_box
        and pattern.search(s.text)
        and qualified(_with_previous(s, by_n[s.passage_n]), wanted)
    ]
    # several documents ("the articles"): each in turn, the best retrieved first, each in its own order
    rank = {d: i for i, d in enumerate(dict.fromkeys(p.doc_id for p in passages))}
    return sorted(found, key=lambda s: (rank[s.doc_id], passages_start(s, passages)))[:SOURCE_ITEMS]


# "while on a visit *to Peru*": a country named as a place, not as whose the people are
_PLACE_BEFORE = re.compile(r"\b(?:to|in|into|from|at|across|towards?|near)\s+$", re.IGNORECASE)


def _of_people(text: str, words: Sequence[str]) -> bool:
    """Like ``_qualified``, for people: a qualifier ("*Peruvian* officials") counts where it is not a place
    someone went to or was in ("a visit to Peru"); "Peruvian ambassador", "Peru's neutrality" and "if Peru
    had" count."""
    for word in words:
        stem = re.escape(word[:4])
        if not any(
            m.group(0).endswith(("’s", "'s")) or not _PLACE_BEFORE.search(text[: m.start()])
            for m in re.finditer(rf"\b{stem}[\w’']*", text, re.IGNORECASE)
        ):
            return False
    return True


def _with_previous(s: ScoredSentence, passage: Passage) -> str:
    """The sentence with the one before it in its passage."""
    before = [(a, b) for a, b in split_sentences(passage.text) if b <= s.start]
    return passage.text[before[-1][0] : s.end] if before else s.text


# "Which cranes *other than the Model-7* ...": the named item is excluded, and an item must be of the asked
# kind; "the crane" after it points back at the excluded one.
_EXCEPT = re.compile(
    r"\b(?i:other\s+than|besides|apart\s+from|aside\s+from|except(?:\s+for)?)\s+(?i:the\s+|a\s+|an\s+)?"
    # a name ("the Model-7", "Chile and Peru") or else the words up to the verb or the end of the clause
    r"(?:(?P<name>[A-Z0-9][\w’'.-]*(?:\s+(?:and\s+)?[A-Z0-9][\w’'.-]*)*)|"
    r"(?P<words>.+?)(?=\s+(?:has|have|had|did|does|do|is|are|was|were|that|which|who|in|to|from|by|for|on)\b|[?,;]|$))"
)
_POINTING = frozenset(["the", "this", "that", "these", "those", "its", "their", "such", "same"])


def excluded(question: str) -> str | None:
    """What a list question leaves out ("other than the Model-7" -> "Model-7"), or None."""
    m = _EXCEPT.search(question)
    return (m.group("name") or m.group("words")).strip() if m else None


def names_new_item(text: str, left_out: str, kind: str | None, question: str) -> bool:
    """Whether ``text`` can name an item other than ``left_out``.

    A sentence that mentions ``left_out`` must name something else too (a name the question does not
    give). When the asked kind is a compound ("container cranes") the sentence must name that kind, and
    not as "the crane" (which points back at the item just named) or as the left-out item's kind. A single word ("weapons") is seldom
    repeated by an item's sentence, so it is not required.
    """
    if left_out.casefold() in text.casefold():
        given = {w.casefold() for w in answer_checks.names(" x " + question)}
        others = [w for w in answer_checks.names(text) if w.casefold() not in given and w not in left_out]
        if not others:
            return False
    words = lexical.tokenize([kind or ""])[0]
    if len(words) < 2:
        return True
    raw = re.findall(r"[\w’'-]+", text.casefold())
    stems = [lexical.tokenize([w])[0] for w in raw]  # a stop word has none
    n = len(words)
    # "the Model-7 container crane", "Lu-9 passenger ferries": the kind named of the item left out
    not_new = _POINTING | set(re.findall(r"[\w’'-]+", left_out.casefold()))
    for i in range(len(raw) - n + 1):
        if [t[:1] for t in stems[i : i + n]] == [[w] for w in words] and (
            i == 0 or raw[i - 1] not in not_new
        ):
            return True
    return False


# The kind of item a list asks for, told by its head noun ("Which *organisations* ...", "What *amounts* ..."):
# an item's sentence must hold one (a name the question does not give, a figure, a cause, a commitment).
_ITEM_NOUNS = {
    "person": "people persons men women officials experts leaders residents critics opponents supporters "
    "politicians ministers diplomats analysts researchers scientists speakers",
    "organisation": "organisations organizations groups companies firms institutions bodies agencies funders "
    "sponsors banks parties unions associations businesses backers donors universities colleges schools "
    "outlets newspapers suppliers bidders manufacturers makers vendors providers contractors councils clubs "
    "charities",
    "place": "countries cities towns villages places regions states nations districts capitals",
    "number": "amounts figures numbers sums totals prices costs percentages shares",
    "reason": "reasons causes explanations factors motives",
    "action": "measures steps actions conditions plans proposals commitments promises requirements rules",
    # things made and sold are named like organisations: "the Brio X2", "Acme's Model-7"
    "product": "products models brands devices machines apps tools vehicles",
}
_ITEM_TYPE = {noun: kind for kind, nouns in _ITEM_NOUNS.items() for noun in nouns.split()}
_BODY = re.compile(
    r"\b(?i:the)\s+(?:[a-z’'-]+\s+){1,2}(?:department|fund|government|council|union|ministry|board|agency|"
    r"association|authority|committee|party|bank|company|court|commission)\b"
)
_WHO = re.compile(r"^\s*who\b", re.IGNORECASE)
# what a sentence commits someone to: "will offer", "must monitor", "is banned", "plans to"
_ACTION = re.compile(
    r"\b(?:will|must|shall|should|would|plans?\s+to|agreed\s+to|promised\s+to|is\s+banned|are\s+banned|"
    r"required\s+to|has\s+to|have\s+to)\b",
    re.IGNORECASE,
)
# an item that holds a thing of the asked type, or a sentence that lists, may score this far under the threshold
TYPED_SLACK = 0.2


def item_type(question: str) -> str | None:
    """What kind of thing a list question's items are: "person", "organisation", "place", "number",
    "reason" or "action" (from the head noun of what it asks for, or "who"), or None."""
    kind = asked_type(question)
    if kind is not None:
        return _ITEM_TYPE.get(kind.split()[-1].casefold())
    return "person" if _WHO.match(question) else None


# Verbs that state one relation in different words: a list of "who criticised X" is also made of those who
# "complained about" or "condemned" it, and "who funded X" of those who "financed", "paid for" or "lent".
_RELATION_FAMILIES = (
    "criticise criticize complain condemn oppose object protest denounce attack warn reject",
    "support back praise welcome endorse defend favour favor",
    "fund finance pay paid sponsor contribute donate lend lent grant invest",
    "meet met visit talks",
)
_FAMILIES = [lexical.tokenize([family])[0] for family in _RELATION_FAMILIES]
# Verbs a list's own sentence may state its relation by ("moving two artillery batteries, a squadron of ...
# and ..." for "Which units did X send?"), though a question in them asks for one doer ("Who built X?")
_LISTING_FAMILIES = [
    lexical.tokenize([family])[0]
    for family in (
        "send sent move moving deploy dispatch station transfer",
        "build built construct erect",
        "sell sold export supply deliver",
        "buy bought purchase acquire import order",
        "ban prohibit outlaw forbid",
    )
]
RELATION_FLOOR = (
    0.05  # an item that names someone and states the asked relation needs only be in a passage on topic
)
_WHICH_DID = re.compile(
    r"^\s*(?i:which|what)\s+(?:[a-z]+\s+){0,2}?(?:people|persons|men|women|[a-z]+s)\s+([a-z]+ed)\b"
)


def asked_verb(question: str) -> str | None:
    """The verb a "who" or "which people" question asks its items to have done ("Who *funded* X?",
    "Which groups *opposed* Y?"), or None."""
    m = _WHO_DID.match(question) or _WHICH_DID.match(question) or _RELATION.search(question)
    if m is None or m.group(1).casefold() in _WHO_ONE or m.group(1).casefold() in _TOLD_VERBS:
        return None
    return m.group(1)


def _close_stems(verb: str | None) -> list[str]:
    """The stems of ``verb`` and of its close variants, for the sentence of a list (``_LISTING_FAMILIES``)."""
    return relation_stems(verb, [*_FAMILIES, *_LISTING_FAMILIES])


def relation_stems(verb: str | None, families: Sequence[Sequence[str]] = _FAMILIES) -> list[str]:
    """The stems that state ``verb``: its own, and those of its family of close variants (of ``families``)."""
    if not verb:
        return []
    own = lexical.tokenize([verb])[0]
    for family in families:
        if any(o.startswith(f) or f.startswith(o) for o in own for f in family if min(len(o), len(f)) >= 3):
            return sorted(set(family) | set(own))
    return own


# "... the ministry *has inspected or fined*?", "... were *fined or banned*?": the relations a list asks
# its items to stand in, after an auxiliary, joined by "or"/"and"
_PERFECT = re.compile(
    rf"\b{_AUX}\s+(?:been\s+)?([a-z]{{3,}}ed)\b(?:\s+(?!or\b|and\b)[a-z]+)?(?:\s+(?:or|and)\s+([a-z]{{3,}}ed)\b)?"
)


def perfect_stems(question: str) -> list[str]:
    """The stems of the past participles a list question asks about after an auxiliary ("which countries
    the ministry *has inspected or fined*"), verbs of speech and of the document left out; empty when
    there are none."""
    found: list[str] = []
    for m in _PERFECT.finditer(question):
        for verb in filter(None, m.groups()):
            if not set(lexical.tokenize([verb])[0]) & _TOLD_STEMS:
                found += lexical.tokenize([verb])[0]
    return sorted(set(found))


def states_relation(text: str, stems: Sequence[str]) -> bool:
    """Whether ``text`` states one of ``stems`` (a word made from it counts: "complaint", "funding")."""
    said = lexical.tokenize([text])[0]
    return any(t == w or (len(w) >= 4 and t.startswith(w)) for t in said for w in stems)


def asks_who(question: str) -> bool:
    """ "Who funded / opposed / met ...?": a question for the people or bodies that did something several
    usually do together — a relation of a family of close verbs (backing, opposing, paying, meeting). "Who is
    X?", "Who wrote it?" and "Who built X?" ask for one, and are answered as facts, with a direct answer."""
    m = _WHO_DID.match(question)
    if m is None or m.group(1).casefold() in _WHO_ONE:
        return False
    return len(relation_stems(m.group(1))) > len(lexical.tokenize([m.group(1)])[0])


_WHO_DID = re.compile(r"^\s*(?i:who)\s+(?:(?:is|are|was|were|has|have|had)\s+)?([a-z]+)\b")
_WHO_ONE = frozenset(
    ["is", "was", "are", "were", "wrote", "write", "writes", "authored", "else", "the", "a", "an"]
)


NAMED_KINDS = ("person", "organisation", "place", "product")
# "Helvion's offer ...", "Ana Ruiz said ...": a sentence's first word is a name when it owns something or
# goes on with another capitalised word; otherwise it is capitalised only for starting the sentence ("They").
_NAME_FIRST = re.compile(r"^\W*([A-Z][\w’'-]*[\w])(?=[’']s\b|\s+[A-Z])")


def new_names(text: str, question: str) -> set[str]:
    """The names ``text`` holds that the question does not give, one per run of capitalised words ("Corvel
    Rail, a Swiss builder": "corvel rail" and "swiss"; case folded), and the bodies it names in lower case
    ("the regional sports council"): the candidate items of a list of people, organisations or places."""
    given = {w.casefold() for w in answer_checks.names(" x " + question)}
    words = list(_WORD.finditer(text))
    runs: list[list[str]] = []
    last = -2  # the index of the last named word
    for i, m in enumerate(words):
        word = _OWNER.sub("", m.group(0))
        named = (
            word[:1].isupper()
            and word not in answer_checks.NOT_NAMES
            and word.casefold() not in given | _CALENDAR
            and (i > 0 or _NAME_FIRST.match(text) is not None)
        )
        if not named:
            continue
        # a run goes on over the next word when only a space stands between them ("Corvel Rail")
        if (
            last == i - 1
            and text[words[last].end() : m.start()] == " "
            and not _OWNER.search(words[last].group(0))
        ):
            runs[-1].append(word)
        else:
            runs.append([word])
        last = i
    found = {" ".join(run).casefold() for run in runs}
    bodies = {m.group(0).casefold() for m in _BODY.finditer(text)}
    return found | {b for b in bodies if b not in question.casefold()}


_WORD = re.compile(r"[\w’'-]+")
_OWNER = re.compile(r"[’']s$")


# A month or a day is capitalised but names no item ("by September").
_CALENDAR = frozenset(
    re.findall(
        r"\w+",
        "january february march april may june july august september october november december "
        "monday tuesday wednesday thursday friday saturday sunday",
    )
)


def holds_item(text: str, kind: str | None, question: str) -> bool:
    """Whether ``text`` holds a thing of the asked ``kind``: a name the question does not give (people,
    organisations, places), a figure, a stated cause, or a commitment ("will", "must"). None: False."""
    if kind in NAMED_KINDS:
        # "backed by the finance department": a body named in lower case, not the one the question names
        found = new_names(text, question)
        return bool(found if kind != "place" else {w for w in found if " " not in w})
    if kind == "number":
        return answer_checks.fits_type(text, "quantity")
    if kind == "reason":
        return answer_checks.gives_reason(text, "why")
    if kind == "action":
        return _ACTION.search(text) is not None
    return False


def continued(
    s: ScoredSentence, sentences: Sequence[ScoredSentence], kind: str | None = None
) -> ScoredSentence | None:
    """The sentence right after ``s`` in its passage when it goes on about the same subject ("He also
    works as ...", "It will also ...") or gives what ``s`` announces by naming the asked ``kind`` itself
    ("The board listed the *measures* it will take."): more items, which rarely repeat the question."""
    after = [t for t in sentences if t.passage_n == s.passage_n and t.start >= s.end]
    if not after:
        return None
    nxt = min(after, key=lambda t: t.start)
    head = lexical.tokenize([kind.split()[-1]])[0] if kind else []
    announces = bool(head) and set(head) <= set(lexical.tokenize([s.text])[0])
    return nxt if announces or _GOES_ON.match(nxt.text) else None


_GOES_ON = re.compile(r"^(?:he|she|they|it)\s+(?:\w+\s+)?also\b", re.IGNORECASE)


NAME_GAIN = 0.05  # what each name not yet quoted (up to NAME_CAP) adds to an item's score in a list of names
NAME_CAP = 4


def by_new_names(ordered: Sequence[ScoredSentence], question: str) -> list[ScoredSentence]:
    """``ordered`` re-ranked for a list of people, organisations or places: each next item is the one whose
    score, plus ``NAME_GAIN`` for each name it adds to those already taken, is highest, keeping the order's
    first habit (each document's best first). A sentence that adds no name repeats the items already taken
    ("*The bidders* also promise ...") and is left out once one item is taken.

    A sentence that names three companies ("The bidders are A, a Danish developer; B; and C.") is then
    quoted before one that only matches the question's words ("The board shortlisted three companies.").
    """
    left = list(ordered)
    firsts = {id(s) for s in {s.doc_id: s for s in reversed(left)}.values()}
    taken: list[ScoredSentence] = []
    seen: set[str] = set()
    docs: set[str] = set()
    names_of = {id(s): new_names(s.text, question) for s in left}

    def value(s: ScoredSentence, seen: set[str], docs: set[str]) -> tuple[bool, float]:
        fresh = len(names_of[id(s)] - seen)
        return (s.doc_id not in docs and id(s) in firsts, s.score + NAME_GAIN * min(fresh, NAME_CAP))

    while left:
        best = max(left, key=lambda s: value(s, seen, docs))  # noqa: B023 (used at once, in this turn)
        left.remove(best)
        names = names_of[id(best)]
        if taken and not names - seen:
            continue
        taken.append(best)
        seen |= names
        docs.add(best.doc_id)
    return taken


def passages_start(s: ScoredSentence, passages: Sequence[Passage]) -> int:
    """Where ``s`` begins in its document."""
    return next(p.start for p in passages if p.n == s.passage_n) + s.start


def listing(
    gen: ExtractiveGenerator, question: str, passages: Sequence[Passage], history: Sequence[Turn]
) -> list[ScoredSentence]:
    """The sentences to quote for a list question, best first; empty to abstain.

    Items are taken best first, each document's best one among them, skipping a sentence that repeats one
    already taken.
    """
    cited = asks_sources(question)
    if cited is not None:  # a sentence that names no source is no item, however close to the question
        return sources(gen, question, passages, cited)
    kind = asked_type(question)
    wanted = qualifier(kind)
    left_out = excluded(question)
    verb = relation(question)
    typed = item_type(question)
    # "What rules does X want the council to impose?": what someone wants done is in what they write, never
    # in the box that says who they are
    every = gen.eligible(question, passages, history, body_only=_WANTS.search(question) is not None)
    scored = [
        s
        for s in every
        if _qualified(s.text, wanted)
        # (or, in a sentence that lists, a close variant's: "moving two artillery batteries, a squadron of
        # ... and ..." for "Which units did X send?")
        and (
            answer_checks.states_verb(s.text, verb)
            or (_INLINE_LIST.search(s.text) is not None and states_relation(s.text, _close_stems(verb)))
        )
        and (left_out is None or names_new_item(s.text, left_out, kind, question))
    ]
    if not scored:
        return []

    # "Which *Chilean* officials did X meet": whose official someone is cannot be checked by a name
    stems = [] if wanted else relation_stems(asked_verb(question)) or perfect_stems(question)

    def floor(s: ScoredSentence) -> float:
        # an item of the asked type matches the question loosely ("opposed" asked, "condemned" said)
        # and so does a sentence that lists ("three items on the agenda: extending ..., replacing ... and
        # ..."), whose items are not of a type a pattern can tell
        if not holds_item(s.text, typed, question):
            return gen.threshold - (TYPED_SLACK if _INLINE_LIST.search(s.text) else 0.0)
        return RELATION_FLOOR if stems and states_relation(s.text, stems) else gen.threshold - TYPED_SLACK

    passing = [s for s in scored if s.score >= floor(s)]
    if not passing and kind:
        # "Which investments were in the mediator's package?": the sentence on the package comes close, the
        # next one lists them ("... with investments that ...: lining the canals, a transmission line, ...")
        return _listed_next(gen, every, kind, passages)
    # An item let in by its relation alone comes from a document that is on the question's topic: another
    # document's complainer complains about something else.
    on_topic = {s.doc_id for s in scored if s.score >= gen.threshold - TYPED_SLACK}
    if on_topic:
        passing = [s for s in passing if s.doc_id in on_topic]
    if not passing:
        return []
    if typed == "number" and any(holds_item(s.text, typed, question) for s in passing):
        # "What trade figures ...": a sentence with no figure in it is no item, however close its words
        passing = [s for s in passing if holds_item(s.text, typed, question)]
    # An item of the asked type is taken wherever it ranks: one sentence that repeats the question's words
    # ("the expansion would let the port ...") must not push the funder's sentence out of the list.
    pool = [
        s for s in passing if s.score >= passing[0].score - LIST_MARGIN or holds_item(s.text, typed, question)
    ]
    firsts = list({s.doc_id: s for s in reversed(pool)}.values())  # each document's best
    ordered = sorted(firsts, key=lambda s: -s.score) + [s for s in pool if s not in firsts]
    if typed in NAMED_KINDS:
        ordered = by_new_names(ordered, question)
    if stems:  # a sentence that states the relation asked about names an item surely: those go first
        ordered.sort(
            key=lambda s: not (holds_item(s.text, typed, question) and states_relation(s.text, stems))
        )
    vectors = gen._vectors([s.text for s in ordered])
    picked: list[int] = []
    for i in range(len(ordered)):
        if len(picked) == LIST_ITEMS:
            break
        if not picked or float((vectors[picked] @ vectors[i]).max()) < LIST_REPEAT:
            picked.append(i)
    chosen = [ordered[i] for i in picked]
    for s in list(chosen):  # "He also works as ...": the next items of the same subject
        nxt = continued(s, every, kind)
        if nxt is None and typed == "number" and holds_item(s.text, typed, question):
            # a paragraph that gives one figure on the subject goes on with the next ("Lessons disrupted
            # dropped from 4.2 a week to 0.6.")
            nxt = _next_in_paragraph(s, every, passages)
        if nxt is not None and nxt not in chosen and holds_item(nxt.text, typed, question):
            chosen.append(nxt)
        elif not _INLINE_LIST.search(s.text):
            # "X has offered Kaimora a package. According to a term sheet, it includes an annual rent of ...,
            # a 30 percent stake ... and a commitment to ...": the sentence after lists what this one names
            after = _next_in_paragraph(s, every, passages)
            if after is not None and after not in chosen and _INLINE_LIST.search(after.text):
                chosen.append(after)
    return chosen


# "two artillery batteries, a squadron of ... and a mobile ... unit", "...: lining the canals, a power line,
# ... and a subsidy": three items or more, each opened by an article or a number, or a list after a colon
_ITEM_OPENER = r"(?:a|an|the|its|their|two|three|four|five|six|seven|eight|nine|ten|several|\d[\d,.]*)"
# ("seek damages *for deaths, lost farmland, contaminated wells and* ...": short bare items after a preposition;
# "has *suspended* its part in ..., *deployed* police to ..., *imposed* a tariff ...": actions, one verb each)
_BARE_ITEM = r"(?-i:(?!(?:is|are|was|were|has|have|had|it|they|he|she|we|which|who|that)\b)[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})"
# A sentence that opens on its circumstances ("Between the threat of war, a crackdown and ...", "While on a
# visit to X, Y urged ...") lists them, not the items a sentence before it introduced
SETS_SCENE = re.compile(
    r"^(?:between|while|if|after|before|although|though|when|as|since|because|in|on|at|for|with|despite|"
    r"unlike|like|during|amid|under|this|last|however|yet|but)\b",
    re.IGNORECASE,
)
# (a comma inside a figure, "2,300", parts no items)
ENUMERATES = re.compile(r"(?:[^;]+;\s){2,}|(?:[^,]+,\s){2,}[^,]*\band\b")


def enumerates_inline(text: str) -> bool:
    """Whether ``text`` lists three things or more in one sentence ("A; B; and C", "A, B, C and D"), not the
    circumstances it opens on ("Between A, B and C, ...")."""
    return ENUMERATES.search(text) is not None and SETS_SCENE.match(text) is None


_INLINE_LIST = re.compile(
    rf":\s*[^.;:]*,[^.;:]*,[^.;:]*\b(?:and|or)\b|"
    rf"\b{_ITEM_OPENER}\s[^,;.]{{1,80}},\s+{_ITEM_OPENER}\s[^,;.]{{1,80}}?,?\s+(?:and|or)\s+{_ITEM_OPENER}\s|"
    rf"\b(?:for|of|on|in|including|such\s+as)\s+{_BARE_ITEM},\s+{_BARE_ITEM},\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:and|or)\s|"
    r"\b[a-z]{3,}ed\s[^,;.]{1,120},\s+[a-z]{3,}ed\s[^,;.]{1,120},\s+(?:and\s+)?[a-z]{3,}ed\b",
    re.IGNORECASE,
)
NEXT_LIST_SLACK = 0.05  # how far under the threshold the sentence before a list of the asked kind may score


def _listed_next(
    gen: ExtractiveGenerator, every: Sequence[ScoredSentence], kind: str, passages: Sequence[Passage]
) -> list[ScoredSentence]:
    """The best sentence, when it comes close to the threshold, and the next one of its paragraph when that
    one lists things of the asked ``kind`` by name ("investments that ...: a, b, c and d"); else empty."""
    if not every or every[0].score < gen.threshold - NEXT_LIST_SLACK:
        return []
    best = every[0]
    nxt = _next_in_paragraph(best, every, passages)
    head = lexical.tokenize([kind.split()[-1]])[0]
    if nxt is None or not head or not set(head) <= set(lexical.tokenize([nxt.text])[0]):
        return []
    return [best, nxt] if _INLINE_LIST.search(nxt.text) else []


def _next_in_paragraph(
    s: ScoredSentence, sentences: Sequence[ScoredSentence], passages: Sequence[Passage]
) -> ScoredSentence | None:
    """The sentence right after ``s`` in its passage, when no paragraph break stands between them."""
    after = [t for t in sentences if t.passage_n == s.passage_n and t.start >= s.end]
    if not after:
        return None
    nxt = min(after, key=lambda t: t.start)
    text = next(p.text for p in passages if p.n == s.passage_n)
    return None if "\n\n" in text[s.end : nxt.start] else nxt


# "What *three recommendations* do the authors make?", "What *four factors* drove the overrun?": the number of
# things asked and their kind, which a document announces in the same words before going through them ("We make
# three recommendations." then "First, ..."; "Three causes explain the split." then "The first is ...")
_COUNTED_ASK = re.compile(
    rf"^\s*(?:what|which|name|list)\s+(?:are\s+the\s+|were\s+the\s+|the\s+)?({'|'.join(_NUMBER_WORDS)})\s+"
    r"(?:(?:main|key|other|[a-z]+al)\s+)?([a-z]+s)\b",
    re.IGNORECASE,
)
# kinds of item a document may announce in other words than the question's ("three steps" for "three
# recommendations", "three causes" for "three reasons"): the list kinds of ``_ITEM_NOUNS``, with the words an
# announcement uses besides
_ANNOUNCED_AS = {
    "action": "recommendations things changes reforms moves ideas suggestions priorities demands options",
    "reason": "drivers forces problems failures",
}
_FAMILY_OF = {
    stem: kind
    for kind, more in _ANNOUNCED_AS.items()
    for stem in lexical.tokenize([f"{_ITEM_NOUNS[kind]} {more}"])[0]
}


def counted_ask(question: str) -> tuple[str, str] | None:
    """The number word and the kind of thing (its stem) a "What three X ...?" question asks for, or None."""
    m = _COUNTED_ASK.match(question)
    if m is None:
        return None
    stems = lexical.tokenize([m.group(2)])[0]
    return (m.group(1).casefold(), stems[0]) if stems else None


def announces_asked(sentence: str, asked: tuple[str, str]) -> bool:
    """Whether ``sentence`` is a short announcement of the number of things asked, of the same kind ("We make
    three recommendations.", "In our view three safeguards failed at once.")."""
    if len(sentence.split()) > ANNOUNCEMENT_WORDS:
        return False
    number, kind = asked
    for m in _COUNTED.finditer(sentence):
        if m.group(1).casefold() != number:
            continue
        said = lexical.tokenize([m.group(0).split()[-1]])[0]
        if said and (said[0] == kind or _FAMILY_OF.get(said[0], "") == _FAMILY_OF.get(kind, "?")):
            return True
    return False
