"""How the extractive generator answers each kind of question, from the scored sentences of the passages.

- a fact (and a definition, yes/no, why/how, quote request): the best sentences, with a short answer line
  copied from the first, and the sentence before when the best one needs it (a pronoun, "he said");
- metadata: the document's metadata with the line that states it (``metadata_answers``);
- a summary: 3-5 central, varied sentences per document in document order (``summaries``);
- an argument: the sentences on the question that argue;
- a comparison: one or two sentences per document, under each document's title;
- a list: every sentence that holds a matching item, grouped by document;
- several questions in one: each part answered, or said to be unanswered.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ...index import lexical
from ...index.sentences import split_sentences
from ...types import Document, Passage
from .. import (
    authors_roles,
    direct_answers,
    metadata_answers,
    planning,
    reference,
    scoping,
    summaries,
    synonyms,
    table_extremes,
)
from .. import structured as units
from ..planning import Plan
from ..question_kinds import asks_argument, asks_judgement, topic
from ..steps import steps_answer
from . import answer_checks, list_items, sections
from .base import Turn
from .spans import announced, continued_speech, goes_on_in, next_sentence, opened_before, quoted_span, sequel

if TYPE_CHECKING:
    from .extractive import ExtractiveGenerator, ScoredSentence

SUMMARY_SENTENCES = 4  # of one document; 3 each when several documents are summarised
ARGUMENT_SENTENCES = 3
SEQUEL_SLACK = 0.3  # how far under the threshold a compared figure's sequel may come (``comparison``)
COMPARISON_SLACK = 0.1  # a document's best sentence may be this far under the threshold to be compared
MAX_SILENT_LISTED = 5  # documents in the index, at most, for "the articles" silent on a topic to be named
PROFILE_SENTENCES = 3  # of one author's box: a role and places of work are often sentences of their own
_AFFILIATION_ASKED = re.compile(
    r"\b(?:affiliat\w*|employers?|institutions?|works?\s+(?:for|at))\b", re.IGNORECASE
)
_INSTITUTION = re.compile(r"\b(?:at|for|with|of)\s+(?:the\s+)?[A-Z]\w+")


# A part that points back at the first ("when was *it* finished", "what changed *as a result*").
_LEANS = re.compile(
    r"\b(?:it|its|they|them|their|he|him|his|she|her|this|that|these|those|then|there)\b|\bas\s+a\s+result\b",
    re.IGNORECASE,
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str, n: int) -> str:
    return f"> {_one_line(text)} [{n}]"


def bylines(documents: Mapping[str, Document]) -> list[str]:
    """Each document's byline and author box: who wrote it and where they work."""
    return [" ".join([d.author or "", *(d.text[a:b] for a, b in d.author_box)]) for d in documents.values()]


def missing_part(
    question: str,
    plan: Plan,
    vocabulary: Mapping[str, float] | None,
    documents: Mapping[str, Document] | None = None,
) -> str | None:
    """What the documents lack for ``question``, in words, where a check can tell; else None."""
    if plan.scope.unresolved:
        return "None of the indexed documents is the one the question names."
    if plan.scope.doc_ids and documents:
        asked = reference.without_reference(question, documents, plan.scope.doc_ids)
        outside = reference.names_outside(asked, documents, plan.scope.doc_ids)
        if outside:
            return f"The document the question names never mentions {', '.join(outside)}."
        lacking = _lacking_topic(documents, plan, topic(asked)) if topic(asked) != asked else []
        if lacking:
            return f"Not every document compared mentions it: {'; '.join(lacking)} does not."
    absent = answer_checks.missing_names(question, vocabulary) if vocabulary is not None else []
    if absent:
        return f"The documents never mention {', '.join(absent)}."
    who = answer_checks.speaker(question)
    if who:
        # one named by a role ("Danish minister", "chief executive") is "the" role
        named = f"the {who}" if who.split()[-1].islower() else who
        return f"No passage gives {named}'s own words on this."
    verb = answer_checks.yes_no_verb(question)
    if verb:
        return f'No passage says "{verb}" about what the question asks.'
    wanted = answer_checks.expected_type(question)
    about = answer_checks.subject(question, vocabulary) if wanted and vocabulary is not None else None
    if about is not None and documents:
        about = answer_checks.uncited_subject(question, about, vocabulary or {}, lambda: bylines(documents))
    if about:
        return f"No passage that names {about} gives the {_WANTED[wanted]} asked for."
    left_out = list_items.excluded(question)
    if left_out and plan.kind.kind == "list":
        return f"No passage names {list_items.asked_type(question) or 'an item'} other than {left_out}."
    return None


_WANTED = {
    "date": "date",
    "month": "month",
    "year": "year",
    "day": "day",
    "place": "place",
    "duration": "length of time",
    "measure": "measurement",
    "length": "length",
    "when": "date or time",
    "speed": "speed",
    "age": "age",
    "time": "time of day",
    "money": "amount",
    "quantity": "number",
    "share": "share",
    "phone": "number to call",
    "frequency": "frequency",
}


_WORDS_ASKED = re.compile(r"^\s*(?i:what|how)\b.*\b(?:say|said|tell|told)\b")
# "What does Lucia Brennholt see as the real problem?", "What does Ruth Kessane urge donors to do?": someone's
# view, which their text gives, never their author box
_VIEW_ASKED = re.compile(
    # (the name may be gone already: a question's words that name its document are taken out of it)
    r"^\s*(?i:what\s+(?:does|did|do))\s+(?:[A-Z][\w’'.-]+\s+){0,4}(?:see|sees|urge|want|think|believe|propose|"
    r"recommend|argue|consider|regard|call\s+for|fear|expect|make\s+of)\b"
)


def fact(
    gen: ExtractiveGenerator,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[Turn],
    *,
    speech: bool = False,
) -> list[str]:
    """Lines for a single-answer question: an answer line when one can be copied, then the quotes.

    ``speech``: a request for someone's words, which go on into the next quoted sentence (never their
    author box: a biography is not what they said).
    """
    # (a bio is no one's words, nor their view: "What did X say ...?" is never answered from an author box)
    body_only = (
        speech or _VIEW_ASKED.search(question) is not None or _WORDS_ASKED.search(question) is not None
    )
    chosen = gen.select(question, passages, history, body_only=body_only)
    # The same words in two documents (one author's box on each of their pages) are quoted once.
    chosen = [s for i, s in enumerate(chosen) if all(s.text != c.text for c in chosen[:i])]
    if not chosen:
        return []
    if list_items.announces_things(chosen[0].text) and list_items.enumeration(chosen[0], passages):
        # "What does X say Pemberra has to get before any settlement?": "It must insist on three things before
        # any settlement." answers only with the three things it goes on to go through
        return listing(gen, question, passages, history, chosen=chosen[:1])
    by_n = {p.n: p for p in passages}
    spans = [quoted_span(s, by_n, question) for s in chosen]
    if speech:
        spans = [opened_before(s, by_n[s.passage_n], span) for s, span in zip(chosen, spans, strict=True)]
        spans = [continued_speech(s, by_n[s.passage_n], span) for s, span in zip(chosen, spans, strict=True)]
    spans = [announced(s, by_n[s.passage_n], span) for s, span in zip(chosen, spans, strict=True)]
    # A sentence quoted on its own and again inside a longer quote of the same document (two overlapping
    # passages; one of them went on into the speaker's next words) is shown once, in the longer quote.
    kept = [
        i
        for i, (s, span) in enumerate(zip(chosen, spans, strict=True))
        if not any(
            j != i and c.doc_id == s.doc_id and span in other and (span != other or j < i)
            for j, (c, other) in enumerate(zip(chosen, spans, strict=True))
        )
    ]
    chosen, spans = [chosen[i] for i in kept], [spans[i] for i in kept]
    lines = []
    head = direct_answers.best_answer_line(question, spans, gen.content_terms)
    if head:
        lines.append(f"**{head}**")
    lines += [_quote(text, s.passage_n) for s, text in zip(chosen, spans, strict=True)]
    return lines


def multi_part(
    gen: ExtractiveGenerator,
    question: str,
    plan: Plan,
    passages: Sequence[Passage],
    history: Sequence[Turn],
) -> list[str]:
    """Each part answered as its own kind (a fact, a list, a byline); a part not answered is named as such."""
    documents = gen.documents() if gen.documents is not None else {}
    parts = plan.kind.parts
    lines, answered = [], 0
    for i, part in enumerate(parts):
        part_plan = planning.plan(part, documents, question)  # "when was it published": the whole names "it"
        if plan.kind.all_documents:
            part_plan = planning.Plan(part_plan.kind, plan.scope)
        # A later part leans on the first ("... and when was it resumed?"): score it with the first's words.
        leans = i > 0 and part_plan.kind.kind != "metadata" and _LEANS.search(part)
        asked = f"{part} {parts[0]}" if leans else part
        found = gen.answer_lines(asked, passages, history, plan=part_plan)
        if found:
            answered += 1
            lines += [f"*{part}*", *found]
        else:
            lines.append(f"*{part}* The documents do not answer this part.")
    return lines if answered else []


def _by_document(sentences: Sequence[ScoredSentence]) -> dict[str, list[ScoredSentence]]:
    groups: dict[str, list[ScoredSentence]] = {}
    for s in sentences:
        groups.setdefault(s.doc_id, []).append(s)
    return groups


def _grouped(chosen: dict[str, list[ScoredSentence]], passages: Sequence[Passage], titled: bool) -> list[str]:
    """Quotes in document order under each document's title (when there are several documents); a sentence
    that only announces the next ("... what the fee is for.", "... three messages.") is quoted with it."""
    starts = {p.n: p.start for p in passages}
    by_n = {p.n: p for p in passages}
    titles = {p.doc_id: p.title for p in passages}
    lines = []
    for doc_id, group in chosen.items():
        if not group:
            continue
        if titled:
            lines.append(f"**{titles[doc_id]}**")
        quoted: list[tuple[int, int]] = []  # the document's ranges quoted so far
        for s in sorted(group, key=lambda s: starts[s.passage_n] + s.start):
            # (a sentence a quote before already holds, as the item an announcing sentence was quoted with, or
            # the same sentence found in an overlapping passage, is not quoted a second time)
            at = starts[s.passage_n] + s.start
            if any(a <= at and at + len(s.text) <= b for a, b in quoted):
                continue
            # (an announcement that closes its passage is read on in the overlapping one)
            read_on = goes_on_in(s, by_n) if direct_answers.announces_next(s.text) else s
            text = announced(read_on, by_n[read_on.passage_n], s.text)
            quoted.append((at, at + len(text)))
            lines.append(_quote(text, s.passage_n))
    return lines


def _with_items(
    sentences: Sequence[ScoredSentence], passages: Sequence[Passage], *, announced_only: bool = True
) -> list[ScoredSentence]:
    """``sentences`` and the other items of an enumeration one of them belongs to ("First, ...", "Second,
    ..."); ``announced_only``: only after a sentence that announces it ("... only with four safeguards written
    into the plan.", "Here is what the council must do."), whose items follow in the next paragraphs as often
    as in its own: the announcement alone says none of them."""
    from .extractive import ScoredSentence

    out = list(sentences)
    taken = {(s.doc_id, list_items.passages_start(s, passages)) for s in out}
    for s in sentences:
        if announced_only and not (
            direct_answers.announces_next(s.text) or list_items.announces_count(s.text)
        ):
            continue
        for p, a, b in list_items.enumeration(s, passages):
            if (p.doc_id, p.start + a) not in taken:
                taken.add((p.doc_id, p.start + a))
                out.append(ScoredSentence(p.n, p.doc_id, a, b, p.text[a:b], 0.0, 0.0, 0.0, 0.0))
    return out


def summary(gen: ExtractiveGenerator, question: str, passages: Sequence[Passage], argue: bool) -> list[str]:
    """Central, varied sentences of each document (arguing ones for an argument), in document order.

    "Summarize what the articles say about X" is a summary of X: sentences chosen for X first, and only
    from documents that say something on it (their best sentence near the threshold, as in a comparison).
    """
    about = topic(question)
    topical = about != question and not argue
    # A summary or an argument is the document's own case: its author box (a biography) is never part of it.
    scored = [s for s in gen.score_sentences(about if topical else question, passages) if not s.in_author_box]
    words = gen.content_terms(about) if topical else set()
    if topical and len(words) <= 2:  # "about Lima": a sentence that never says Lima is about something else
        scored = [s for s in scored if words & gen.content_terms(s.text)]
    if not scored:
        return []
    groups = _by_document(scored)
    if topical:
        groups = {
            d: g for d, g in groups.items() if max(s.score for s in g) >= gen.threshold - COMPARISON_SLACK
        }
    starts = {p.n: p.start for p in passages}
    weights = summaries.ARGUMENT if argue else summaries.TOPICAL if topical else summaries.SUMMARY
    per_doc = (ARGUMENT_SENTENCES if argue else SUMMARY_SENTENCES) - (1 if len(groups) > 1 else 0)
    chosen: dict[str, list[ScoredSentence]] = {}
    for doc_id, group in groups.items():
        vectors = gen._vectors([s.text for s in group])
        similarity = np.array([s.similarity for s in group])
        offsets = [starts[s.passage_n] + s.start for s in group]
        worth = summaries.worth([s.text for s in group], offsets, vectors, similarity, weights)
        chosen[doc_id] = [group[i] for i in summaries.mmr(worth, vectors, per_doc)]
    return _grouped(chosen, passages, titled=True)


# "the main case", "her central argument", "the overall position": the case a whole document makes
_MAIN_CASE = re.compile(
    r"\b(?:main|central|core|overall|chief|principal|basic)\s+(?:case|argument|point|claim|position|message|thesis|"
    r"recommendation|objection)\b",
    re.IGNORECASE,
)


def argument(
    gen: ExtractiveGenerator, question: str, plan: Plan, passages: Sequence[Passage], history: Sequence[Turn]
) -> list[str]:
    """The arguing sentences that answer the question; for a named document asked about as a whole ("the
    main arguments of X"), its central arguing sentences. A topic none of its sentences answers abstains."""
    documents = gen.documents() if gen.documents is not None else {}
    scoped = plan.scope.doc_ids
    asked = reference.topic_terms(question, documents, scoped) if scoped else set()
    # "What is the main case X makes about the regulator's decision?": the whole document's case, whatever
    # its topic is called (its central, arguing sentences; a thesis said as such first)
    if scoped and (not asked or _MAIN_CASE.search(question)):
        return summary(gen, question, passages, argue=True)
    found = _argued(gen, question, plan, passages, history)
    if found or not scoped:
        return found
    # In a document the user named, a sentence that argues and says every word of what is asked ("What
    # does X advise schools about Brio?": "Brio is dear, and schools should budget for ...") answers, though
    # so short a question matches no sentence closely.
    said = [
        s
        for s in gen.eligible(question, passages, history, body_only=True)
        if summaries.ARGUING.search(s.text) and answer_checks.mentions(asked, gen.content_terms(s.text))
    ]
    if not said and summaries.ADVICE_ASKED.search(question):
        said = _recommended(gen, question, passages, history, asked)
    if not said and _ARGUES_ASKED.search(question) and answer_checks.expected_type(question) is None:
        said = _thesis(gen, question, [p for p in passages if p.doc_id in scoped])
    chosen = _with_speech(question, _advice_goes_on(said[:ARGUMENT_SENTENCES], passages), passages)
    return _grouped(_by_document(_with_items(chosen, passages)), passages, titled=False)


# "What does X argue should be the first priority?": what the writer argues, in whatever words
_ARGUES_ASKED = re.compile(
    r"\b(?:argue|argues|argued|contend|contends|believe|believes|maintain|maintains)\b", re.IGNORECASE
)
# words of a thesis sentence short enough to announce the next ("My argument is narrower.")
THESIS_ANNOUNCES = 8


def _thesis(gen: ExtractiveGenerator, question: str, passages: Sequence[Passage]) -> list[ScoredSentence]:
    """In the named document, the writer's thesis said as such ("My argument is narrower. The most urgent task
    is ..."), the one closest to the question, with the sentence it announces when it is short; [] if none."""
    by_n = {p.n: p for p in passages}
    theses = [
        s
        for s in gen.score_sentences(question, passages)
        if not s.in_author_box and summaries.states_thesis(s.text)
    ]
    if not theses:
        return []
    best = theses[0]
    if len(best.text.split()) <= THESIS_ANNOUNCES:
        following = next_sentence(best, by_n)
        if following is not None:
            return [best, following]
    return [best]


# Words that frame a request for advice rather than say what it is about ("What *course of action* does the
# op-ed *urge* on the government *now*?")
_ADVICE_FRAMING = frozenset(
    lexical.tokenize(
        [
            "urge urges urged course action do done now next steps step take play role resolve solve "
            # ("What *changes* to the accord do they propose?": the kind of advice, not what it is about)
            "change changes measures reforms additions things proposals ideas call calls called"
        ]
    )[0]
)


# Advice given as such: "First, it should set up a fund ...", "The bloc must reinstate its deadline ...":
# whoever is advised, then the modal, in the sentence's first words (not "... access must be exercised in
# conformity with ...", a rule stated deep in a sentence about a ruling)
_DIRECTIVE = re.compile(
    r"^(?:(?:[\w’'-]+\s+){0,3}[\w’'-]+,\s+)?(?:[\w’'.-]+\s+){0,6}?(?:should|must|needs?\s+to|ought\s+to)\s+(?!not\s+have\b|have\s+been\b)"
    # advice counted out in the imperative: "First, commission a single independent comparison ..." (a verb
    # after the ordinal, not "First, the ...", "Second, in 2019 ...")
    r"|^(?:first|second|third|fourth|fifth|next|finally|lastly),\s+(?!(?:the|a|an|it|its|they|their|we|our|this|"
    r"that|these|those|there|he|she|his|her|in|on|at|by|for|as|if|when|while|after|before|since|with|no|not|"
    r"some|many|most|all|both|each)\b)(?-i:[a-z]+)\s+(?:a|an|the|its|their|on|to|in|with|all|every|[a-z]+s)\b",
    re.IGNORECASE,
)
# a heading line above advice ("What the two governments should do"): a short line with no sentence end
_HEADING_LINE = re.compile(r"[^\n.!?]{3,80}")


def _recommended(
    gen: ExtractiveGenerator,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[Turn],
    asked: set[str],
) -> list[ScoredSentence]:
    """In a document the user named, asked what it recommends ("What does the op-ed urge the government to
    do?"): its advice in a paragraph that says what is asked about (the one advised, the topic), best first.
    Advice is said of "it" or of a short name ("First, it should set up a fund ..."), so its words match the
    question's poorly; its paragraph names whom it advises. A word found in nearly every passage (the
    dispute a document is about) need not be said; a paragraph that says none of the rest is about
    something else, and the question abstains."""
    weights = gen.term_weights() if gen.term_weights is not None else None
    # ("to resolve *the dispute*": what the advice is for, the matter the whole document is about)
    # ("instead of insisting that X pay everything": what the advice replaces, which it need not repeat)
    setting = set(lexical.tokenize([" ".join(m.group(0) for m in _ADVICE_SETTING.finditer(question))])[0])
    wanted = answer_checks.telling_terms(asked - _ADVICE_FRAMING - setting, weights)
    # "the fisheries commission" is called "the commission" again: a run of the question's words is said by
    # its last one, the head of the name
    spoken = lexical.tokenize([question])[0]
    heads = {_run_head(spoken, wanted, t) for t in wanted}
    several = _SEVERAL_ADVISED.search(question) is not None
    by_n = {p.n: p for p in passages}
    out = []
    for s in gen.eligible(question, passages, history, body_only=True):
        if not _DIRECTIVE.match(s.text):
            continue
        text = by_n[s.passage_n].text
        start, end = text.rfind("\n\n", 0, s.start), text.find("\n\n", s.end)
        paragraph = text[start + 2 if start >= 0 else 0 : end if end >= 0 else len(text)]
        # Advice counted out ("First, ...") or under a heading is addressed in what comes before it: the
        # heading ("What the two governments should do") or the paragraph that announces it
        if start >= 0 and _COUNTED_ADVICE.match(paragraph):
            before = text.rfind("\n\n", 0, start)
            previous = text[before + 2 if before >= 0 else 0 : start]
            if _HEADING_LINE.fullmatch(previous.strip()) or _DIRECTIVE.match(previous.strip()):
                paragraph = previous + "\n\n" + paragraph
        # (every term: "accord" is also the stem of "according", a word of asking that content_terms drops)
        said = set(lexical.tokenize([paragraph])[0]) | _initialled(question, paragraph)
        said |= {alias for t in said for alias in synonyms.advised_as(t)}
        if answer_checks.mentions(heads, said) or (several and len(_ADVISED_BY_NAME.findall(paragraph)) >= 2):
            out.append(s)
    return out


# "What should *each of the three governments* do?": advice to several parties, which a paragraph gives each by
# its name ("Valmora should ask ...; Tessaly should commit ...; Hellmark should suspend ...")
# (in lower case: "the United States" is one party)
_SEVERAL_ADVISED = re.compile(r"\b(?:governments|capitals|states|countries|members|sides|parties)\b")
_ADVISED_BY_NAME = re.compile(
    r"(?:^|[.;]\s+|,\s+and\s+)([A-Z][\w’'-]+)\s+(?:should|must|needs?\s+to|ought\s+to)\b"
)


# What a request for advice says around its subject, which the advice's paragraph need not repeat: what it is
# for ("to resolve the dispute"), what it replaces ("instead of ..."), how it is asked ("in what order", "each
# of the three")
_ADVICE_SETTING = re.compile(
    r"\b(?:resolve|settle|end|solve|defuse|break)\s+(?:the|this|that|their|its)\s+[a-z]+\b|"
    r"\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+[^?.;]+|\bin\s+what\s+order\b|\b(?:each|both|all)\s+of\s+the\s+(?:two|three|four)\b",
    re.IGNORECASE,
)


def _initialled(question: str, text: str) -> set[str]:
    """The terms of each name of several words in ``question`` that ``text`` says by its initials ("the
    Southern Littoral Community": "the SLC")."""
    said: set[str] = set()
    for m in authors_roles.LONG_NAME.finditer(question):
        words = [w for w in m.group(0).split() if w[:1].isupper()]
        if len(words) >= 2 and re.search(rf"\b{''.join(w[0] for w in words)}\b", text):
            said |= set(lexical.tokenize([m.group(0)])[0])
    return said


def _run_head(spoken: Sequence[str], wanted: set[str], term: str) -> str:
    """The last of the run of ``wanted`` terms ``term`` is in, in the question's order (``spoken``)."""
    if term not in spoken:
        return term
    i = spoken.index(term)
    while i + 1 < len(spoken) and spoken[i + 1] in wanted:
        i += 1
    return spoken[i]


def _argued(
    gen: ExtractiveGenerator, question: str, plan: Plan, passages: Sequence[Passage], history: Sequence[Turn]
) -> list[str]:
    """The arguing sentences that answer the question by their score; empty when none comes close."""
    scoped = plan.scope.doc_ids
    scored = gen.eligible(question, passages, history, body_only=True)
    who = summaries.advised(question)
    if summaries.ADVICE_ASKED.search(question):
        # "What does X recommend about Y?": a sentence on Y that advises nothing is not a recommendation
        scored = [
            s
            for s in scored
            if summaries.ARGUING.search(s.text)
            or summaries.ADVISING.search(s.text)
            or (who and summaries.advises(s.text, who))
        ]
    # A sentence that argues (should, must, ...) on the asked topic may come a little under the threshold, as a
    # compared document's best sentence may: inside a document the user named, or when it is the best sentence
    # of all (the question asks for an argument, and the closest sentence is one).
    arguing = [s for s in scored if summaries.ARGUING.search(s.text)]
    from .extractive import SPEECH_SLACK

    # "What did the health minister say about how the site should be chosen?": every eligible sentence gives
    # her own words (checked), which match the request's framing poorly, as for any request for someone's words
    gate = gen.threshold - (SPEECH_SLACK if answer_checks.speaker(question) else 0.0)
    if (
        arguing
        and (scoped or arguing[0] is scored[0])
        and arguing[0].score >= gen.threshold - COMPARISON_SLACK
    ):
        gate = min(gate, arguing[0].score)
    if not scored or scored[0].score < gate:
        return []
    floor = max(gate, scored[0].score - gen.margin)
    # "What should the council do?": sentences that tell the council what to do answer it, though one that
    # only names the council scores higher
    # (as close to the threshold as an arguing sentence may come: the advice is to the one asked about)
    told = (
        [s for s in scored if s.score >= gate - COMPARISON_SLACK and summaries.advises(s.text, who)]
        if who
        else []
    )
    ranked = told or sorted(
        (s for s in scored if s.score >= floor),
        key=lambda s: s.score + (0.1 if summaries.ARGUING.search(s.text) else 0.0),
        reverse=True,
    )
    chosen = _with_speech(question, _advice_goes_on(ranked[:ARGUMENT_SENTENCES], passages), passages)
    return _grouped(_by_document(_with_items(chosen, passages)), passages, titled=False)


# A sentence that goes on with the advice of the one before it, of the same subject: "It should also ...",
# "And it should not sign ...", "They must ..."
_GOES_ON = re.compile(
    # ("Concretely, it should propose ...", "In particular, they must ...": an adverb that says how it goes on)
    r"^(?:(?:and|but|also|then|finally|[a-z]+ly|in\s+particular|for\s+example|above\s+all|in\s+short),?\s+)?"
    r"(?:it|they|he|she|we)\b",
    re.IGNORECASE,
)
# "First, they should convert ...", "Second, at least a third of the money should ...": advice counted out, in
# one paragraph or one paragraph each
_COUNTED_ADVICE = re.compile(r"^(?:first|second|third|fourth|fifth|next|finally|lastly)\b", re.IGNORECASE)
# "The bloc must *also* offer itself as guarantor ...": more advice, whoever it is given to
_ALSO_ADVISES = re.compile(
    r"\b(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)\s+also\b|\balso\s+(?:should|must|needs?\s+to)\b",
    re.IGNORECASE,
)
MAX_ARGUMENT_QUOTES = 5


def _with_speech(
    question: str, chosen: Sequence[ScoredSentence], passages: Sequence[Passage]
) -> list[ScoredSentence]:
    """For a question on what someone argues or said, each sentence with the speaker's next quoted words
    ('"Every service has had to justify its cost," said X. "A pool this old costs more to heat ..."')."""
    if answer_checks.speaker(question) is None:
        return list(chosen)
    by_n = {p.n: p for p in passages}
    out = []
    for s in chosen:
        said = continued_speech(s, by_n[s.passage_n], s.text)
        out.append(dataclasses.replace(s, end=s.start + len(said), text=said) if said != s.text else s)
    return out


def _advice_goes_on(chosen: Sequence[ScoredSentence], passages: Sequence[Passage]) -> list[ScoredSentence]:
    """``chosen`` with, after each, the sentences of its paragraph that go on advising the same ("The council
    should open in phases. It should commission an audit. And it should not sign ..."): said of "it", they
    match a question on the council's advice poorly, yet they are the rest of it. A sentence that ends its
    passage goes on in the overlapping passage of the same document that holds what follows it."""
    from .extractive import ScoredSentence

    by_n = {p.n: p for p in passages}
    out = list(chosen)
    for s in chosen:
        if not summaries.ARGUING.search(s.text):
            continue  # (only advice goes on as advice)
        read = goes_on_in(s, by_n)
        n, at = read.passage_n, read.end
        text = by_n[n].text
        for a, b in split_sentences(text):
            if len(out) >= MAX_ARGUMENT_QUOTES:
                return out
            if a < at:
                continue
            sentence = text[a:b]
            counted = _COUNTED_ADVICE.match(sentence) is not None
            goes_on = (
                _GOES_ON.match(sentence)
                or _ALSO_ADVISES.search(sentence)
                or counted
                or _same_subject(sentence, s.text)
                or _FOR_ITS_PART.match(sentence)
            )
            if ("\n\n" in text[at:a] and not counted) or not (goes_on and summaries.ARGUING.search(sentence)):
                break
            if all(c.text != sentence for c in out):
                out.append(ScoredSentence(n, s.doc_id, a, b, sentence, 0.0, 0.0, 0.0, 0.0))
            at = b
    return out


# "Marvessa, for its part, should lift ...", "Belmora should in turn freeze ...": advice to the other party
_FOR_ITS_PART = re.compile(r"^[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?,?\s+(?:for\s+its\s+part|in\s+turn|too)\b")


def _same_subject(sentence: str, before: str) -> bool:
    """Whether ``sentence`` opens on a name the sentence before it gave ("The Southern Archipelago Forum ...
    should take up ... The Forum must insist ...")."""
    m = re.match(r"(?:The\s+)?((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)\s", sentence)
    return m is not None and m.group(1) in before and m.group(1) not in ("It", "They", "This", "That")


# "Critics want the forum to demand inspections. *That would be a mistake.*", "Valdmark complains that the
# allocation is unfair. *The allocation is fair, and Valdmark knows it.*": a short judgement on the sentence before,
# which is where a document takes its side; it leans on that sentence, so it rarely matches the question itself.
# It judges (``summaries.judges``) or opens on a word that points back at the sentence before ("Neither persuades").
VERDICT_WORDS = 16
_POINTS_BACK = re.compile(r"^(?:that|this|it|such|neither|both|nor)\b", re.IGNORECASE)
SET_UP_WORDS = 8  # "It is nothing of the kind.", "It should not be.": a verdict too bare to say what it is
# a view the document reports as someone else's: "Quenta Air says ...", "Critics point to ...", "Others argue
# that ...", "Some analysts, including ..., argue ...", "X's claim that ..."
_REPORTED = re.compile(
    r"\b(?:says?|claims?|argues?|argued|insists?|contends?|maintains?|puts?\s+(?:the|its|their)\s+\w+\s+at|"
    r"point(?:s|ed)?\s+to|have\s+argued|has\s+argued|(?:favou?red|backed|championed|preferred|proposed)\s+by)\b|"
    r"^(?:critics|others|some)\b|[’']s\s+claim\s+that\b",
    re.IGNORECASE,
)
# a sentence that is all set-up: "Others argue that ...", "Critics of the deal ...", "Some analysts, including ...,
# argue ..."
_OTHERS_ARGUE = re.compile(
    r"^(?:critics|others|opponents|supporters|sceptics|skeptics|some(?:\s+\w+){0,2}?\s+(?:argue|say|claim|insist|"
    r"contend)|some\s+(?:analysts|commentators|critics|observers|economists|officials))\b",
    re.IGNORECASE,
)
# the document's own answer to it: a contrast, a word that points back, its author speaking, or a better figure
_ANSWERS = re.compile(
    r"^(?:but|yet|that|this|it|its|such|neither|nor|i|my|our|we|perhaps|in\s+fact|in\s+truth|not\s+so|"
    r"like\s+most|a\s+more|the\s+(?:true|real|actual)|[A-Z][\w’'-]+\s+(?:is|was|would\s+be)\s+a)\b",
    re.IGNORECASE,
)


def _with_verdict(chosen: Sequence[ScoredSentence], passages: Sequence[Passage]) -> list[ScoredSentence]:
    """``chosen`` with, after each, the next sentence of its paragraph when that one is a short judgement of
    it: in a comparison it is the document's side, which the matched sentence only sets up."""
    by_n = {p.n: p for p in passages}
    out = list(chosen)
    pending = list(chosen)
    while pending:
        s = pending.pop(0)
        # (a set-up that closes its passage goes on in the overlapping one)
        added = next_sentence(s, by_n)
        if added is None:
            continue
        sentence = added.text
        verdict = (
            len(sentence.split()) <= VERDICT_WORDS
            and not re.search(r"\d", sentence)
            and (_POINTS_BACK.match(sentence) or summaries.judges(sentence))
        )
        # "Critics call the surcharge a reckless escalation." then "It is nothing of the kind." then "The levy is
        # a proportionate answer ...": a view reported to be answered, or a bare verdict that points back, is
        # only the set-up; the document's own side is the sentence after it, whatever its length or figures
        # (a set-up that is plainly one — "Others argue ...", "Critics ...", "It should not be." — is answered by
        # whatever follows in its paragraph; a view reported inside a sentence, "X says ...", by a sentence that
        # answers it as such)
        bare = len(s.text.split()) <= SET_UP_WORDS and _POINTS_BACK.match(s.text) is not None
        answered = (bare or _OTHERS_ARGUE.match(s.text) is not None) or (
            _REPORTED.search(s.text) is not None and _ANSWERS.match(sentence) is not None
        )
        if (verdict or answered) and all((c.doc_id, c.text) != (s.doc_id, sentence) for c in out):
            out.insert(out.index(s) + 1, added)
            if s in chosen and len(sentence.split()) <= SET_UP_WORDS and _POINTS_BACK.match(sentence):
                pending.append(added)  # "It is nothing of the kind." says what it is in the sentence after it
    return out


def _lacking_topic(documents: Mapping[str, Document], plan: Plan, about: str) -> list[str]:
    """The titles of the documents a comparison names that never mention a name in its topic ``about``."""
    named = plan.scope.doc_ids or ()
    if len(named) < 2 or plan.kind.kind != "comparison":
        return []
    return [
        documents[d].title
        for d in named
        if d in documents and reference.names_outside(f"x {about}", documents, [d])
    ]


def _other_sources(doc_id: str, documents: Mapping[str, Document]) -> list[str]:
    """The surnames of the other documents' authors and the outlets and employers they are known by (the
    scoping catalog's), through which a document may report what another says ("a recent analysis by the
    Brightwater Policy Institute"); none in a collection too large to name its documents."""
    if len(documents) > MAX_SILENT_LISTED:
        return []
    found = [
        name
        for entry in scoping.catalog(documents).entries
        if entry.doc_id != doc_id
        for name in [*(a.split()[-1] for a in entry.authors if a.split()), *entry.outlets]
    ]
    return [f for f in dict.fromkeys(found) if len(f) >= 3]


_EACH_ASKED = re.compile(
    r"\b(?:each|every|both|all\s+(?:two|three|four)|the\s+(?:two|three|four))\b", re.IGNORECASE
)


def comparison(
    gen: ExtractiveGenerator, question: str, plan: Plan, passages: Sequence[Passage], history: Sequence[Turn]
) -> list[str]:
    """One or two sentences per document on the asked topic, under each document's title.

    Documents the question names are each quoted; otherwise a document is compared only when its best
    sentence comes close to the threshold (it says something on the topic).
    """
    about = topic(question)
    documents = gen.documents() if gen.documents is not None else {}
    if about != question and _lacking_topic(documents, plan, about):
        return []  # "Compare what A and B say about X" where B never mentions X: there is nothing to compare
    scored = gen.eligible(about, passages, history, body_only=True)
    # "How do the articles differ on *Chilean* ferry fares?": a sentence that never names the topic's rare
    # name is about something else, however close its words.
    weights = gen.term_weights() if gen.term_weights is not None and about != question else None
    # (a name of several words by the word it is named again by: "Ana Ruiz" by "Ruiz")
    rare = answer_checks.subject(f"x {answer_checks.short_names(about)}", weights) if weights else None
    if rare is not None:
        by_n = {p.n: p for p in passages}
        scored = [s for s in scored if answer_checks.names_subject(quoted_span(s, by_n, about), rare)]
    # "Do they agree on how many cranes X *received*?": a sentence that never says so does not answer
    verb = answer_checks.clause_verb(about) if about != question else None
    if verb is not None:
        by_n = {p.n: p for p in passages}
        scored = [s for s in scored if answer_checks.states_verb(quoted_span(s, by_n, about), verb)]
    words = gen.content_terms(about) if about != question else set()
    # "What do the articles say about the Model-7?": a name or two has too few words for its sentences to
    # match it closely, but a sentence that says them is on the topic, and one that does not is not.
    short = 0 < len(words) <= 2
    if short:
        term_weights = gen.term_weights() if gen.term_weights else None
        telling = answer_checks.telling_terms(
            gen.content_terms(answer_checks.short_names(about)), term_weights
        )
        said = {id(s): gen.content_terms(s.text) for s in scored}
        # A document that says every word of the topic somewhere is on it: there a sentence that says its
        # rarest word answers too ("the grant cut": "the cut matters less than the headlines suggest").
        in_doc: dict[str, set[str]] = {}
        for s in scored:
            in_doc.setdefault(s.doc_id, set()).update(said[id(s)])
        # (of words equally rare, the last of the topic: the head of "the subsidy cut" is the cut; which one
        # a set yields first must not decide)
        spoken = lexical.tokenize([about])[0]
        rarest = max(
            telling,
            key=lambda t: ((term_weights or {}).get(t, 0.0), spoken.index(t) if t in spoken else -1, t),
            default=None,
        )
        scored = [
            s
            for s in scored
            if answer_checks.mentions(telling, said[id(s)])
            or (
                rarest is not None
                and answer_checks.mentions({rarest}, said[id(s)])
                and answer_checks.mentions(telling, in_doc[s.doc_id])
            )
        ]
    # Documents the question names are compared on its topic even when they say little about it in words
    # like the question's; the topic must still be there (a name none of them mentions abstains earlier).
    gate = gen.threshold - (2 * COMPARISON_SLACK if plan.scope.doc_ids or short else 0.0)
    if plan.kind.all_documents and not plan.scope.doc_ids and not short:
        # Asked of "the articles", a comparison sets each document's answer beside the others': a topic none
        # of them says in the question's words ("when is the pipeline expected to deliver gas?") may be in
        # several, and then no document's best sentence need come closer than each compared one's must. One
        # document alone near it is no comparison ("the German shipyard": "German engineers inspected ...").
        near = {s.doc_id for s in scored if s.score >= gen.threshold - COMPARISON_SLACK}
        if len(near) >= 2:
            gate = gen.threshold - COMPARISON_SLACK
    if not scored or scored[0].score < gate:
        return []
    counted = answer_checks.expected_type(about) in answer_checks.COUNTED_KINDS
    arguing = 0.1 if asks_argument(question) else 0.0  # "their advice": prefer the sentences that advise
    judging = asks_judgement(question)
    chosen = {}
    for doc_id, group in _by_document(scored).items():
        group = sorted(
            group,
            key=lambda s: s.score + (arguing if summaries.ARGUING.search(s.text) else 0.0),
            reverse=True,
        )
        best = max(s.score for s in group)
        # A document whose best sentence says most of the topic's words is on it though its wording differs
        # from the question's ("the Europeans' part in the talks": "backed European efforts to save them").
        covered = bool(words) and answer_checks.covers_terms(words, gen.content_terms(group[0].text))
        # ("What does *each* piece say about X?", "the three articles": every document is asked for its part,
        # which may be put in other words, as a named document's may)
        every = plan.kind.all_documents and _EACH_ASKED.search(question) is not None
        floor = gate if short else gen.threshold - (2 if covered or every else 1) * COMPARISON_SLACK
        if not plan.scope.doc_ids and best < floor:
            continue
        # ("Recent analyses, including one by the Brightwater Institute, put the force at about 410." in
        # another piece: the Brightwater piece's figure as this one reports it; this document's own words on the
        # topic come first when they are on it as closely as a compared document's must be)
        cited = _other_sources(doc_id, documents)
        own = [s for s in group if not any(c in s.text for c in cited)]
        if own and own[0] is not group[0] and own[0].score >= min(floor, gen.threshold - COMPARISON_SLACK):
            group = [own[0], *(s for s in group if s is not own[0])]
        second = [s for s in group[1:2] if s.score >= best - gen.margin / 2]
        if judging and not summaries.judges(group[0].text):
            # "How do they judge X?": the document's verdict on X is the second quote when it is on the topic
            # as closely as a compared document must be (the best sentence often reports X, and the verdict
            # names it more briefly, so it comes well below it)
            verdict_floor = gen.threshold - COMPARISON_SLACK
            second = next(
                ([s] for s in group[1:] if s.score >= verdict_floor and summaries.judges(s.text)),
                second,
            )
        if not second and counted:
            # "How many trucks a day pass through Brask?": "Brask was built for about 600 trucks a day." then
            # "It now handles close to 2,000 on a normal day.": the figure asked goes on in the next sentence
            # (which, speaking of the thing by a pronoun, matches the question's words poorly: its figure, of
            # the counted thing once read with the sentence before, is what makes it answer)
            second = [
                s for s in [sequel(group[0], group, passages, gen.threshold - SEQUEL_SLACK)] if s is not None
            ]
        chosen[doc_id] = _with_verdict(group[:1] + second, passages)
    if not chosen:
        return []
    # A document the question names that has no sentence on the topic is said to be silent, so the answer
    # does not read as if the quoted documents were all it names ("the report and the op-ed on air quality").
    # So is every other document of a small collection asked about as "the articles" (a handful the user
    # knows); in a large index the documents not quoted are most of it, and naming them says nothing.
    compared = plan.scope.doc_ids or (
        tuple(documents) if plan.kind.all_documents and len(documents) <= MAX_SILENT_LISTED else ()
    )
    silent = [documents[d].title for d in compared if d in documents and d not in chosen]
    lines = _grouped(chosen, passages, titled=True)
    from ..support import SILENT  # (support imports the generators' package)

    return lines + [f"*{title}*: {SILENT}" for title in silent]


def author_profiles(gen: ExtractiveGenerator, question: str, passages: Sequence[Passage]) -> list[str]:
    """For a question about the authors themselves ("Compare the affiliations of the authors"): each
    document's author-box sentence that best answers it, under the document's title when there are several.

    The box is about its author by definition, so no threshold applies; a document without one is left out.
    """
    boxed = [s for s in gen.score_sentences(question, passages) if s.in_author_box]
    if _AFFILIATION_ASKED.search(question):  # where they work: the sentences that name an institution
        boxed.sort(key=lambda s: s.score + (0.1 if _INSTITUTION.search(s.text) else 0.0), reverse=True)
    chosen: dict[str, list[ScoredSentence]] = {}
    said: set[str] = set()  # one author's box on two of their documents is quoted once
    for s in boxed:  # best first
        if s.text not in said and len(chosen.setdefault(s.doc_id, [])) < PROFILE_SENTENCES:
            chosen[s.doc_id].append(s)
            said.add(s.text)
    chosen = {d: group for d, group in chosen.items() if group}
    return _grouped(chosen, passages, titled=len(chosen) > 1) if chosen else []


def announced_items(question: str, plan: Plan, passages: Sequence[Passage]) -> list[str]:
    """For "What three recommendations do the authors make?" asked of a named document: the sentence that
    announces as many things of that kind ("We make three recommendations.") and the items it goes through
    ("First, ...", "The second is ..."), quoted in document order; empty when the document announces none."""
    from .extractive import ScoredSentence

    asked = list_items.counted_ask(question)
    if asked is None or not plan.scope.doc_ids:
        return []
    for p in passages:
        if p.doc_id not in plan.scope.doc_ids:
            continue
        for a, b in split_sentences(p.text):
            if not list_items.announces_asked(p.text[a:b], asked):
                continue
            s = ScoredSentence(p.n, p.doc_id, a, b, p.text[a:b], 0.0, 0.0, 0.0, 0.0)
            items = _with_items([s], passages)
            if len(items) > 2:  # the announcement and at least two of its items
                return _grouped(_by_document(items), passages, titled=False)
    return []


def listing(
    gen: ExtractiveGenerator,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[Turn],
    chosen: list[ScoredSentence] | None = None,
) -> list[str]:
    """Every sentence that holds an item of the list (``list_items``; ``chosen`` when the caller found them
    already), and the other items of an enumeration one of them belongs to, grouped by document."""
    if chosen is None:
        chosen = list_items.listing(gen, question, passages, history)
    if not chosen:
        return []
    # ("It should require ... It should set aside ...": the items of a list of advice go on in its paragraph)
    chosen = _with_items(_advice_goes_on(chosen, passages), passages, announced_only=False)
    chosen = _with_listed_next(chosen, passages)
    groups = _by_document(chosen)
    return _grouped(groups, passages, titled=len(groups) > 1)


# Three or more items in one sentence: "A; B; and C", "A, B, C and D"


def _with_listed_next(chosen: Sequence[ScoredSentence], passages: Sequence[Passage]) -> list[ScoredSentence]:
    """``chosen`` with, after a sentence that lists nothing itself ("The agreement contains provisions no buyer
    should accept.", "Kestria also has a credibility problem."), the next sentence of its paragraph when that
    one lists three things or more ("It hosts the fleet, employs the crews and supplies every commander."):
    the items the first only introduces."""
    by_n = {p.n: p for p in passages}
    out = list(chosen)
    for s in chosen:
        if list_items.ENUMERATES.search(s.text):
            continue
        listed = next_sentence(s, by_n)
        if (
            listed is not None
            and list_items.enumerates_inline(listed.text)
            and all((c.doc_id, c.text) != (s.doc_id, listed.text) for c in out)
        ):
            out.insert(out.index(s) + 1, listed)
    return out


def metadata(plan: Plan, passages: Sequence[Passage], documents: Mapping[str, Document]) -> list[str]:
    """The asked metadata of the named document(s), or of the best passage's document."""
    doc_ids = plan.scope.doc_ids or tuple(dict.fromkeys(p.doc_id for p in passages))[:1]
    if not doc_ids or plan.kind.field is None:
        return []
    known = [d for d in doc_ids if d in documents]
    return [
        line
        for field in plan.kind.fields or (plan.kind.field,)
        for line in metadata_answers.answer(field, known, passages, documents)
    ]


def structured(gen: ExtractiveGenerator, question: str, passages: Sequence[Passage]) -> list[str]:
    """A code block (for a how-to question) or a table row under its header, when one answers better than
    every sentence; empty otherwise. The block is quoted whole, so the verified quote keeps its lines."""
    how_to = bool(units.HOW_TO.search(question))
    by_n = {p.n: p for p in passages}
    documents = gen.documents() if gen.documents is not None else {}
    if (name := units.unmentioned(question, passages, documents)) is not None:
        return [f"The documents do not answer this question: none of them mentions `{name}`."]
    found: dict[tuple[str, int], units.Unit] = {}
    for p in passages:
        whole = documents[p.doc_id].text if p.doc_id in documents else ""  # a later chunk's table header
        for unit in (units.code_blocks(p.n, p.text) if how_to else []) + units.table_rows(
            p.n, p.text, whole, p.start
        ):
            found.setdefault((p.doc_id, p.start + unit.start), unit)
    if how_to:  # a section whose heading holds every asked word, made of steps without code: its steps
        from .extractive import _QUESTION_WORDS

        if steps := steps_answer(question, passages, documents, _QUESTION_WORDS):
            return steps
    # "What did Professor Asante say about bees?": a programme's row naming him gives nobody's words
    if not found or answer_checks.speaker(question) is not None:
        return []
    if not how_to and (extreme := _table_extreme(question, found, by_n, documents)):
        return extreme  # "Which sensor drifted the most?": the row holding the column's extreme
    candidates = list(found.values())
    scores = [0.0] * len(candidates)
    for doc_id in {by_n[u.passage_n].doc_id for u in candidates}:
        mine = [i for i, u in enumerate(candidates) if by_n[u.passage_n].doc_id == doc_id]
        unnamed = [reference.without_title_words(candidates[i].context, documents.get(doc_id)) for i in mine]
        found_scores = gen.score_texts(
            reference.without_title_words(question, documents.get(doc_id)), unnamed
        )
        for i, value in zip(mine, found_scores, strict=True):
            scores[i] = value
    for i, unit in enumerate(candidates):  # a block of several commands: each comment says what one does
        notes = units.comments(unit.text) if unit.kind == "code" else []
        if notes:
            heading = units.heading_before(by_n[unit.passage_n].text, unit.start)
            scores[i] = max([scores[i], *gen.score_texts(question, [f"{heading} {n}" for n in notes])])
    if keyed := units.naming_rows(candidates, question):  # the row of the option the question names
        return units.row_lines(candidates[max(keyed, key=scores.__getitem__)], passages)
    best = max(range(len(candidates)), key=scores.__getitem__)
    unit = candidates[best]
    sentences = gen.eligible(question, passages)
    if how_to and (in_named := _code_in_named_section(gen, question, candidates, scores, by_n)) is not None:
        return _code_lines(candidates[in_named], by_n)
    # A how-to's best sentence may be the block's own lead-in ("Run the whole suite with:"): the block then
    # holds what the sentence only announces.
    beaten = bool(sentences) and sentences[0].score > scores[best]
    if beaten and how_to and unit.kind == "code" and sentences[0].text in unit.context:
        beaten = False
    if scores[best] < gen.threshold or beaten:
        return []
    # The question names a section by its heading ("chunk size": *Chunking*): a row of another section's
    # table that shares its words ("shard size") is not what it asks about; that section answers.
    named = sections.named_heading(question, passages) if unit.kind == "row" else None
    if named is not None and units.heading_before(by_n[unit.passage_n].text, unit.start) != named:
        return []
    if unit.kind == "row":
        return units.row_lines(unit, passages)  # under its header, from the passage that holds it
    return _code_lines(unit, by_n)


def _table_extreme(
    question: str,
    found: Mapping[tuple[str, int], units.Unit],
    by_n: Mapping[int, Passage],
    documents: Mapping[str, Document],
) -> list[str]:
    """The row(s) holding the extreme a superlative question asks for, under the table's header, with the
    key cell and the value as the answer line; empty when it asks for none, no retrieved table has the column
    it is about, or the winning row is not among the retrieved passages (it could not be quoted)."""
    if table_extremes.asked_way(question) is None:
        return []
    tables: dict[tuple[str, int], int] = {}  # each retrieved table's header, by the best passage holding it
    for (doc_id, _), unit in found.items():
        if unit.kind == "row" and unit.header_at is not None and doc_id in documents:
            key = (doc_id, unit.header_at[0])
            tables[key] = min(tables.get(key, unit.passage_n), unit.passage_n)
    answers = []
    for doc_id, header_start in sorted(tables, key=tables.__getitem__):
        result = table_extremes.extreme(question, documents[doc_id].text, header_start)
        if result is not None:
            answers.append((doc_id, result))
    if len(answers) != 1:
        return []  # no table has the column, or two do and the question does not say which
    doc_id, result = answers[0]
    rows = [found.get((doc_id, row.start)) for row in result.rows]
    if any(unit is None for unit in rows):
        return []
    lines = [f"**{' / '.join(row.cells[0] for row in result.rows)}** ({result.column}: {result.value})"]
    for unit in rows:
        assert unit is not None
        lines += units.row_lines(unit, list(by_n.values()))
    return lines


def _code_lines(unit: units.Unit, by_n: Mapping[int, Passage]) -> list[str]:
    heading = units.heading_before(by_n[unit.passage_n].text, unit.start)
    lines = [f"Under *{heading}*:"] if heading else []
    return [*lines, _quote(unit.text, unit.passage_n)]


def _code_in_named_section(
    gen: ExtractiveGenerator,
    question: str,
    candidates: Sequence[units.Unit],
    scores: Sequence[float],
    by_n: Mapping[int, Passage],
) -> int | None:
    """The best code block of a section the how-to names by its heading ("How do I evaluate ...?": the block
    under *Evaluation*), when it is near enough to the question as a section lead must be; None otherwise.
    A block is terse (a synopsis of options): it scores under the threshold, but its heading says what it
    is for."""
    from .extractive import _QUESTION_WORDS

    named = [
        i
        for i, u in enumerate(candidates)
        if u.kind == "code"
        and sections.names(question, units.heading_before(by_n[u.passage_n].text, u.start), _QUESTION_WORDS)
    ]
    best = max(named, key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] >= gen.threshold - sections.SECTION_SLACK else None
