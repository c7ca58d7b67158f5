"""Someone's words asked with when they were said before what about ("What did X say in April about ...?"),
or for what they defend ("... say to justify the decision?"): a request for words, whatever figure the topic
names, and words that seldom name the act they defend (real embedder, real index of a page written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of

PAGE = """
The Exam Quarrel Is About Trust

by [Nora Vale \\(/experts/nora-vale\\)](/experts/nora-vale)

November 12, 2024

ABOUT THE AUTHOR

Nora Vale is a fellow at the Pell Institute.

Commentary

Three neighbours stopped trusting each other's school certificates this autumn.

In September Dalvia stopped recognising Kormet's certificates. "We cannot admit students on the strength of a
paper we no longer trust," Dalvia's education minister, Ilse Marrek, told reporters in October.

The exam software failed in June; its maker is Brisk Systems, a firm from Lenby that also runs the marking. Ostmark
raised its exam fee in May. Ostmark argued that the old fee had not been revised in ten years and no longer covered
the cost of marking.

The common exam board would need new software. Ostmark's minister, Oskar Vellin, said in April that his
government would "pay our share tomorrow if the others will pay theirs."
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "words_asked", {"a.txt": PAGE})


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("What did Dalvia's education minister say in October to justify the decision?", "no longer trust"),
        (
            "What did Vellin say in April about his government's willingness to pay for the new software?",
            "pay our share tomorrow",
        ),
    ],
)
def test_the_words_asked_are_quoted(page: Path, question: str, wanted: str) -> None:
    answer = ask_checked(question, page)
    assert not answer.abstained, answer.text
    assert wanted in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # words asked for, though the topic speaks of paying
        ("What did Vellin say in April about his government's willingness to pay for the software?", None),
        ("What did Vellin say about the cost of the software?", None),
        ("How much did Vellin say the software would cost?", "money"),
    ],
)
def test_words_asked_for_want_no_figure(question: str, kind: str | None) -> None:
    assert answer_checks.expected_type(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        "How much weight do the brief and the op-ed give to the notice Valdoria sent?",
        "How much importance does the commentary attach to the vote?",
    ],
)
def test_how_much_a_thing_matters_is_no_figure(question: str) -> None:
    assert answer_checks.expected_type(question) is None


def test_a_hyphenated_word_is_no_verb_asked() -> None:
    # "Do Ferreol's op-ed and the analysis agree ...?": "op" is part of "op-ed", not a verb to find stated
    assert answer_checks.yes_no_verb("Do Ferreol's op-ed and the analysis agree on the count?") is None
    assert answer_checks.yes_no_verb("Did Ferreol deliver the report?") == "deliver"


def test_writers_who_give_the_figures_are_no_subject_of_them() -> None:
    # "What jobless figures do Langmoor and Quillfeather give for Veskland?": Quillfeather wrote a piece; the
    # figures are Veskland's
    bylines = ["by Ana Langmoor", "by Tomas Quillfeather"]
    question = "What jobless figures do Langmoor and Quillfeather give for Veskland?"
    weights = {"quillfeath": 3.0, "langmoor": 3.0, "veskland": 1.0, "jobless": 2.0}
    assert answer_checks.uncited_subject(question, "Quillfeather", weights, lambda: bylines) != "Quillfeather"


def test_words_in_response_to_something_must_be_on_it(page: Path) -> None:
    # Vellin's words are on paying for the software, not on a rival's offer
    answer = ask_checked("What did Vellin say in response to Kormet's offer?", page)
    assert answer.abstained, answer.text
    assert answer_checks.topic_terms("What did Vellin say in response to Kormet's offer?") == [
        "kormet",
        "offer",
    ]


def test_an_explanation_asked_of_someone_is_what_they_said(page: Path) -> None:
    question = "What justification did Ostmark offer for raising its exam fee?"
    assert answer_checks.speaker(question) == "Ostmark"
    answer = ask_checked(question, page)
    assert not answer.abstained, answer.text
    assert "had not been revised in ten years" in answer.text, answer.text


def test_an_explanation_nobody_gave_abstains(page: Path) -> None:
    # Brisk Systems is named as the software's maker, but the page gives no explanation of theirs for its failure
    answer = ask_checked("What explanation did Brisk Systems give for the software failure in June?", page)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did Ostrin Aquaculture's chief executive say after the escape?", "chief executive"),
        ("What did Brisk Systems' chief executive say publicly about the failure?", "chief executive"),
        ("What did Dalvia's education minister say?", "education minister"),
    ],
)
def test_a_post_owned_by_a_name_of_several_words(question: str, who: str) -> None:
    assert answer_checks.speaker(question) == who


def test_a_post_nobody_quotes_abstains(page: Path) -> None:
    # Brisk Systems' chief executive is never quoted (nor named) on the page
    answer = ask_checked(
        "What did Brisk Systems' chief executive say publicly after the software failed?", page
    )
    assert answer.abstained, answer.text
