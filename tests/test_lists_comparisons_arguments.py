"""Comparisons asked in words nobody tuned on: "How do the report and the op-ed treat X?" (the tenth round).

Four small invented documents on a town's bike-share scheme (a consumer test of e-bikes, a news report, two
op-eds on opposite sides) are indexed with the real embedder; every quote must be the document's own text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of
from test_answer_kinds import _ask, _verbatim

from rag.answer import planning, question_kinds
from rag.index.store import load_index

TEST = """---
title: Five e-bikes ridden up Tarn Hill
author: Nell Okafor
date: 2025-09-01
---
# Five e-bikes ridden up Tarn Hill

By Nell Okafor, transport editor

We tested five folding e-bikes on Tarn Hill every day for six weeks in September.

The Pendle Zip was the lightest of the five, at 14 kilograms, and folds in ten seconds. Its battery lasted \
for 38 kilometres.

The Corrigan Metro carried the most luggage and has the best brakes. It costs 1,900 pounds.

The Ashby Fold Two was the cheapest, at 1,100 pounds, but its motor struggled on the steepest part of the \
hill.

The Marlin Urban E was the most comfortable over cobbles, with wide tyres and a sprung seat.

The Sorrel Vee broke a pedal in the third week.

Our verdict: the Corrigan Metro is the best e-bike for commuters, and the Pendle Zip the best for trains.

For riders on a tight budget, the price matters more than the weight. Riders on a tight budget should \
pick the Ashby, but only where no steep hill lies between home and \
work, and only with a spare battery in the bag.
"""

NEWS = """---
title: Bellmoor council picks a bike-share operator this autumn
author: Tomas Ferri
date: 2025-09-10
---
# Bellmoor council picks a bike-share operator this autumn

Bellmoor's council will vote next month on which company should run its first bike-share scheme, with \
600 bikes at 60 docking stations.

Three companies have bid. Velora Mobility, a Dutch firm that runs schemes in Utrecht and Ghent, asked for \
a subsidy of 2.1 million pounds over five years. Spoke and Chain, based in Leeds, asked for 1.6 million \
pounds. Quayside Cycles, a local firm, asked for 900,000 pounds but would start with only 200 bikes.

Councillor Ruth Abiola, who chairs the transport committee, said the scheme would cut short car trips in \
the centre. The cost of electricity for the charging docks is still being negotiated.
"""

FOR = """---
title: "Opinion: Bellmoor is ready for bike-share. Vote yes."
author: Jonah Reyes
date: 2025-09-15
---
# Opinion: Bellmoor is ready for bike-share. Vote yes.

By Jonah Reyes

Jonah Reyes is a retired bus driver who has lived in Bellmoor all his life.

Every year the council promises safer streets, and every year the traffic grows. The vote on 14 October \
is the chance to change that, and councillors should take it.

Of the three bids, the council should choose Spoke and Chain, whose bikes are the sturdiest. Velora's \
scheme is polished, and Quayside Cycles is brave, but an untested operator is a risk.

The charging docks will raise the council's electricity bill, and the council must ask the operator to \
share it.

The council has offered a subsidy for the first five years. Some councillors now want to trim it; I say the \
cut would be a false saving.
"""

AGAINST = """---
title: "Opinion: Fix the cycle lanes before we buy bikes"
author: Mara Lindqvist
date: 2025-09-18
---
# Opinion: Fix the cycle lanes before we buy bikes

By Mara Lindqvist, chair of the Bellmoor Cycling Forum

The vote on 14 October comes before the town has seen where these bikes will be ridden. Most of our \
cycle lanes end at a kerb or a bus stop.

Councillors should postpone the vote until the lanes are mapped and repaired. Velora Mobility and Spoke \
and Chain want every station built at once; only Quayside Cycles offered a smaller start.

The charging docks will add to the council's electricity bill, a cost the council has not shown.
"""


@pytest.fixture(scope="module")
def bikes_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "bikes",
        {"test.md": TEST, "news.md": NEWS, "for.md": FOR, "against.md": AGAINST},
    )


def test_two_parties_before_a_verb_of_depiction_are_compared(bikes_index: Path) -> None:
    answer = _ask(
        "How do the news report and the op-ed against the scheme treat the charging docks?", bikes_index
    )
    assert question_kinds.classify(answer.question).kind == "comparison"
    assert not answer.abstained
    assert len({c.doc_id for c in answer.citations}) >= 2
    _verbatim(answer, bikes_index)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How do the report and the op-ed treat the fare?", "comparison"),
        ("How do the council and the union view the plan?", "comparison"),
        ("How did the mayor and the police handle the protest?", "why_how"),  # no verb of depiction
        ("How do the articles view the plan?", "comparison"),  # as before: "the articles"
        ("How do you view the plan?", "why_how"),
    ],
)
def test_kinds_said_in_other_words(question: str, kind: str) -> None:
    assert question_kinds.classify(question).kind == kind


def test_two_parties_one_of_which_names_no_document_read_every_document(bikes_index: Path) -> None:
    documents = load_index(bikes_index).documents
    # "the op-ed against the scheme" names no one document (two are titled as opinion); "the news report" none
    plan = planning.plan("How do the news report and the op-ed treat the charging docks?", documents)
    assert plan.kind.kind == "comparison"
    assert plan.scope.doc_ids is None


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # the byline says whom the author speaks for: "By Mara Lindqvist, chair of the Bellmoor Cycling Forum"
        (
            "What does the forum's op-ed recommend?",
            "Opinion: Fix the cycle lanes before we buy bikes",
        ),
        # the author box: "Jonah Reyes is a retired bus driver who ..." (a relative clause ends the role)
        (
            "What does the bus driver's piece recommend?",
            "Opinion: Bellmoor is ready for bike-share. Vote yes.",
        ),
        (
            "What does the driver want the council to do?",
            "Opinion: Bellmoor is ready for bike-share. Vote yes.",
        ),
        ("What does the op-ed recommend?", None),  # two documents are titled as opinion: neither is named
    ],
)
def test_a_document_named_by_whom_its_author_speaks_for(
    bikes_index: Path, question: str, title: str | None
) -> None:
    from rag.answer import scoping

    documents = load_index(bikes_index).documents
    scope = scoping.resolve(question, documents)
    assert [documents[d].title for d in scope.doc_ids or ()] == ([title] if title else [])


def test_a_document_on_a_short_topic_may_say_its_rarest_word_alone(bikes_index: Path) -> None:
    # the op-ed for says "subsidy" in one sentence and "the cut" in the next: it is on "the subsidy cut"
    answer = _ask("What do the articles say about the subsidy cut?", bikes_index)
    assert "the cut would be a false saving" in answer.text
    _verbatim(answer, bikes_index)


def test_documents_named_together_by_what_they_share_are_compared(bikes_index: Path) -> None:
    # "the two Bellmoor op-eds": every document, named by a word before the plural
    answer = _ask("How do the two Bellmoor op-eds treat the charging docks?", bikes_index)
    assert question_kinds.classify(answer.question).all_documents
    assert len({c.doc_id for c in answer.citations}) >= 2
    _verbatim(answer, bikes_index)
