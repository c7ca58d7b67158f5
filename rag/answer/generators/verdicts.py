"""Verdicts and conclusions a document states as such ("Our verdict: ...", "In conclusion, ...").

"What is the review's verdict?" shares one word with its answer, and a sentence that names the winner of a
test ("Our verdict: the X is the best ...") is about the winner, so its vector lies far from the question's.
The document says which sentence is its verdict: that is the answer, whatever the scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extractive import ScoredSentence

_ASKS_VERDICT = re.compile(r"\b(?:verdict|conclu(?:de|des|ded|sion|sions)|bottom\s+line)\b", re.IGNORECASE)
# A sentence that opens by saying it is the verdict or the conclusion (not "the verdict of the court was
# appealed", which reports someone else's)
_STATED = re.compile(
    r"^\W*(?:(?:our|my|the|their|its)\s+(?:final\s+)?verdict\b\s*[:,-]|in\s+(?:short|conclusion|sum|summary)\b|"
    r"to\s+(?:conclude|sum\s+up)\b|the\s+bottom\s+line\b|all\s+in\s+all\b)",
    re.IGNORECASE,
)


def asks_verdict(question: str) -> bool:
    """Whether the question asks for a verdict or a conclusion ("What is the review's verdict?")."""
    return _ASKS_VERDICT.search(question) is not None


def stated_verdicts(sentences: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """The sentences of ``sentences`` that state themselves as a verdict or a conclusion, best first."""
    return [s for s in sentences if _STATED.match(s.text)]
