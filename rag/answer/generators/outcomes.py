"""What a question asks of a moment, which a sentence on the same things may not give: the value something had
*before* an event ("What fee did Kelmaria charge before the 2009 contract?"), the value it has *now* ("How much
potash does Korvath export at present?"), and what a body *decided* or a review *found* ("What did the board
decide at its May meeting?").

Both are near misses the pages come close to: the sentence on the new fee, the meeting "scheduled for May 15",
the review "offered" but never reported. They name everything the question names, so word overlap and the
sentence vectors rank them high; only what the sentence states of the moment tells them apart.
"""

from __future__ import annotations

import re

from . import answer_checks

# "What was the rate before ...?", "How many slots did X hold before ...?", "What did a kilo sell for before
# ...?": a value at a time before an event (not "What must X do before the summit?", which asks for steps)
_ASKS_VALUE_BEFORE = re.compile(
    r"^\s*(?:how\s+(?:much|many)\b|what\s+(?:was|were)\b|"
    r"what\s+(?:[\w-]+\s+){0,3}?(?:fee|fees|rate|rates|price|prices|tariff|toll|charge|share|ratio|figure|level|"
    r"total|number|wage|salary|cost|sum)\s+(?:did|does|do|had|was|were)\b|"
    r"what\s+did\b[^?]*\b(?:sell|cost|charge|pay|fetch|trade)\s+for\b)"
    r"[^?]*\bbefore\s+(?!(?:the\s+)?(?:end|start|close)\s+of\b)\S",
    re.IGNORECASE,
)
# what says a state before another: "Before 2022, ...", "up from $18", "from $18 to $27", "had been", "until"
_EARLIER = re.compile(
    r"\b(?:before|previous(?:ly)?|prior|until|till|earlier|formerly|originally|used\s+to|had\s+been|had\s+"
    r"(?:held|charged|paid|cost|employed|sold)|up\s+from|down\s+from|from\s+\S*\d[\d,.]*\S*\s+(?:\w+\s+){0,3}?to|"
    r"(?:was|were)\s+then|at\s+the\s+time|old)\b",
    re.IGNORECASE,
)


def gives_earlier_value(span: str, question: str) -> bool:
    """Whether ``span`` can give the value the question asks for *before* an event: it says an earlier state
    ("Before 2022 ...", "up from", "from $18 to $27", "had been"). True for questions that ask no such value."""
    if _ASKS_VALUE_BEFORE.search(question) is None:
        return True
    return _EARLIER.search(span) is not None


# "How many tonnes does Korvath export *at present*?", "How much does Alunde *currently* spend ...?": a value
# now, which a projection ("projected to reach 4 million tonnes by 2030") or a proposal ("that would put the
# bill at ...") does not give
_ASKS_VALUE_NOW = re.compile(
    r"^\s*(?:how\s+(?:much|many)|what\s+(?:share|percentage|proportion|number))\b[^?]*"
    r"\b(?:currently|at\s+present|presently|today|these\s+days|now)\b",
    re.IGNORECASE,
)
_NOT_YET = re.compile(
    r"\b(?:projected|expected|forecast|set|due|planned|proposed)\s+to\b|\b(?:would|will|could)\s+(?:put|reach|rise|"
    r"fall|grow|climb|cost|be|bring|add|take|leave|mean)\b|\bby\s+(?:1[6-9]|20)\d\d\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:now|currently|at\s+present|today|already|still)\b", re.IGNORECASE)


def gives_present_value(span: str, question: str) -> bool:
    """Whether ``span`` can give the value the question asks for *now*: it does not only project or propose
    one ("projected to reach 4 million tonnes a year by 2030", "would put the bill at $9.1 million") unless it
    says the present too ("now", "currently", "today"). True for questions that ask no present value."""
    if _ASKS_VALUE_NOW.search(question) is None:
        return True
    return _NOT_YET.search(span) is None or _NOW.search(span) is not None


# "By how much *did* the currency fall after the speech?": a change that happened, which a forecast of what
# "would likely fall" does not give
_ASKS_PAST_FIGURE = re.compile(r"^\s*(?:by\s+)?how\s+(?:much|many)\b[^?]*\bdid\b", re.IGNORECASE)
# a modal that governs the figures after it in its clause: "would likely fall by 25 to 35 percent"
# (or a demand: "It should demand compensation of $2.4 million" says nothing was paid)
_MODAL = re.compile(r"\b(?:would|could|might|should|must|will|shall|ought\s+to)\s+(?!have\b)", re.IGNORECASE)
_FIGURE = re.compile(r"[$€£]?\d[\d,.]*")
FORECAST_REACH = 60  # characters back from a figure to the modal that governs it, within its clause


def gives_past_value(span: str, question: str) -> bool:
    """Whether ``span`` can give a figure the question asks of something that happened ("By how much did the
    halver fall?"): not when its every figure is a forecast a modal governs ("would likely fall by 25 to 35
    percent"). True for other questions."""
    if _ASKS_PAST_FIGURE.search(question) is None:
        return True
    # (an amount of money asked: its amounts, not "the 38 tonnes of mackerel" beside them)
    money = answer_checks.expected_type(question) == "money"
    figures = answer_checks.money_at(span) if money else [m.start() for m in _FIGURE.finditer(span)]

    def forecast(at: int) -> bool:
        before = re.split(r"[;.]\s|,\s+(?:and|but|while)\s", span[max(0, at - FORECAST_REACH) : at])[-1]
        return _MODAL.search(before) is not None

    return not figures or not all(forecast(at) for at in figures)


# "What did the court decide ...?", "What did the audit office conclude ...?", "What did the 1999 test find?":
# an outcome someone reached (past: "What does each page conclude?" asks the pages' own view)
# (the question's own verb, after a subject of a few words: not "What did Ruiz say about how he heard of *the
# vote*?", whose verb is "say")
_ASKS_OUTCOME = re.compile(
    r"^\s*what\s+(?:did|has|have|had)\s+(?!I\b|you\b|we\b)"
    r"(?:(?!(?:say|said|tell|told|think|write|argue|mean|do|want|hear|heard|make|see|call|describe)\b)[\w’'.-]+\s+)"
    r"{1,10}?(?<!\bthe\s)(?<!\ba\s)(?<!\bits\s)(?<!\btheir\s)"
    r"(?:decide|conclude|find|rule|determine|resolve|agree|vote|recommend)\b",
    re.IGNORECASE,
)
# what states one: the outcome's verb in the past, or its noun
_OUTCOME = re.compile(
    r"\b(?:decided|decision|decisions|concluded|conclusion|conclusions|found|finding|findings|ruled|ruling|"
    r"determined|resolved|resolution|agreed|agreement|voted|vote|verdict|judg(?:e)?ments?|recommended|"
    r"recommendations?|showed|revealed|confirmed|established|identified|upheld|rejected|approved|"
    r"dismissed|ordered|chose|opted|backed|endorsed|adopted)\b",
    re.IGNORECASE,
)


# "How did the council end up voting on X?", "How did the board vote?": a vote's result, which the vote named
# ("the decision to postpone the vote") does not give
_ASKS_VOTE = re.compile(
    r"^\s*how\s+did\s+(?:[\w’'.-]+\s+){1,6}?(?<!\bthe\s)(?<!\ba\s)(?<!\bits\s)(?<!\bown\s)(?<!\btheir\s)"
    r"(?:end\s+up\s+)?vot(?:e|ing)\b",
    re.IGNORECASE,
)
_VOTED = re.compile(
    r"\bvoted\b|\b\d+\s*(?:to|-|–)\s*\d+\b|\b(?:approved|rejected|passed|adopted|unanimous(?:ly)?|"
    r"abstained|majority)\b",
    re.IGNORECASE,
)


def states_outcome(span: str, question: str) -> bool:
    """Whether ``span`` states the outcome the question asks someone reached ("decided", "found", "the
    ruling"; for a vote, how it went: "voted", "7 to 2", "approved"); a meeting "scheduled for May 15" or a
    review "offered" states none. True for other questions."""
    if _ASKS_VOTE.search(question) is not None:
        return _VOTED.search(span) is not None
    if _ASKS_OUTCOME.search(question) is None:
        return True
    return _OUTCOME.search(span) is not None
