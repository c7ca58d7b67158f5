"""An answer in an interview or a FAQ is read under the question printed above it: "Seven years." answers
"How long did the book take to write?" there, and only there (real embedder, real index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import spans
from tests.conftest import ask_checked, index_of

INTERVIEW = """"I paint the sky last": a conversation with the painter Odile Rask

By Benno Vries

Odile Rask's largest canvas, The Flooded Field, hangs in the new wing of the city gallery. We spoke in her \
studio by the canal.

How long did The Flooded Field take to paint?

Four years.

Which colour do you use most?

A grey I mix from blue and burnt orange. Nobody believes me when I tell them.

Why do you paint the sky last?

The sky sets the light for everything else, and I only know which light I want at the end.
"""


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "interview", {"rask.txt": INTERVIEW})


def test_the_question_a_paragraph_answers() -> None:
    text = "Intro.\n\nHow long did it take?\n\nFour years. Then more.\n\nPlain paragraph."
    assert spans.asked_before(text, text.index("Four")) == "How long did it take?"
    assert spans.asked_before(text, text.index("Then")) == "How long did it take?"  # same paragraph
    assert spans.asked_before(text, text.index("Plain")) is None  # the paragraph before is no question
    assert spans.asked_before(text, text.index("Intro")) is None


def test_a_two_word_answer_under_its_question(interview: Path) -> None:
    answer = ask_checked("How long did The Flooded Field take to paint?", interview)
    assert not answer.abstained and answer.citations[0].quote == "Four years.", answer.text


def test_an_answer_under_a_question_is_no_answer_to_another(interview: Path) -> None:
    assert ask_checked("How long did Odile Rask study painting?", interview).abstained


def test_a_short_answer_paragraph_is_quoted_whole(interview: Path) -> None:
    from rag.answer.generators.extractive import _answer_units

    text = "Which colour?\n\nA grey. Nobody believes me.\n\nPlain text. More text."
    units = [text[a:b] for a, b in _answer_units(text, "")]
    assert units == ["Which colour?", "A grey. Nobody believes me.", "Plain text.", "More text."]
    # a FAQ's reader asks in the FAQ's words: the whole answer is quoted, not the sentence nearest in words
    answer = ask_checked("Which colour do you use most?", interview)
    assert (
        answer.citations[0].quote
        == "A grey I mix from blue and burnt orange. Nobody believes me when I tell them."
    )


def test_the_answer_under_a_why_question_is_its_reason(interview: Path) -> None:
    # no "because": printed under "Why ...?", the paragraph is the reason
    answer = ask_checked("Why does Odile Rask paint the sky last?", interview)
    assert not answer.abstained and "sets the light" in answer.text, answer.text


def test_a_question_headline_is_not_a_faq_question() -> None:
    text = "Will the talks survive?\n\nThe talks resumed on Monday."
    assert spans.asked_before(text, text.index("The talks"), "Will the talks survive?") is None


QA_LINES = """Interview: Bringing the Lyric back to life
By Tomas Lind
18 February 2026

Rosa Trelawny led the volunteer group that reopened the Lyric, Ashford's 1923 village cinema, last autumn. \
We asked her how it happened.

Q: How long had the cinema been closed?
A: Twenty-six years. When we first got the keys, pigeons were living in the balcony.

Q: What was the hardest part?
A: The projector. The old one was beyond saving, and a new one cost more than the whole roof repair.

Q: Who runs it now?
A: Forty-one volunteers and one paid manager, Dev Sandu. Everyone takes turns on the ticket desk.
"""


@pytest.fixture(scope="module")
def qa_lines(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "qa-lines", {"lyric.txt": QA_LINES})


def test_a_question_line_above_its_answer_line() -> None:
    text = "Intro.\n\nQ: How long had it been closed?\nA: Six years. Then more.\n\nPlain."
    assert spans.asked_before(text, text.index("A: Six")) == "How long had it been closed?"
    assert spans.asked_before(text, text.index("Then")) == "How long had it been closed?"
    assert spans.asked_before(text, text.index("Plain")) is None


def test_an_interview_answer_gives_the_words_of_the_one_its_lead_introduces(qa_lines: Path) -> None:
    # no "she said" anywhere: the answers under the questions are hers
    answer = ask_checked("What did Rosa Trelawny say about the pigeons?", qa_lines)
    assert not answer.abstained and "pigeons were living in the balcony" in answer.citations[0].quote, (
        answer.text
    )


def test_an_answer_line_is_no_answer_to_another_question(qa_lines: Path) -> None:
    assert ask_checked("How much did the new roof cost?", qa_lines).abstained
