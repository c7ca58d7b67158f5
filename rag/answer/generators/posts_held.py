"""Who holds a post, asked by its verb ("Who chairs the panel?", "Who led the negotiating team?"): a sentence
on the panel or the team that never says who chairs or leads it names someone else, or no one ("the Article 14
question", "On February 27, Pemberra notified Orlavia ..."). The post must be said, by its verb or its noun.
"""

from __future__ import annotations

import re

from ..scoping import NAME
from . import answer_checks

# the verb asked, and the words that say the post: its forms and the nouns of who holds it
_POSTS = {
    "chair": r"chair\w*",
    "lead": r"lead|leads|led|leading|leader\w*|head|heads|headed|heading",
    "head": r"head|heads|headed|heading|chief|leader\w*|led",
    "preside": r"presid\w+|chair\w*",
    "run": r"run|runs|ran|running|operat\w+|manag\w+",
    "direct": r"direct\w+",
    "manage": r"manag\w+",
    "own": r"own|owns|owned|owner\w*",
    "represent": r"represent\w*",
    "oversee": r"overs(?:ee|ees|aw|een|eeing|ight)|supervis\w+",
    "command": r"command\w*|captain\w*|skipper\w*|commanding\s+officer",
    "charge": r"in\s+charge|head\w*|led|lead\w*|direct\w+|manag\w+|chief|run\w*|ran",
}
_FORMS = {
    "chair": "chair|chairs|chaired",
    "lead": "lead|leads|led",
    "head": "heads|headed",
    "preside": "presides|presided",
    "run": "runs|ran",
    "direct": "directs|directed",
    "manage": "manages|managed",
    "own": "owns|owned",
    "represent": "represents|represented",
    "oversee": "oversees|oversaw",
}
_ASKS_HOLDER = re.compile(
    r"^\s*who\s+(?:(?:currently|now|still|first|then)\s+)?(" + "|".join(_FORMS.values()) + r")\b",
    re.IGNORECASE,
)


# "Who was in command of the corvette?", "Who is in charge of the inquiry?": the post said by a phrase
_ASKS_IN_POST = re.compile(
    r"^\s*who\s+(?:is|was|were|are)\s+(?:\w+\s+)?in\s+(command|charge)\s+of\b", re.IGNORECASE
)


def post_asked(question: str) -> str | None:
    """The post a "Who chairs / led / presides over ...?" question asks who holds ("chair", "lead"), or None."""
    phrased = _ASKS_IN_POST.match(question)
    if phrased is not None:
        return phrased.group(1).casefold()
    m = _ASKS_HOLDER.match(question)
    if m is None:
        return None
    verb = m.group(1).casefold()
    return next(post for post, forms in _FORMS.items() if verb in forms.split("|"))


# a capitalised word that names a thing by its number ("Decree 22/7", "Article 14"), not a person
_NUMBERED = re.compile(r"\s+\d")


def says_post(span: str, question: str) -> bool:
    """Whether ``span`` says the post the question asks who holds (by its verb or its noun), and names someone
    the question does not ("its chair resigned in April" beside "Decree 22/7" names no one); True for other
    questions."""
    post = post_asked(question)
    if post is None:
        return True
    if re.search(rf"\b(?:{_POSTS[post]})\b", span, re.IGNORECASE) is None:
        return False
    return _names_another(span, question)


def _names_another(span: str, question: str) -> bool:
    """Whether ``span`` names someone or something the question does not (a capitalised word inside a
    sentence, not a month, not a thing named by its number)."""
    asked = {n.casefold() for n in answer_checks.names(question)}
    return any(
        m.group(1).casefold() not in asked
        and m.group(1) not in answer_checks.NOT_NAMES
        and m.group(1) not in answer_checks.MONTH_NAMES
        and not _NUMBERED.match(span, m.end())
        for m in NAME.finditer(span)
    )


# "Which company supplied the platform?", "Which rocket will carry the mission?": one thing asked by its kind,
# which only a name answers
_ASKS_NAMED_ONE = re.compile(
    r"^\s*(?:which|what)\s+(?:company|firm|rocket|manufacturer|contractor|supplier|airline|bank|insurer|"
    r"operator|vessel|ship|newspaper|university)\b",
    re.IGNORECASE,
)


def names_one_asked(span: str, question: str) -> bool:
    """Whether ``span`` can answer "Which company / rocket / vessel ...?": it names something the question does
    not ("supplied by a different manufacturer" names none). True for other questions."""
    if _ASKS_NAMED_ONE.match(question) is None:
        return True
    return _names_another(span, question)


# "What job did X hold before she chaired the commission?": a post held earlier, which the question does not name
_ASKS_EARLIER_POST = re.compile(
    r"^\s*what\s+(?:job|post|position|role|office|work)\s+did\s+.+?\s+(?:hold|have|do)\s+(?:before|prior\s+to)\b",
    re.IGNORECASE,
)
# a post said as held before: "was a marine biologist", "had been Kalvasta's minister of agriculture", "the
# former harbour master", "previously ran the port authority"
_EARLIER_POST = re.compile(
    r"\b(?:(?:was|had\s+been|served\s+as|worked\s+as)\s+(?:an?\s+|the\s+|[A-Z][\w’'-]*[’']s\s+)|"
    r"former(?:ly)?\s+|previously\s+)(?:[\w’'-]+\s+){0,3}?"
    rf"((?i:{answer_checks.ROLES})|[a-z]+(?:er|or|ist|ian))\b"
)


def says_earlier_post(span: str, question: str) -> bool:
    """Whether ``span`` can answer "What job did X hold before ...?": it says a post held before, one the
    question does not name ("who chaired the commission until ..." says only the post asked from). True for
    other questions."""
    if _ASKS_EARLIER_POST.match(question) is None:
        return True
    asked = question.casefold()
    return any(m.group(1).casefold() not in asked for m in _EARLIER_POST.finditer(span))
