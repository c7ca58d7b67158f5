"""Questions that ask how someone reacted ("How did the union react to the ruling?", "How has Acme responded
to the fine?"): a reaction is something its subject does or says, so the quote must have them act, not only
mention them ("the city will ask the state to pay" gives no reaction of the state's)."""

from __future__ import annotations

import re

from . import answer_checks

_ASKS_REACTION = re.compile(
    r"^\s*how\s+(?:did|does|do|has|have|had|will|would|might)\s+(?P<who>.+?)\s+(?:react|respond)(?:ed)?\b"
    # "What was the café owner's reaction to the closure?"
    r"|^\s*what\s+(?:was|were|is|are|has\s+been)\s+(?P<owner>.+?)[’']s?\s+(?:first\s+|initial\s+)?"
    r"(?:reaction|response)\b",
    re.IGNORECASE,
)
_REACTION_VERB = re.compile(
    rf"\b{answer_checks.SPEECH_VERBS}\b|"
    r"\b(?:react|respond|welcom|reject|condemn|protest|accept|refus|oppos|support|prais|appeal|vow|promis|"
    r"threaten|demand|warn|challeng|dismiss|vot|approv|agree|decid|su(?:e|ed|ing)\b|back(?:ed|s)?\b|"
    r"call(?:ed|s)?\b|walk(?:ed|s)?\s+out)\w*",
    re.IGNORECASE,
)


def reacting(question: str) -> str | None:
    """Who the question asks the reaction of, by the word they are named by last ("the nurses' *union*"), or
    None when it asks no reaction."""
    m = _ASKS_REACTION.search(question)
    if m is None:
        return None
    words = re.findall(r"[\w-]+", m.group("who") or m.group("owner"))
    return words[-1] if words else None


_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_PAST_VERB = re.compile(
    r"\b(?<!was\s)(?<!were\s)(?<!been\s)(?<!being\s)(?<!is\s)(?<!are\s)([a-z]{3,}ed|[a-z]+)\b"
)


def _acted(after: str) -> re.Match[str] | None:
    """The first verb in the past after a name, not in the passive ("the ministry *proclaimed* ...", "the union
    *went* to court"; not "fans were *asked* to pay"), as a reaction: a past verb of any kind."""
    for m in _PAST_VERB.finditer(after):
        word = m.group(1)
        if word.endswith("ed") or word in answer_checks.PAST_OF:
            return m
    return None


def reacts(span: str, who: str | None) -> bool:
    """Whether ``who`` acts or speaks in ``span``: named a few words before a verb of speech or reaction
    ("Fire services in Belgium *welcomed* ...", "X, a representative of the *union*, *said* ..."). True when
    the question asks no reaction."""
    if not who:
        return True
    for m in re.finditer(rf"\b{re.escape(who)}\w*", span, re.IGNORECASE):
        after = span[m.end() :]
        # the first verb of speech or reaction after the name; any past verb ("the ministry proclaimed") only
        # when the rest of the span has none: where a reaction is reported, a past verb next to the name is more
        # often someone else's ("X praised those that had backed Lyon and helped ..." is no reaction of Lyon)
        verb = _REACTION_VERB.search(after) or _acted(after)
        between = after[: verb.start()] if verb is not None else ""
        if (
            verb is not None
            and not answer_checks.SENTENCE_END.search(between)
            and (
                len(between.split()) <= answer_checks.SPEECH_REACH or answer_checks.APPOSITION.match(between)
            )
            and not _PASSIVE_BEFORE.search(between)
        ):
            return True
    return False
