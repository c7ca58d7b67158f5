"""Choosing several sentences of a document: quoted summaries, arguments, comparisons and lists.

A quoted summary is 3-5 of the document's own sentences, chosen for *centrality* (close to the document's
mean sentence vector: what the whole text is about), the *lead* (the standfirst or first sentence states the
point of a news or policy text) and *coverage* (maximal marginal relevance: each next sentence is penalised
for resembling one already chosen), then shown in document order. An argument prefers sentences that argue
("should", "must", "needs to"). Pure functions over sentence vectors and scores; the generator quotes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ARGUING = re.compile(
    r"\b(?:should|must|need(?:s)?\s+to|ought\s+to|ha(?:ve|s)\s+to|it\s+is\s+(?:important|critical|essential|"
    r"vital)|(?:we|they)\s+recommend|the\s+(?:best|right|wrong)\s+(?:way|course|answer|choice)|"
    # a verdict or a conclusion stated as such: "Our verdict: ...", "In short, ...", "There is a better way."
    r"verdict|in\s+(?:short|conclusion|sum)|the\s+bottom\s+line|a\s+better\s+(?:way|answer|approach|option))\b",
    re.IGNORECASE,
)
# A sentence that states the writer's thesis as such: "My view is that ...", "The central case I want to make
# is ...", "The real problem is ...", "In my view, ...", "The quarrel is less about X than about Y", "The levy is
# not the cause of the crisis; it is the symptom of ..."
THESIS = re.compile(
    r"\b(?:my|our)\s+(?:view|argument|case|point|position|conclusion|contention|worry|fear)\s+is\b|"
    r"\bthe\s+(?:central|main|real|core|basic|simple|deeper|larger|bigger)\s+(?:case|point|argument|problem|issue|"
    r"question|lesson|choice|failure|risk|danger|mistake|story)\b|"
    r"\bin\s+(?:my|our)\s+(?:view|judg(?:e)?ment|opinion)\b|\bthe\s+truth\s+is\b|\bput\s+simply\b|"
    r"\bis\s+(?:less|more)\s+about\b[^.;]{3,80}?\bthan\s+(?:about\b|it\s+is\b)|"
    r"\bis\s+not\s+(?:the|a|an)\s+[^.;]{3,60}?(?:;\s+(?:it|this|that)\s+is|\s+but\s+(?:the|a|an))\b|"
    # a recommendation in the writer's own voice: "We recommend an outcome-based agreement."
    r"\b(?:I|we)\s+(?:recommend|propose)\b",
    re.IGNORECASE,
)
# A sentence that judges what it speaks of rather than reports it: the words of a verdict ("is fair", "was a
# proportionate response", "the only defensible choice", "is the most dangerous", "weaker than it looks", "too
# low to be taken seriously", "Neither persuades me"). General English, no document's words.
JUDGEMENT_WORDS = (
    r"mistakes?|errors?|fair|unfair|right|wrong|justified|unjustified|(?:un)?justifiable|frivolous|real|"
    r"(?:dis)?proportionate|(?:un)?reasonable|(?:un)?sound|flawed|(?:il)?legitimate|bridgeable|misguided|"
    r"premature|overdue|dangerous|safe|hypocritical|credible|(?:in)?defensible|sensible|excessive|inflated|"
    r"exaggerated|overstated|troubling|worrying|alarming|problematic|vague|weak|(?:un)?convincing|"
    r"(?:un)?persuasive|(?:un)?realistic|naive|reckless|prudent|(?:un)?wise|welcome|regrettable|absurd|"
    r"inadequate|insufficient|hollow|counterproductive|self-defeating|short-sighted|irresponsible|"
    r"wishful\s+thinking|overblown|misplaced|unfounded|baseless|(?:un)?warranted|(?:un)?workable"
)
JUDGING = re.compile(
    rf"\b(?:is|are|was|were|be|been|remains?|seems?|looks?)\s+(?:not\s+|also\s+|neither\s+|both\s+)?"
    rf"(?:(?:a|an|the)\s+)?(?:(?:[a-z]+|[a-z]+ly)\s+){{0,2}}(?:{JUDGEMENT_WORDS})\b|"
    r"\b(?:is|are|was|were)\s+(?:the\s+)?(?:most|least)\s+(?!recent\b|common\b|likely\b|widely\b)[a-z]+\b|"
    r"\b[a-z]+er\s+than\s+(?:it|they)\s+(?:looks?|seems?|appears?|sounds?)\b|"
    r"\b(?:is|are|was|were|be|seems?)\s+(?:far\s+|much\s+)?too\s+[a-z]+\b|"
    r"\b(?:neither|none\s+of\s+(?:them|these|those))\s+(?:persuades?|convinces?)\b|"
    r"\bdeserves?\s+(?:credit|praise|criticism|a\s+hearing|better)\b",
    re.IGNORECASE,
)
_OPEN_QUESTION = re.compile(r"\b(?:whether|if|who)\b[^.;:,]*$", re.IGNORECASE)


def judges(sentence: str) -> bool:
    """Whether ``sentence`` passes a verdict (``JUDGING``) in its own voice: "whether the licence is fair", "who is right" only
    names the question a verdict would answer."""
    return any(not _OPEN_QUESTION.search(sentence[: m.start()]) for m in JUDGING.finditer(sentence))


# A question that asks for advice, and the words a sentence gives it in besides ARGUING's.
ADVICE_ASKED = re.compile(
    # ("What did the minister's proposal ask creditors for?" asks what it contains, not for advice)
    r"\b(?:recommend(?:s|ed|ation|ations)?|advi[cs]e[sd]?|urge[sd]?|suggest(?:s|ed|ion|ions)?|propos(?:e|es|ed)|"
    r"call(?:s|ed)?\s+for)\b|"
    r"\bshould\b|"
    # "What does X want the government to do?"
    r"\bwants?\b.{1,60}\bto\s+(?:do|take|play|adopt)\b",
    re.IGNORECASE,
)
ADVISING = re.compile(
    r"\b(?:recommend(?:s|ed)?|urge[sd]?|advise[sd]?|propose[sd]?|call(?:s|ed)?\s+(?:on|for)|the\s+last\s+thing)\b",
    re.IGNORECASE,
)
# "What should the council do?", "What must Acme and its partners do now?": the one advised
_ADVISED = re.compile(
    r"\bwhat\s+(?:should|must|ought|needs?)\s+(?:to\s+)?(?:the\s+)?((?:[\w’'-]+\s+){0,3}?[\w’'-]+)\s+"
    r"(?:to\s+)?(?:do|have\s+done)\b"
    # "What does the author suggest Acme could do ...": the one the modal is said of
    r"|\bwhat\b.*?\b([\w’'-]+)\s+(?:should|must|could|can|ought\s+to|needs?\s+to)\s+(?:have\s+)?(?:do|done)\b"
    # "What should the board *insist on*?", "What must schools *tell* parents?": one word, then its verb
    r"|\bwhat\s+(?:should|must|ought\s+to|needs?\s+to)\s+(?:the\s+)?([\w’'-]+)\s+(?!do\b|have\b)[a-z]+\b",
    re.IGNORECASE,
)
_MODAL = r"(?:should|must|needs?\s+to|ought\s+to|ha(?:ve|s)\s+to|could|can)"
ADVICE_REACH = 5  # words from the one advised to the modal: "the council and its partners should"


def advised(question: str) -> str | None:
    """Whom a "what should X do" question asks advice for (the head word of X), or None."""
    m = _ADVISED.search(question)
    return next(g for g in m.groups() if g).split()[-1] if m else None


def advises(sentence: str, who: str) -> bool:
    """Whether ``sentence`` tells ``who`` what to do: ``who`` comes a few words before "should", "must",
    "needs to" in one clause ("the council *and its partners should* focus on ..."), not as someone the
    advice is about ("... was never a favor to the council, and ... should not be viewed ...")."""
    pattern = rf"\b{re.escape(who)}\b(?:\s+[\w’'-]+){{0,{ADVICE_REACH}}}?\s+{_MODAL}\b"
    return re.search(pattern, sentence, re.IGNORECASE) is not None


_QUOTED = re.compile(r"^\s*[“\"]")


def states_thesis(sentence: str) -> bool:
    """Whether ``sentence`` states its writer's thesis as such (``THESIS``), in the writer's own words (not a
    quotation of someone else's: '"My view is that nothing will change," the mayor said.')."""
    return THESIS.search(sentence) is not None and _QUOTED.match(sentence) is None


LEAD_BONUS = 0.15  # the first sentence of a document (standfirst, lead) states its point
THESIS_BONUS = 0.3  # "My view is that ...": the writer says which sentence is the case they make
MMR_LAMBDA = 0.7  # relevance against redundancy when picking the next sentence


@dataclass(frozen=True)
class Weights:
    """How a sentence's worth is made up, per kind of answer."""

    centrality: float
    question: float
    arguing: float
    lead: float
    thesis: float = 0.0  # a thesis said as such (``THESIS``)


SUMMARY = Weights(centrality=1.0, question=0.3, arguing=0.0, lead=LEAD_BONUS)
ARGUMENT = Weights(centrality=1.0, question=0.3, arguing=0.25, lead=LEAD_BONUS, thesis=THESIS_BONUS)
# "Summarize what the articles say about Lima": the topic first, the document's centre second.
TOPICAL = Weights(centrality=0.3, question=1.0, arguing=0.0, lead=0.0)


def worth(
    texts: Sequence[str],
    offsets: Sequence[int],
    vectors: np.ndarray,
    similarity: np.ndarray,
    weights: Weights,
) -> np.ndarray:
    """Each sentence's worth as a summary line of its document.

    Args:
        texts: the document's candidate sentences; offsets: where each begins in the document.
        vectors: their unit vectors (rows); similarity: their cosine similarity to the question.
        weights: how centrality, the question, arguing words and the lead count.
    """
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centrality = vectors @ (centroid / norm) if norm > 0 else np.zeros(len(texts))
    lead = np.zeros(len(texts))
    if len(offsets):
        lead[int(np.argmin(offsets))] = 1.0
    # Someone else's words, quoted ("“We laid out our approach, as it is critical of ...”"), are not the
    # document's own argument.
    arguing = np.array([1.0 if ARGUING.search(t) and not _QUOTED.match(t) else 0.0 for t in texts])
    thesis = np.array([1.0 if states_thesis(t) else 0.0 for t in texts])
    return (
        weights.centrality * centrality
        + weights.question * similarity
        + weights.arguing * arguing
        + weights.lead * lead
        + weights.thesis * thesis
    )


def mmr(relevance: np.ndarray, vectors: np.ndarray, n: int, lam: float = MMR_LAMBDA) -> list[int]:
    """Indices of up to ``n`` items, each chosen for relevance minus its similarity to those already chosen."""
    chosen: list[int] = []
    left = list(range(len(relevance)))
    while left and len(chosen) < n:
        if chosen:
            redundancy = (vectors[left] @ vectors[chosen].T).max(axis=1)
            value = lam * relevance[left] - (1 - lam) * redundancy
        else:
            value = relevance[left]
        best = left[int(np.argmax(value))]
        chosen.append(best)
        left.remove(best)
    return chosen
