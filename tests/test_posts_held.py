"""Who holds a post, asked by its verb ("Who chairs the board?"): answered where the page says the post, by its
verb or its noun; a sentence on the same body that names no holder abstains (``posts_held``; real embedder,
real index of a page written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import posts_held
from tests.conftest import ask_checked, index_of

PAGE = """
The Harbour Board Loses Its Way

by [Mira Sand \\(/experts/mira-sand\\)](/experts/mira-sand)

May 2, 2024

ABOUT THE AUTHOR

Mira Sand is a fellow at the Quay Institute.

Commentary

The board that runs the port of Ostra needs new rules.

The Ostra Harbour Board has been chaired since 2021 by Tomas Greve, a former shipping lawyer. Its dredging
committee, set up in 2019, has met only twice.

On March 3, the Pilots' Guild referred the Article 9 question to the Coastal Tribunal in Lenby and agreed to
accept its ruling.

The harbour's new cranes were supplied by a foreign manufacturer in 2022. The channel is dredged every spring by
Marsh & Kell, a firm from Lenby.

Ostra's position is the simplest to explain. It pays half of the board's budget and fears any new formula. Its
harbour minister, Ilse Brandt, argued after the vote that "a toll that changes every month is no toll at all."
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "posts_held", {"a.txt": PAGE})


def test_the_holder_named_with_the_post(page: Path) -> None:
    answer = ask_checked("Who chairs the Ostra Harbour Board?", page)
    assert not answer.abstained, answer.text
    assert "Tomas Greve" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Who presides over the Coastal Tribunal in Lenby?",
        # the board "runs" the port: who owns it is not said
        "Who owns the port of Ostra?",
        "Who led the Pilots' Guild when it referred the Article 9 question?",
    ],
)
def test_a_body_named_with_no_holder_abstains(page: Path, question: str) -> None:
    answer = ask_checked(question, page)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "post"),
    [
        ("Who chairs the board?", "chair"),
        ("Who currently leads the union?", "lead"),
        ("Who presides over the panel?", "preside"),
        ("Who owned the mill?", "own"),
        ("Who is the chair of the board?", None),  # the noun is asked: ``answer_checks.role_asked`` reads it
        ("Who wrote the op-ed?", None),
    ],
)
def test_the_post_asked_by_its_verb(question: str, post: str | None) -> None:
    assert posts_held.post_asked(question) == post


@pytest.mark.parametrize(
    ("span", "says"),
    [
        ("The panel is chaired by Judge Ana Varl.", True),
        ("Ana Varl, the panel's chairwoman, opened the hearing.", True),
        ("Judge Varl presided over the hearing.", True),
        ("The panel was constituted in May 2023.", False),
        # the post said, but no one named who holds it ("Decree 22/7" and "April" name no one)
        ("The panel created by Decree 22/7 has met only twice, and its chair resigned in April.", False),
    ],
)
def test_the_post_said_by_its_verb_or_its_noun(span: str, says: bool) -> None:
    assert posts_held.says_post(span, "Who presides over the panel?") is says


def test_a_post_owned_by_a_pronoun_leads_back_to_its_owner(page: Path) -> None:
    # "Its harbour minister" two sentences after "Ostra's position ...": the owner is named where the pronouns
    # that follow it lead back to
    answer = ask_checked("What did Ostra's harbour minister say after the vote about the toll?", page)
    assert not answer.abstained, answer.text
    assert "no toll at all" in answer.text, answer.text


def test_a_thing_asked_by_its_kind_needs_its_name(page: Path) -> None:
    # "supplied by a foreign manufacturer" names no company
    answer = ask_checked("Which company supplied the harbour's new cranes?", page)
    assert answer.abstained, answer.text
    answer = ask_checked("Which firm dredges the channel every spring?", page)
    assert not answer.abstained, answer.text
    assert "Marsh & Kell" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "span", "answers"),
    [
        ("Which rocket will carry the Clearwater mission?", "None of this means I oppose Clearwater.", False),
        (
            "Which vessel crossed first?",
            "The first ship to pay, a timber carrier called the Aster Grey, crossed.",
            True,
        ),
        # other questions are not asked by a thing's kind
        ("Which measures does the op-ed want?", "The council should cut the fee.", True),
    ],
)
def test_a_name_answers_which_company_or_vessel(question: str, span: str, answers: bool) -> None:
    assert posts_held.names_one_asked(span, question) is answers
