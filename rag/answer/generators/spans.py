"""Which words of a document a chosen sentence is quoted with: the sentence before it when it needs it (a
pronoun, "he said"), the speaker's next quoted words, the sentence an announcing sentence points to, the
sentence that gives the reason for a claim a why-question asks about.

Every span is a stretch of one passage's text, so the quote stays verbatim.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ...index.sentences import split_sentences
from ...types import Document, Passage
from .. import direct_answers
from . import answer_checks

if TYPE_CHECKING:
    from .extractive import ScoredSentence


def quoted_span(s: ScoredSentence, passages: Mapping[int, Passage], question: str) -> str:
    """The sentence, with the sentence before it when it needs it to answer (pronoun, "he said", a name)."""
    passage = passages[s.passage_n]
    before = [(a, b) for a, b in split_sentences(passage.text) if b <= s.start]
    previous = passage.text[before[-1][0] : before[-1][1]] if before else None
    if (
        previous
        and "\n\n" not in passage.text[before[-1][1] : s.start]
        and (
            direct_answers.needs_previous(s.text, previous, answer_checks.names(question))
            # "Why may older people need a booster?": "Protection waned in the second season. Older people may
            # *therefore* need a booster ...": the reason is the sentence the consequence follows from
            or (
                _CONSEQUENCE.search(s.text) is not None
                and not answer_checks.explains(s.text)
                and answer_checks.asks_why(question)
            )
        )
    ):
        return passage.text[before[-1][0] : s.end]
    return s.text


# A consequence of what was said before: "Older people may therefore need ...", "As a result, the ...", "That
# is why ..."
_CONSEQUENCE = re.compile(
    r"\b(?:therefore|thus|hence|consequently|as\s+a\s+result|for\s+that\s+reason|for\s+this\s+reason)\b|"
    r"^\W*(?:so|that\s+is\s+why|this\s+is\s+why|which\s+is\s+why)\b",
    re.IGNORECASE,
)


MAX_ASKED_CHARACTERS = 200  # an interviewer's or a FAQ's question is one short line


# An interview's or a FAQ's question and answer as lines of one paragraph: "Q: How long ...?" then "A: ..."
_QUESTION_LINE = re.compile(r"(?:Q|Question)\s*[:.)]\s*(\S.{0,200}\?)", re.IGNORECASE)
_ANSWER_LINE = re.compile(r"(?:A|Answer)\s*[:.)]\s", re.IGNORECASE)


def _question_line_above(text: str, start: int) -> str | None:
    """The question of a "Q: ...?" line heading the paragraph that ``text[start:]`` answers on an "A: ..."
    line below it; None otherwise."""
    para = text.rfind("\n\n", 0, start)
    para = para + 2 if para >= 0 else 0
    line_end = text.find("\n", para)
    if line_end < 0 or line_end >= start:
        return None
    m = _QUESTION_LINE.fullmatch(text[para:line_end].strip())
    return m.group(1) if m and _ANSWER_LINE.match(text[line_end + 1 : start + 4].lstrip()) else None


def asked_before(text: str, start: int, title: str = "") -> str | None:
    """The question a paragraph of ``text`` answers, when the paragraph before it is one (an interview's or a
    FAQ's "How long did the book take to write?" above "Seven years. ..."), or when a "Q: ...?" line heads its
    "A: ..." line; None otherwise, and None for the document's ``title`` (a headline that asks, "Will the
    talks survive?", is not answered by the lead alone)."""
    if (line := _question_line_above(text, start)) is not None:
        return line
    para = text.rfind("\n\n", 0, start)
    if para < 0:
        return None
    before = text[:para].rstrip()
    asked = before[before.rfind("\n\n") + 2 if "\n\n" in before else 0 :].strip()
    if not asked.endswith("?") or "\n" in asked or len(asked) > MAX_ASKED_CHARACTERS:
        return None
    return None if title and asked.lstrip("# ") == title.strip() else asked


def sentence_before(s: ScoredSentence, passages: Mapping[int, Passage]) -> str:
    """The sentence before ``s`` in its passage ("" for the first)."""
    text = passages[s.passage_n].text
    before = [(a, b) for a, b in split_sentences(text) if b <= s.start]
    return text[before[-1][0] : before[-1][1]] if before else ""


def paragraph_before(s: ScoredSentence, passages: Mapping[int, Passage]) -> str:
    """The sentence with what comes before it in its paragraph (within its passage)."""
    text = passages[s.passage_n].text
    start = text.rfind("\n\n", 0, s.start)
    return text[start + 2 if start >= 0 else 0 : s.end]


def with_context(
    s: ScoredSentence, passages: Mapping[int, Passage], documents: Mapping[str, Document], question: str
) -> str:
    """The quoted span with the document's sentence before it, for checks (who is speaking in "..., he
    said"), even when that sentence is outside the passage and so cannot be quoted with it."""
    span = quoted_span(s, passages, question)
    document = documents.get(s.doc_id) if documents else None
    if document is None:
        return span
    at = passages[s.passage_n].start + s.start
    window = max(0, at - 600)
    before = [(a, b) for a, b in split_sentences(document.text, window, at) if b <= at]
    if not before:
        return span
    # A quotation of several sentences is attributed once: '"A," he said. "B."' is said by whoever the
    # sentence before '"A,"' names, so the context goes back along the quotation, within its paragraph, to
    # the first sentence that is not quoted words ("Ana Ruiz, a farmer, defended the plan.").
    first = _back_along(document.text, before, len(before) - 1, _QUOTED.search)
    # "Orvania's position is simple. It pays half the budget. Its health minister argued ...": a sentence that
    # speaks of its subject by a pronoun leads back, within its paragraph, to the one that names it
    first = _back_along(document.text, before, first, _PRONOUN_LED.match)
    return document.text[before[first][0] : before[-1][1]] + " " + span


def _back_along(
    text: str, before: list[tuple[int, int]], first: int, leads_back: Callable[[str], object]
) -> int:
    """The index in ``before`` (the sentences before a quote, in order) to go back to from ``first``: while that
    sentence ``leads_back`` to the one before it in its paragraph, within ``QUOTATION_SENTENCES``."""
    while (
        first > 0
        and len(before) - first < QUOTATION_SENTENCES
        and leads_back(text[before[first][0] : before[first][1]])
        and "\n\n" not in text[before[first - 1][1] : before[first][0]]
    ):
        first -= 1
    return first


_PRONOUN_LED = re.compile(r"\W*(?:it|its|they|their|he|his|she|her)\b", re.IGNORECASE)
_QUOTED = re.compile(r"^\W*[“\"]|[”\"]\s*$|[,.!?][”\"]\s+(?:he|she|they)\s", re.IGNORECASE)  # quoted words


def continued_speech(s: ScoredSentence, passage: Passage, span: str) -> str:
    """``span`` with the speaker's next words: a following sentence of the same paragraph that opens a
    quotation, after a sentence that reports speech ("'...,' X told Reuters. 'We laid out ...'")."""
    quoting = "”" in s.text or '"' in s.text
    after = [(a, b) for a, b in split_sentences(passage.text) if a >= s.end]
    if not after or "\n\n" in passage.text[s.end : after[0][0]]:
        return span
    close = _close_of(passage.text, after) if leaves_open(span) else None
    if close is not None:
        # 'X said it surprised them. "We expected ten. Forty is a lot," she said.': the quotation opened in
        # the span goes on to the sentence that closes it; cut there, the words quoted would be half of them
        return span + passage.text[s.end : close]
    following = passage.text[after[0][0] : after[0][1]]
    # (a quotation of several sentences is attributed where it closes: '"A garden is lovely in June. In
    # February it is a windy roof," she said.')
    closing = _close_of(passage.text, after[1:]) if leaves_open(following) else None
    attributed = passage.text[after[0][0] : closing or after[0][1]]
    # "X, a geologist, said the survey was flawed." reports X's words; a quotation of X that follows in the
    # paragraph gives them as said, which is what a request for someone's words wants. So does one that
    # follows any sentence about a person and goes back to them by a pronoun ('The mayor apologised on
    # Friday. "We got it wrong," she said.'): the verb that reports speech need not be a verb of saying.
    if not quoting and not (answer_checks.reports_speech(s.text) or _PRONOUN_QUOTATION.search(attributed)):
        return span
    if not following.startswith(("“", '"')):
        return span
    end = after[0][1]
    # a quotation of several sentences goes on to the one that closes it, and on into the next quotation that
    # opens right after ('X welcomed it. "A," he said. "B."'), a few sentences at most
    closed = False
    for a, b in after[:QUOTATION_SENTENCES] if not quoting else ():
        sentence = passage.text[a:b]
        opens = sentence.startswith(("“", '"'))
        if "\n\n" in passage.text[end:a] or (closed and not opens):
            break
        end = b
        closed = _closes(sentence, opened=opens)
    return span + passage.text[s.end : end]


QUOTATION_SENTENCES = 4  # sentences of one quotation followed to its close
# a quotation attributed by a pronoun: '"We got it wrong," she said.' / '..." he told reporters.'
_PRONOUN_QUOTATION = re.compile(r"[,.!?][”\"]\s+(?:he|she|they)\s+[a-z]+", re.IGNORECASE)


def opened_before(s: ScoredSentence, passage: Passage, span: str) -> str:
    """``span`` (ending where ``s`` ends) from where the quotation it closes opened, when it closes one it
    did not open ('There is no road plan. There is a treaty, and it says railway," said X.': cut at the
    second sentence, the quote would begin inside someone's words and leave out their start)."""
    start = s.end - len(span)
    if start < 0 or passage.text[start : s.end] != span or not _closes_unopened(span):
        return span
    before = [(a, b) for a, b in split_sentences(passage.text) if b <= start]
    end = start
    for a, b in reversed(before[-QUOTATION_SENTENCES:]):
        if "\n\n" in passage.text[b:end]:
            return span
        sentence = passage.text[a:b]
        if leaves_open(sentence):
            return passage.text[a:start] + span
        if any(mark in sentence for mark in '"“”'):
            return span  # another quotation lies between: not this one's opening
        end = a
    return span


def _closes_unopened(text: str) -> bool:
    """Whether ``text`` closes a quotation it does not open ('It says railway," said X.')."""
    if "“" in text or "”" in text:
        return text.count("”") > text.count("“")
    first = text.find('"')
    return first > 0 and text.count('"') % 2 == 1 and text[first - 1] in ",.!?"


def leaves_open(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close ('... her team. "We expected ten.')."""
    if "“" in text or "”" in text:
        return text.count("“") > text.count("”")
    return text.count('"') % 2 == 1


def _close_of(text: str, after: list[tuple[int, int]]) -> int | None:
    """The end of the sentence among ``after`` (a few, within the paragraph) that closes an open quotation;
    None when none does (a quotation running on past them is not followed)."""
    for i, (a, b) in enumerate(after[:QUOTATION_SENTENCES]):
        if i and "\n\n" in text[after[i - 1][1] : a]:
            return None
        if "”" in text[a:b] or '"' in text[a:b]:
            return b
    return None


def _closes(sentence: str, *, opened: bool) -> bool:
    """Whether ``sentence`` closes a quotation (the one it opens, when ``opened``)."""
    body = sentence[1:] if opened else sentence
    return "”" in body or '"' in body


def goes_on_in(s: ScoredSentence, passages: Mapping[int, Passage]) -> ScoredSentence:
    """``s`` as read in an overlapping passage of its document that goes on past it, when ``s`` ends its own
    passage (chunks overlap, so the sentence after it is often in the next one); else ``s`` itself."""
    if passages[s.passage_n].text[s.end :].strip():
        return s
    for other in passages.values():
        at = other.text.find(s.text) if other.doc_id == s.doc_id and other.n != s.passage_n else -1
        if at >= 0 and other.text[at + len(s.text) :].strip():
            return dataclasses.replace(s, passage_n=other.n, start=at, end=at + len(s.text))
    return s


def next_in_paragraph(s: ScoredSentence, passage: Passage) -> tuple[int, int] | None:
    """The span of the sentence after ``s`` in ``passage``, when no paragraph break stands between them."""
    after = [(a, b) for a, b in split_sentences(passage.text) if a >= s.end]
    return after[0] if after and "\n\n" not in passage.text[s.end : after[0][0]] else None


def next_sentence(s: ScoredSentence, passages: Mapping[int, Passage]) -> ScoredSentence | None:
    """The sentence after ``s`` in its paragraph, read on in the overlapping passage when ``s`` closes its own
    (``goes_on_in``), unscored; None at a paragraph's end."""
    read = goes_on_in(s, passages)
    following = next_in_paragraph(read, passages[read.passage_n])
    if following is None:
        return None
    a, b = following
    return dataclasses.replace(
        read,
        start=a,
        end=b,
        text=passages[read.passage_n].text[a:b],
        similarity=0.0,
        overlap=0.0,
        relevance=0.0,
        score=0.0,
        in_author_box=False,
        asked=None,
        grounds=False,
    )


# "Most Merethi wine comes from estates of under ten hectares." then "Stripped of the name, *they* would have to
# redesign labels ...": the best sentence names what is asked, and the next, speaking of it by a pronoun in its
# first words, says what is asked of it.
# (a pronoun with a verb of its own, not "It is ..." or "It was ...", which open a new point as often as not)
_EARLY_PRONOUN = re.compile(
    r"^(?:[\w’'-]+,?\s+){0,5}?(?:they|it|he|she|these|those)\s+(?!is\b|was\b)[a-z]+", re.IGNORECASE
)


def sequel(
    best: ScoredSentence, scored: Sequence[ScoredSentence], passages: Sequence[Passage], floor: float
) -> ScoredSentence | None:
    """The next sentence of ``best``'s paragraph when it is among ``scored`` (it passed the question's checks),
    scores at least ``floor`` and goes on about ``best``'s subject by a pronoun in its first words."""
    passage = next(p for p in passages if p.n == best.passage_n)
    following = next_in_paragraph(best, passage)
    if following is None:
        return None
    return next(
        (
            s
            for s in scored
            if s.passage_n == best.passage_n
            and s.start == following[0]
            and s.score >= floor
            and _EARLY_PRONOUN.match(s.text) is not None
        ),
        None,
    )


def announced(s: ScoredSentence, passage: Passage, span: str) -> str:
    """``span`` with the next sentence of the paragraph when the sentence only announces it ("The remarks
    contained three messages." is followed by the first message)."""
    following = next_in_paragraph(s, passage) if span.endswith(s.text) else None
    if following is None or not direct_answers.announces_next(s.text):
        return span
    return span + passage.text[s.end : following[1]]


_POINTS_AT_REASON = re.compile(r"^\W*(?:this|that)\s+is\s+(?:why|the\s+reason)\b", re.IGNORECASE)
_GROUNDS = re.compile(
    r"(?:they|it|this|that|these|those)\s+(?:are|is|was|were|would|will|could|can)\b", re.IGNORECASE
)


_COUNTED_ADVICE = re.compile(
    r"^(?:first|second|third|fourth|finally|next|also|in\s+addition|above\s+all),?\s+(?:[\w’'-]+\s+){0,4}?"
    r"(?:should|must|needs?\s+to|ought\s+to)\b",
    re.IGNORECASE,
)


def with_reason(s: ScoredSentence, passages: Mapping[int, Passage], question: str) -> ScoredSentence:
    """``s`` with the next sentence of its paragraph, for a why-question, when ``s`` states what is asked
    without a reason and the next one gives it ("Day trains are no substitute. The first arrives at 10:40,
    too late for work."): a claim is often explained by the sentence after it. Else ``s`` itself."""
    # (a sentence that only bears out a view, with no reason said, is read on too: the next one may say it)
    if not answer_checks.asks_why(question) or (
        # ("This is why the status of the band matters so much." points at a reason, which may come next)
        answer_checks.gives_reason(s.text, question, grounds=False) and not _POINTS_AT_REASON.match(s.text)
    ):
        return s
    s = goes_on_in(s, passages)  # (the claim ends its passage: the overlapping one goes on past it)
    passage = passages[s.passage_n]
    following = next_in_paragraph(s, passage)
    reason = passage.text[following[0] : following[1]] if following else ""
    # (or, said of the claim's subject again, the claim's grounds without a word of reason: "The drones are
    # harder to justify against poachers. *They are weapons for fighting a navy*, and ...")
    explained = answer_checks.explains(reason) and answer_checks.gives_reason(reason, question)
    # ("Why does the analysis think the threat empty?" "Tamsk has threatened to reroute. *That threat is empty:
    # the channel freezes ...*": the writer's grounds for a view, which say no "because", follow the claim)
    # (not the next of a writer's counted recommendations: "First, it should ask for an audit.")
    explained = explained or (
        bool(reason)
        and answer_checks.asks_view(question)
        and not _COUNTED_ADVICE.match(reason)
        and answer_checks.gives_reason(reason, question)
    )
    if following is not None and not (explained or _GROUNDS.match(reason)):
        # ("Official accounts put the field at 1,900 km². A survey found 2,600. *The difference matters,
        # because* ...": the reason may come a sentence later, after the fact it weighs)
        after = [(a, b) for a, b in split_sentences(passage.text) if a >= following[1]]
        if after and "\n\n" not in passage.text[following[1] : after[0][0]]:
            later = passage.text[after[0][0] : after[0][1]]
            if answer_checks.explains(later) and answer_checks.gives_reason(later, question):
                following, explained = after[0], True
    if following is None or not (explained or _GROUNDS.match(reason)):
        return s
    if not explained and len(reason.split()) <= VERDICT_WORDS:
        # ("Some argue for three operators. *That would be a mistake.* A direct-current link cannot be
        # dispatched in three pieces ...": a short verdict on the claim, whose grounds come next)
        after = [(a, b) for a, b in split_sentences(passage.text) if a >= following[1]]
        if after and "\n\n" not in passage.text[following[1] : after[0][0]]:
            following = after[0]
    text = passage.text[s.start : following[1]]
    return dataclasses.replace(s, end=following[1], text=text, grounds=not explained)


VERDICT_WORDS = 7  # words of a verdict on a claim ("That would be a mistake.", "This is a thin argument.")
