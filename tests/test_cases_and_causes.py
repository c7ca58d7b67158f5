"""The case a whole piece makes, and causes asked in other shapes (real embedder, real index of pages written
here):

- "What is the main case X makes about Y?" quotes the piece's central, arguing sentences, a thesis said as such
  ("My view is that ...") first, whatever Y is called (``summaries.THESIS``, ``extractive_kinds.argument``);
- an author named by the second post of their author box ("... and president of the Harrow branch of the
  Commuters' Union": "the commuters' union president") names their piece (``authors_roles.roles``);
- "What led X to ...?", "In X's view, what made ...?" ask why; "the Marsh authors" are one piece's writers, not
  every document's (``question_kinds``, ``answer_checks.asks_why``);
- a consequence ("... will therefore need a subsidy") is quoted with the sentence it follows from, and "This is
  why X matters." with the reason after it (``spans``);
- "since May 2023" says when, not why (``answer_checks._CAUSE``);
- a post said as a verb ("who commands the harbour coastguard") is that post's holder speaking;
- "What job did X hold before ...?" needs a post held before, not the post asked from (``posts_held``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import question_kinds, summaries
from rag.answer.generators import answer_checks, posts_held
from tests.conftest import ask_checked, index_of

OP_ED = """
The Bridge Toll Punishes the Wrong Drivers

by [Rosa Vint \\(/experts/rosa-vint\\)](/experts/rosa-vint)

April 9, 2025

ABOUT THE AUTHOR

Rosa Vint is a senior lecturer in transport planning at the University of Harrow and president of the Harrow branch of the Commuters' Union.

Op-Ed

Harrow's new bridge toll will do little for congestion, and the council is asking the wrong people to pay for it.

The council voted in February to charge $6 a crossing on the Vale Bridge from September. It says the money will
repair the bridge and that fewer cars will ease the queues on the ring road.

Most of the drivers who cross the Vale Bridge at rush hour are shift workers from the eastern estates, where no
bus runs before six. They cannot switch to a train that does not exist.

My view is that the toll should be scrapped outright, not trimmed, because it charges the drivers who have no
other way to cross.

The repairs are real and they must be paid for. A levy on the freight yards that send their trucks over the bridge
would raise as much, and the council could start a night bus to the estates with what is left.

The council should publish the traffic counts behind its forecast of shorter queues. It should also ask the
freight yards to move their deliveries out of the rush hour, and residents of the eastern estates must be heard
before September.
"""

ANALYSIS = """
Harbour Depths and the Grain Trade

by [Ivo Marsh \\(/experts/ivo-marsh\\)](/experts/ivo-marsh) and [Tea Lund \\(/experts/tea-lund\\)](/experts/tea-lund)

May 2, 2025

ABOUT THE AUTHORS

Ivo Marsh is a fellow at the Quay Institute. Tea Lund is a research associate there.

Policy Analysis

The port of Ostra is losing its grain trade because its channel is too shallow, and the ferry operator is losing
money for other reasons.

No dredging has been carried out since May 2023, and the authority's soundings show the channel at 9.1 metres.
That is deep enough for the ferries but not for loaded grain ships, which is why three grain traders have
postponed their contracts with the port.

Ferry traffic fell by a fifth in the second year of the new timetable. The operator will therefore need a subsidy
of about $2 million a year to keep all four boats running.

This is why the depth of the outer channel matters so much. A grain ship that ran aground there would close the
port to every vessel for weeks.

Some analysts argue that each of the two towns should run its own half of the ferry line. That would be a
mistake. A ferry cannot be timetabled in two halves, and someone must decide which boat sails when the fog comes in.

"My cutters will stay in the channel until it is safe," said Captain Ana Roos, who commands the harbour coastguard,
as the first dredger arrived.

Lena Fjord, who chaired the Port Users' Council until it was dissolved, said the delays were avoidable. Karl Dorn,
the authority's harbour master since 2022, was a marine surveyor at the Lenby yard for twelve years.
"""


NAVAL = """
Warships on a Fishing Ground

by [Nadia Fell \\(/experts/nadia-fell\\)](/experts/nadia-fell)

October 4, 2024

ABOUT THE AUTHOR

Nadia Fell is a senior researcher at the Meridian Security Forum.

Report

Two navies now patrol the same fishing bank, and each treats the other's boats as intruders.

Most commentary on the dispute has been about quotas and the boundary. Those questions matter, and both governments
have proposals on the table for them.

My argument is narrower. The most urgent task is not dividing the fish but keeping the warships apart.

Since May, the two navies have come within a mile of each other eleven times.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "cases_and_causes", {"a.txt": OP_ED, "b.txt": ANALYSIS, "c.txt": NAVAL})


@pytest.mark.parametrize(
    "question",
    [
        # the author named by the second post of her author box
        "What is the main case the commuters' union president makes in her op-ed?",
        # a topic named, in other words than the piece's: still the whole piece's case
        "What is the central case Rosa Vint makes about the council's decision?",
    ],
)
def test_the_main_case_is_the_thesis_said_as_such(pages: Path, question: str) -> None:
    from rag.answer import planning
    from rag.answer.pipeline import get_pipeline
    from rag.settings import Settings

    documents = get_pipeline(pages, Settings()).retriever.documents
    assert planning.plan(question, documents, question).scope.doc_ids == ("a",)
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert "the toll should be scrapped outright" in answer.text, answer.text
    assert {c.doc_id for c in answer.citations} == {"a"}, answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # "since May 2023" is when, not why: the shallow channel is the reason, said before "which is why"
        ("Why have grain traders held back from signing with the port?", "No dredging has been carried out"),
        # a consequence ("therefore") is quoted with the sentence it follows from
        (
            "What led Ivo Marsh to conclude the ferry operator will need a subsidy?",
            "Ferry traffic fell by a fifth",
        ),
        # a short verdict on a claim ("That would be a mistake."): its grounds come next
        (
            "Why does the Quay Institute analysis oppose letting each town run its own half of the ferry line?",
            "cannot be timetabled in two halves",
        ),
        # "This is why X matters": the reason comes after it
        (
            "Why does the analysis argue that the depth of the outer channel is so important?",
            "would close the port to every vessel for weeks",
        ),
    ],
)
def test_causes_asked_in_other_shapes_are_quoted_with_their_reason(
    pages: Path, question: str, wanted: str
) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert wanted in " ".join(answer.text.replace("> ", " ").split()), answer.text


def test_a_post_said_as_a_verb_speaks_for_the_post(pages: Path) -> None:
    answer = ask_checked("What did the harbour coastguard commander say as the first dredger arrived?", pages)
    assert not answer.abstained, answer.text
    assert "My cutters will stay in the channel" in answer.text, answer.text


def test_a_post_held_before_is_said_or_the_question_abstains(pages: Path) -> None:
    answer = ask_checked("What job did Karl Dorn hold before he became harbour master?", pages)
    assert not answer.abstained, answer.text
    assert "marine surveyor" in answer.text, answer.text
    # only the post asked from is said of her
    answer = ask_checked("What job did Lena Fjord hold before she chaired the Port Users' Council?", pages)
    assert answer.abstained, answer.text


@pytest.mark.parametrize(
    ("question", "kind", "all_documents"),
    [
        ("What led the Quay authors to suggest a subsidy?", "why_how", False),
        ("What drove the grain traders out of the port?", "why_how", False),
        ("What do the authors suggest the port should do?", "argument", True),
        ("What do both writers recommend?", "argument", True),
        ("What does the Marsh analysis suggest?", "argument", False),
    ],
)
def test_question_kinds(question: str, kind: str, all_documents: bool) -> None:
    asked = question_kinds.classify(question)
    assert (asked.kind, asked.all_documents) == (kind, all_documents)


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("In Marsh's view, what made the authority delay the dredging?", True),
        ("According to the analysis, why did the traders leave?", True),
        ("What led Ivo Marsh to conclude the operator needs a subsidy?", True),
        ("What led to the delay?", True),
        ("In Marsh's view, what should the authority do?", False),
        ("What did the authority lead?", False),
    ],
)
def test_asks_why(question: str, why: bool) -> None:
    assert answer_checks.asks_why(question) is why


@pytest.mark.parametrize(
    ("sentence", "thesis"),
    [
        ("My view is that the toll should be scrapped outright.", True),
        ("The real problem is the bus timetable.", True),
        ("The quarrel is less about money than about who decides.", True),
        ("The levy is not the cause of the crisis; it is the symptom of an old treaty.", True),
        ("The levy is not a tax on trade but a charge for a service.", True),
        ("We recommend an outcome-based agreement.", True),
        ("The council voted in February to charge $6 a crossing.", False),
        ('"My view is that nothing will change," the mayor said.', False),
    ],
)
def test_thesis_sentences(sentence: str, thesis: bool) -> None:
    assert summaries.states_thesis(sentence) is thesis


@pytest.mark.parametrize(
    ("span", "answers"),
    [
        ("Karl Dorn was a marine surveyor at the Lenby yard for twelve years.", True),
        ("Dorn had been Ostra's deputy harbour master.", True),
        ("She was previously a ferry captain.", True),
        (
            "Lena Fjord, who chaired the Port Users' Council until it was dissolved, said the delays were avoidable.",
            False,
        ),
        ("Karl Dorn became harbour master in 2022.", False),
    ],
)
def test_says_earlier_post(span: str, answers: bool) -> None:
    question = "What job did they hold before they chaired the Port Users' Council?"
    assert posts_held.says_earlier_post(span, question) is answers
    # other questions are not this check's
    assert posts_held.says_earlier_post(span, "Who chairs the council?")


def test_what_a_writer_argues_in_a_thesis_said_as_such(pages: Path) -> None:
    answer = ask_checked("What does Nadia Fell argue should be the first priority in the dispute?", pages)
    assert not answer.abstained, answer.text
    assert "keeping the warships apart" in answer.text, answer.text
