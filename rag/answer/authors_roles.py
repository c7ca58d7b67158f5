"""What a document's byline or author box calls its author ("By Ann Roe, *headteacher of Elm School*",
"Ann Roe is *a senior fellow at X*"), so that a question may name the document by that role: "What does
the headteacher want?", "in the consumer editor's view".

Only the document's own lines that name its author are read; nothing here knows any document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..index import lexical
from ..ingest.clean import BARE_POSTS
from ..types import Document

OPENING = 1500  # characters of a document's start where a byline stands
# "Ann Roe, headteacher of Elm School" / "Ann Roe is a senior fellow at X": the role runs to the line's or
# the sentence's end
_AFTER_NAME = r"(?:,\s+|\s+is\s+(?:an?|the)\s+)(?P<role>[a-z][^\n.;]{2,80})"
_AFTER_NAME_BARE = rf"\s+is\s+(?P<role>{BARE_POSTS}[^\n.;]{{2,80}})"
# "Dario Venkel was Kalvasta's minister of agriculture from 2014 to 2020 and now writes ...": a post held before,
# whose holder a question calls "the former Kalvastan minister" (the owner's name is a word of the role)
_AFTER_NAME_FORMER = (
    r"\s+was\s+(?:(?:an?|the)\s+|(?P<owner>[A-Z][\w’'-]*)[’']s\s+)?(?P<role>[a-z][^\n.;]{2,80})"
)
# a name of several capitalised words, said again by its initials ("Aurel Regional Space Agency": "ARSA")
LONG_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w’'-]+)+")
# "Sefton Aldaine *directs* the regional security programme at the Aldmoor Institute": the post said as a verb
_POST_VERBS = {"directs": "director", "heads": "head", "leads": "lead", "chairs": "chair", "runs": "head"}
_AFTER_NAME_VERB = r"\s+(?P<verb>directs|heads|leads|chairs|runs)\s+(?P<role>(?:the|an?)\s+[^\n.;]{2,80})"
# ("a retired hydraulic engineer *who* designed ...": a relative clause ends the role too)
_HEAD = re.compile(
    r"^(?P<head>(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*?)(?=\s+(?:of|at|for|with|on|in|who|that|which)\b|,|$)"
)


# "a senior fellow at the Halden Institute for Water Policy, where ...", "contributing editor at The Meridian
# Review": the organisation an author works at, as written (not one they worked at: "a former adviser to ...")
_EMPLOYER = re.compile(
    r"^(?P<before>[^,]*?)\bat\s+(?:the\s+)?(?P<name>(?:The\s+)?[A-Z][\w’'&-]*"
    r"(?:\s+(?:(?:for|of|on|and|&)\s+(?:the\s+)?)?[A-Z][\w’'&-]*)*)"
)
_FORMER = re.compile(r"\b(?:former|formerly|previously|ex-|once)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Role:
    """An author's role: its head noun ("editor") and every term of the role and its organisation."""

    head: str
    terms: frozenset[str]
    # the organisation the author works at, as written ("Halden Institute for Water Policy"), "" when none
    employer: str = ""


def employer(role: str) -> str:
    """The organisation a role says its holder works at ("senior fellow at the Halden Institute for Water
    Policy" -> "Halden Institute for Water Policy"); "" when it names none, or only a former one."""
    m = _EMPLOYER.match(role)
    if m is None or _FORMER.search(m.group("before")):
        return ""
    name = m.group("name").removeprefix("The ")
    return name if len(name.split()) >= 2 else ""


def roles(document: Document) -> tuple[Role, ...]:
    """The roles the document's opening lines or author box give its authors."""
    opening = document.text[:OPENING]
    box = [document.text[a:b] for a, b in document.author_box]
    found: dict[str, Role] = {}
    for author in document.authors:
        # the full name anywhere in the opening; a first name ("Maxim is a fellow at ...") only in the author
        # box, where it can be no one else
        for name, texts in (
            (author, [opening, *box]),
            (author.split()[0] if author.split() else author, box),
        ):
            pattern = re.compile(re.escape(name) + _AFTER_NAME)
            for text in texts:
                # (an author box may give a post without its article: "Nadia Orsolet is director of ...")
                bare = re.compile(re.escape(name) + _AFTER_NAME_BARE) if text in box else pattern
                said = re.compile(re.escape(name) + _AFTER_NAME_VERB) if text in box else pattern
                held = re.compile(re.escape(name) + _AFTER_NAME_FORMER) if text in box else pattern
                for m in [
                    *pattern.finditer(text),
                    *(bare.finditer(text) if bare is not pattern else ()),
                    *(said.finditer(text) if said is not pattern else ()),
                    *(held.finditer(text) if held is not pattern else ()),
                ]:
                    said_role = m.group("role").strip()
                    if "verb" in m.groupdict():  # "directs the programme at X": the director of the programme
                        said_role = f"{_POST_VERBS[m.group('verb')]} of {said_role}"
                    # (the organisation from the whole sentence: a long post runs past the role's 80 characters)
                    rest = text[m.start("role") :]
                    # "a senior lecturer in chemistry at X and president of the X branch of the Staff Union":
                    # two posts, each of which names its holder ("the staff union president")
                    sentence = re.split(r"[.;\n]", rest, maxsplit=1)[0]
                    posts = [_SECOND_POST.split(said_role)[0], *_SECOND_POST.split(sentence)[1:]]
                    for role in (p[:80] for p in posts):
                        works_at = employer(role) or employer(sentence)
                        head = _HEAD.match(role.casefold())
                        if head is None or not head.group("head"):
                            continue
                        words = head.group("head").split()
                        terms = set(lexical.tokenize([role])[0])
                        terms |= set(lexical.tokenize([_initials(role)])[0])
                        if "owner" in m.groupdict():  # a post held before: "the former minister"
                            terms |= {"former", *lexical.tokenize([m.group("owner") or ""])[0]}
                        found.setdefault(role, Role(words[-1], frozenset(terms), works_at))
    return tuple(found.values())


# "... at the University of X *and president of* the X branch of ...": a second post after "and", a lower-case
# noun of up to three words before "of"/"at" (not "rural economics and land use", nor "Water and Energy")
_SECOND_POST = re.compile(
    r",?\s+and\s+(?=(?:an?\s+|the\s+)?(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s+(?:of|at)\s)"
)


def _initials(text: str) -> str:
    """The initials of each name of three or more capitalised words in ``text``, space-separated (two letters
    are too often a word: "hi", "po")."""
    found = ("".join(w[0] for w in m.group(0).split() if w[:1].isupper()) for m in LONG_NAME.finditer(text))
    return " ".join(f for f in found if len(f) >= 3)


def _pattern(role: Role) -> str:
    return rf"\bthe\s+((?:[\w’'-]+\s+){{0,3}}?){re.escape(role.head)}(?:s|['’]s?)?\b"


def _of_role(terms: set[str], role: Role) -> bool:
    """Whether each of ``terms`` is a word of the role, or a longer form of one ("kalvastan" of "kalvasta":
    the people or adjective of a country the role names)."""
    return all(t in role.terms or any(len(r) >= 4 and t.startswith(r) for r in role.terms) for t in terms)


def without_role(question: str, role: Role) -> str:
    """``question`` without the words that speak of ``role``'s holder ("the parents' chair")."""
    for m in reversed(list(re.finditer(_pattern(role), question, re.IGNORECASE))):
        if _of_role(set(lexical.tokenize([m.group(1)])[0]), role):
            question = question[: m.start()] + " " + question[m.end() :]
    return question


def named_by(question: str, role: Role) -> int:
    """Whether the question speaks of ``role``'s holder as "the <role>" ("the headteacher's view", "the
    parents' chair"): its head noun after "the" and up to two words, each a word of the role. 2 when words of
    the role come with its head ("the parents' chair"), 1 for the head alone ("the chair"), 0 otherwise."""
    found = 0
    for m in re.finditer(_pattern(role), question, re.IGNORECASE):
        modifiers = set(lexical.tokenize([m.group(1)])[0])
        if not _of_role(modifiers, role):
            continue
        # "the chair of the Friends": words of the role after its head say which holder too
        after = re.match(r"\s+of\s+(?:the\s+)?((?:[\w’'-]+\s*){1,3})", question[m.end() :])
        words = after.group(1).split() if after else []
        if any(
            (terms := set(lexical.tokenize([" ".join(words[:n])])[0])) and terms <= role.terms
            for n in range(1, len(words) + 1)
        ):
            modifiers.add(role.head)
        found = max(found, 2 if modifiers else 1)
    return found


def titles_someone(text: str, role: Role) -> bool:
    """Whether ``text`` gives ``role``'s head noun as the title of someone it names ("board chair Mira
    Jansen", "Jansen, the chair"): then "the chair" may be that person, not the byline's author."""
    head = re.escape(role.head)
    pattern = rf"\b{head}\s+[A-Z][\w’'-]+\s+[A-Z]|[A-Z][\w’'-]+,\s+(?:the\s+)?(?:[a-z]+\s+)?{head}\b"
    return re.search(pattern, text) is not None
