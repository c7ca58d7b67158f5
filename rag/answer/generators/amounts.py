"""What an amount of money is asked of: "How much did Acme pay *its chief executive*?", "How much will the
town spend *on the new pool*?". An amount in a sentence about the firm's revenue or the town's budget is an
amount of something else, though it is money and names the firm or the town: the quote must say what the
money went to (at least half of its words and two of them, by stem), as a "what did X say about Y" quote must say Y.
"""

from __future__ import annotations

import re

from ...index import lexical
from . import answer_checks

# "How much ... pay / spend / invest / charge / earn / cost ... <what>": the words after the verb, to the end
_PAID_FOR = re.compile(
    r"^\s*how\s+much\b(?!\s+(?:more|less|longer|further)\b).*?\b(?:pay|paid|paying|pays|spend|spent|spending|"
    r"spends|invest|invested|investing|charge|charged|charging|charges|give|gave|giving|lend|lent|owe|owed|"
    r"donate|donated|award|awarded|cost|costs)\b\s+(?P<what>.+?)\s*[?.!]*$",
    re.IGNORECASE,
)
# "How will the council pay for / fund the new pool?": how the money is found for it, which a quote about
# something else the council pays for does not say
_FUNDED = re.compile(
    r"^\s*how\s+(?:will|would|did|does|do|is|are|was|were|can|could)\b.*?\b(?:pay|paid|paying)\s+for\s+"
    r"(?P<what>.+?)\s*[?.!]*$|^\s*how\s+(?:will|would|did|does|do|can|could)\b.*?\b(?:fund|finance)\s+"
    r"(?P<funded>.+?)\s*[?.!]*$",
    re.IGNORECASE,
)
# When, and for how long: not what the money is for ("last year", "in 2024", "each month", "so far")
_WHEN = re.compile(
    r"\b(?:last|this|next|each|every|per|a)\s+(?:year|month|week|day|quarter|season|decade)\b|"
    r"\b(?:in|by|since|during|until)\s+(?:\d{4}|the\s+(?:past|last|first|next)\s+\w+)\b|\b\d{4}\b|"
    r"\b(?:so\s+far|in\s+total|altogether|overall|in\s+all|annually|yearly|monthly|now|then)\b",
    re.IGNORECASE,
)
_WHERE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*)+")
# Words that say nothing of what was paid for
_FILLER = frozenset(lexical.tokenize(["the a an its their his her our for on to in of into with out up"])[0])


def paid_for(question: str) -> list[str]:
    """The content terms (BM25 stems) of what a "how much did X pay / spend on ..." question asks the amount
    of, or a "how will X pay for / fund ..." question the funding of; empty for other questions and for one
    that ends at its verb ("How much does it cost?")."""
    m = _PAID_FOR.search(question) or _FUNDED.search(question)
    if m is None:
        return []
    # (and not where: "How much does a tour cost in Porto?" asks no amount of Porto)
    what = _WHERE.sub(" ", _WHEN.sub(" ", m.group("what") or m.group("funded")))
    return [t for t in lexical.tokenize([what])[0] if t not in _FILLER and len(t) > 2]


# Where one coordinate clause of a sentence ends and the next begins: "Delays cost the harbours £4 million a
# year, and the board bought three ferries": the amount is the delays', the ferries are in another clause
_CLAUSES = re.compile(r";\s+|,\s+(?:and|but|while|whereas|although|though)\s+", re.IGNORECASE)


def says_what_paid(span: str, question: str) -> bool:
    """Whether ``span`` says at least half of what the money asked about went to, and two of its words when
    it has more than one ("its *chief executive*": "Executives of Acme" is not enough), in the clause that gives
    an amount of money when it gives one; every question that asks no such amount: True."""
    wanted = paid_for(question)
    if not wanted:
        return True
    clauses = [c for c in _CLAUSES.split(span) if answer_checks.fits_type(c, "money")] or [span]
    return any(answer_checks.covers_terms(set(wanted), set(lexical.tokenize([c])[0])) for c in clauses)
