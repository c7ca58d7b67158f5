"""The short answer line before a quote (the date, the number, the name), and when a quote needs the sentence
before it.

The answer line is made only of words copied from the quoted sentence, so it can never say more than the
quote does. A sentence that starts with a pronoun ("He said at ...", "It was ...") or leaves out a name the
question asks about that the sentence before holds, is quoted together with that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .synonyms import counted_as

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|dozen"
)
_DATE = re.compile(
    rf"\b(?:(?:early|mid|late)[- ])?(?:\d{{1,2}}\s+)?(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:,)?)?(?:\s+(?:1[6-9]|20)\d\d)?\b"
    r"|\b(?:1[6-9]|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
)
_MONEY = re.compile(
    r"[$€£¥₽]\s?\d[\d,.]*(?:\s(?:million|billion|trillion))?"
    # "2.1 million pounds", "85 euros": the currency said as a word
    r"|\b\d[\d,.]*(?:\s(?:million|billion|trillion))?\s(?:dollars|euros|pounds|yuan|rubles|roubles|francs|yen)\b"
)
_QUANTITY = re.compile(
    rf"\b(?:(?:almost|about|nearly|over|around|roughly|some|more than|less than)\s)?"
    rf"(?:\d[\d,.]*|(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))?)"
    r"(?:\s?(?:percent|%|million|billion|trillion))?\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\bhow\s+(?:many|much)\s+([a-z][a-z-]{2,})\b", re.I)  # what the number counts
_YEAR_ONLY = re.compile(r"^(?:1[6-9]|20)\d\d$")
_ASKS_WHO = re.compile(
    r"^\s*(?:who|whom|by\s+whom|which\s+(?:person|official|company|country|agency|group))\b", re.I
)
_ASKS_WHEN = re.compile(
    r"^\s*(?:when\b|(?:in|on|by|since|until|from)\s+(?:what|which)\s+(?:year|date|month|day)\b|"
    # (whole words: "What *yearly* rent ...?" asks an amount)
    r"what\s+(?:year|date|month)\b|which\s+(?:year|date)\b)",
    re.I,
)
_ASKS_HOW_MUCH = re.compile(r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:percentage|share)\b", re.I)
_ASKS_MONEY = re.compile(
    r"\b(?:cost|costs|price|worth|pay|pays|paying|paid|spend|spent|value|trade|"
    # ("How much compensation is X demanding?": "$38 million", not the "four things" asked for beside it)
    r"compensation|damages|fine|fines|fee|fees|charge|charges|earn|earns|earned|revenue|revenues|budget|subsidy|"
    r"subsidies|loan|loans|lend|lent|grant|salary|money|funding|invest|invested|investment|levy|tax|debt|owe|owed)\b",
    re.I,
)
_THE = re.compile(r"^(?:The|A|An|[A-Z][a-z]+-[\w-]+)\s+(?=[A-Z])")  # "The", "Sixteen-year-old" before a name
_CALENDAR = re.compile(
    rf"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|{_MONTHS}|Today|Yesterday)s?"
)
_NAME_RUN = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of|van|der|de|al-|bin)?\s*[A-Z][\w’'.-]*)*")
_PRONOUN_START = re.compile(r"^[“\"]?(?:he|she|they|it|this|that|these|those|his|her|their|its|such)\b", re.I)
# "The remarks contained three messages." / "... as follows:": the answer is the sentence that comes next.
_ANNOUNCES = re.compile(
    rf"(?::|\b(?:{_NUMBER_WORDS}|several|a\s+few|\d+)\s+(?:\w+\s+)?(?!(?:years|months|weeks|days|decades|"
    r"times|hours|minutes|percent)\b)[a-z]+s\s*[.:]|\bas\s+follows\s*[.:]?|"
    # "... tell parents clearly what the rule is for.": what it is for is said next
    r"\b(?:what|why)\s+(?:[\w’'-]+\s+){1,4}(?:is|are|was|were)\s+(?:for|about)\s*\.|"
    # "So here is what the council must do before a single wall comes down."
    r"^(?:\w+\s+){0,2}here\s+(?:is|are)\s+(?:what|how|why)\b[^.!?]*\.|"
    # "The boatowners' association has set out its own demands."
    r"\b(?:set\s+out|outlined|listed|spelled\s+out|laid\s+out)\s+(?:its|their|his|her|the)\s+(?:own\s+)?"
    r"(?:demands|conditions|proposals|recommendations|objections|requests|terms|priorities|reasons)\s*\.)"
    r"\s*[”\"’]?$",
    re.I,
)
_PLACE_BEFORE = re.compile(
    r"\b(?:at|in|near|from|into|outside|across|via|towards|around)\s+(?:the\s+)?$", re.I
)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(?:(?:the\s+)?[A-Z][\w’'.-]*\s*)+\??\s*$", re.I)
_SAID = re.compile(r"\b(?:he|she|they)\s+(?:said|told|added|noted|wrote)\b", re.I)


def asks_for_someone(question: str) -> bool:
    """Whether the question asks for a person or a body ("Who ...", "By whom ...", "Which company ...")."""
    return _ASKS_WHO.search(question) is not None


def _clean(text: str) -> str:
    return text.strip(" ,.;:“”\"'‘’()[]")


def best_answer_line(question: str, spans: list[str], terms: Callable[[str], set[str]]) -> str | None:
    """The answer line copied from the quoted span that shares most of the question's terms (``terms``: a
    text's content terms), the first on a tie: "In what year was the sale *originally agreed*?" is answered
    by "... originally agreed in 2007", even when a sentence about the sale's resumption in 2015 scored
    higher as a whole."""
    asked = terms(question)
    best: tuple[int, str] | None = None
    for span in spans:
        line = answer_line(question, span)
        shared = len(asked & terms(span))
        if line and (best is None or shared > best[0]):
            best = (shared, line)
    return best[1] if best else None


def answer_line(question: str, sentence: str) -> str | None:
    """The words of ``sentence`` that answer ``question`` directly (a date, amount, number or name), else None."""
    if _WHO_IS.match(question):
        return None  # "Who is X?" is answered by what X is, not by another name in the sentence
    if _ASKS_WHEN.search(question):
        found = [m.group(0) for m in _DATE.finditer(sentence)]
        wanted_years = set(re.findall(r"\b(?:1[6-9]|20)\d\d\b", question))
        found = [f for f in found if not wanted_years or not _YEAR_ONLY.match(f) or f in wanted_years]
        return _clean(max(found, key=len)) if found else None
    if _ASKS_HOW_MUCH.search(question):
        asks_money = _ASKS_MONEY.search(question) and not re.search(r"\bhow\s+many\b", question, re.I)
        money = _MONEY.findall(sentence) if asks_money else []
        if money:
            return " ".join(_clean(m) for m in money[:2])
        found = [m for m in _QUANTITY.finditer(sentence) if not _YEAR_ONLY.match(m.group(0).strip())]
        # "How many megawatts ...?": the number that counts megawatts ("4,200 megawatts"), not the first one
        # ("The 145-metre dam ..."); else the first
        # ("Tamsin-2": a number that is part of a name counts nothing; nor does the day of "March 12")
        found = [
            m for m in found if not re.search(rf"(?:[A-Za-z]-|\b(?:{_MONTHS})\.?\s)$", sentence[: m.start()])
        ]
        counted = _COUNTED.search(question)
        if counted is not None:
            # (or a word for the same thing: "how much land" is counted in "14,000 hectares")
            stems = [
                w.casefold()[: max(4, len(w) - 2)] for w in [counted.group(1), *counted_as(counted.group(1))]
            ]
            heads = [
                m
                for m in found
                if re.match(
                    rf"[\s-]+(?:[\w-]+\s+){{0,3}}?(?:{'|'.join(map(re.escape, stems))})",
                    sentence[m.end() :],
                    re.IGNORECASE,
                )
            ]
            found = heads or found
        return _clean(found[0].group(0)) if found else None
    if asks_for_someone(question):
        asked = question.casefold()
        runs = [
            _clean(_THE.sub("", m.group(0)))
            for m in _NAME_RUN.finditer(sentence)
            # a capital that opens the sentence is no name, unless a name of several words follows it
            # ("The Green Party won ..."); a day or a month is no one
            if (m.start() > 0 or len(m.group(0).split()) > 1)
            and not _CALENDAR.fullmatch(_clean(m.group(0)))
            # "... at Fernside Park": a place, not who
            and not _PLACE_BEFORE.search(sentence[: m.start()])
            and all(w.casefold() not in asked for w in m.group(0).split() if len(w) > 3)
        ]
        runs = [r for r in runs if len(r) > 2]
        return max(runs, key=len) if runs else None
    return None


def announces_next(sentence: str) -> bool:
    """Whether ``sentence`` announces what the next one says ("... contained three messages.", "... :")."""
    return bool(_ANNOUNCES.search(sentence.rstrip()))


def needs_previous(sentence: str, previous: str | None, question_names: list[str]) -> bool:
    """Whether ``sentence`` must be quoted with ``previous`` to answer: it starts with a pronoun or says
    "he said", or a name the question asks about is only in ``previous``."""
    if not previous:
        return False
    if _PRONOUN_START.search(sentence) or _SAID.search(sentence):  # "..., he said": the speaker is before
        return True
    folded, before = sentence.casefold(), previous.casefold()
    return any(n.casefold() not in folded and n.casefold() in before for n in question_names)
