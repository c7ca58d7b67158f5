"""List questions whose items match the question loosely: the kind of item told by the question's head
noun, the relation asked stated in other words, and the sentence that goes on about the same subject.

A small invented article is indexed with the real embedder; every quote must be the document's own text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of
from test_answer_kinds import _ask, _verbatim

from rag.answer.generators import list_items

POOL = """---
title: Town Votes for a New Swimming Pool
author: Ada Quist
date: 2024-05-02
---
# Town Votes for a New Swimming Pool

The town council of Marlow Bay approved a new swimming pool on Monday, with a 25-metre basin and a \
learners' pool for children.

The new swimming pool will be financed by the Coastal Development Bank, which lends 8 million euros, and \
by the brewery Olsen Brothers, which gives 2 million euros.

Council leader Nora Field said the new swimming pool would open in the summer of 2026 and serve the whole \
new swimming pool district.

The plan was welcomed by the regional sports council. The town's swimming club also endorsed the pool.

Shop owner Karl Wendt complained that the building site would block the road to his bakery. Retired \
teacher Edith Sand condemned the choice of site, saying it would destroy the last meadow in town.

The design is by the architect Lena Moor, who aptly described it as "a glass boat on the meadow."

Coach Ivo Brandt trains the youth swimming team of the town. He also runs the lifeguard course at the \
Harbour Sports Club and sits on the board of the Regional Swimming League.

Ivo Brandt has been a visiting coach at the Lakeside Academy and the Northern Sports College.

Ticket sales are expected to bring in 300,000 euros a year, and the town hopes visitor numbers will rise by \
20 percent. The pool's opening will make the town more attractive to young families.

The council attached conditions to the approval. The builder must plant forty trees along the road. \
Work near the school will stop during exams.
"""


MARKET = """# Market Moves to the Harbour

The weekly farmers' market will move to the harbour square in June. Stall holder Otto Kranz complained \
about the new parking fees at the square.
"""


@pytest.fixture(scope="module")
def pool_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "pool",
        {
            "pool.md": POOL,
            "market.md": MARKET,  # a complainer about something else
        },
    )


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which organisations backed the plan?", "organisation"),
        ("Which people opposed the plan?", "person"),
        ("Who funded the pool?", "person"),
        ("What amounts were promised?", "number"),
        ("Which countries sent bands?", "place"),
        ("What reasons does the report give?", "reason"),
        ("What measures did the council take?", "action"),
        ("What did the council decide?", None),
    ],
)
def test_the_kind_of_item_is_told_by_the_head_noun(question: str, kind: str | None) -> None:
    assert list_items.item_type(question) == kind


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Who funded the pool?", "funded"),
        ("Who is paying for the pool?", "paying"),
        ("Which people criticised the site?", "criticised"),
        ("Who is Nora Field?", None),
        ("Which people did Nora Field meet or call?", "meet"),
        ("Which colleges has Ivo Brandt been a coach at?", None),  # "been" is stated in many words
        ("Who wrote the article?", None),
    ],
)
def test_the_verb_asked_of_the_items(question: str, verb: str | None) -> None:
    assert list_items.asked_verb(question) == verb


def test_a_relation_is_stated_by_a_close_variant_or_a_word_made_from_it() -> None:
    stems = list_items.relation_stems("criticised")
    assert list_items.states_relation("She filed a complaint with the board.", stems)
    assert list_items.states_relation("He condemned the plan.", stems)
    assert not list_items.states_relation("He thanked the volunteers.", stems)
    paid = list_items.relation_stems("paying")
    assert list_items.states_relation("The pool is financed by a bank.", paid)
    # a verb of no family is stated by its own stem only
    assert list_items.relation_stems("dredged") == ["dredg"]


def test_an_item_holds_a_thing_of_the_asked_kind() -> None:
    question = "Which people opposed the Marlow Bay plan?"
    assert list_items.holds_item("Teacher Edith Sand condemned it.", "person", question)
    assert not list_items.holds_item("The plan for Marlow Bay was approved.", "person", question)
    assert list_items.holds_item("It costs 8 million euros.", "number", question)
    assert list_items.holds_item("Doctors leave because pay is low.", "reason", question)
    assert list_items.holds_item("The builder must plant trees.", "action", question)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # the funding sentence ranks below one that repeats "the new swimming pool" three times
        ("Who is paying for the new swimming pool?", ["Coastal Development Bank", "Olsen Brothers"]),
        # neither says "opposed": one "complained", one "condemned"
        ("Which people opposed the new swimming pool?", ["Karl Wendt", "Edith Sand"]),
        ("Who criticised the swimming pool plan?", ["Karl Wendt", "Edith Sand"]),
        # bodies named in lower case, in the words of the relation's family ("welcomed", "endorsed")
        ("Who supported the new swimming pool?", ["regional sports council"]),
        # the author-box habit: the second sentence says "He also ..." and never repeats the question
        ("Which colleges has Ivo Brandt been a visiting coach at?", ["Northern Sports College"]),
        (
            "Which organisations does Ivo Brandt work for?",
            ["Harbour Sports Club", "Regional Swimming League"],
        ),
    ],
)
def test_items_that_match_the_question_loosely_are_listed(
    pool_index: Path, question: str, named: list[str]
) -> None:
    answer = _ask(question, pool_index)
    assert not answer.abstained
    assert all(name in answer.text for name in named), answer.text
    assert "Otto Kranz" not in answer.text  # he states the relation, about another topic
    _verbatim(answer, pool_index)


def test_a_relation_the_document_never_states_is_not_listed(pool_index: Path) -> None:
    # nobody in the article praises the pool: the critics are no answer
    answer = _ask("Who praised the new swimming pool?", pool_index)
    assert "Karl Wendt" not in answer.text and "Edith Sand" not in answer.text


def test_a_list_of_figures_quotes_only_sentences_with_figures(pool_index: Path) -> None:
    # "The pool's opening will make the town more attractive" is close in words but gives no figure
    answer = _ask("What figures are given for the new pool's ticket sales and visitors?", pool_index)
    assert "300,000 euros" in answer.text and "20 percent" in answer.text
    assert "more attractive" not in answer.text
    _verbatim(answer, pool_index)


def test_a_person_quoted_with_an_adverb_before_the_verb_is_a_source(pool_index: Path) -> None:
    # "who aptly described it as ...": an adverb between the name and the verb of speech
    answer = _ask("Which people does the swimming pool article quote?", pool_index)
    assert "Lena Moor" in answer.text
    _verbatim(answer, pool_index)


def test_a_sentence_that_names_the_asked_kind_announces_the_next(pool_index: Path) -> None:
    # "The council attached conditions ...": the conditions themselves are in the next sentence
    answer = _ask("What conditions did the council attach to the pool approval?", pool_index)
    assert "plant forty trees" in answer.text
    _verbatim(answer, pool_index)


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Who funded the pool?", True),
        ("Who is paying for the pool?", True),
        ("Who criticised the plan?", True),
        ("Who built the pool?", False),  # one builder, answered as a fact with its direct answer line
        ("Who designed the pool?", False),
        ("Who is Nora Field?", False),
        ("Who wrote the article?", False),
    ],
)
def test_who_asks_for_several_only_of_relations_several_share(question: str, several: bool) -> None:
    assert list_items.asks_who(question) is several


CANAL = """Reopening the Kessel Canal

By Ada Lorne, Harbour Review

The canal has been closed to large barges since the flood of 2022, and the towns along it have lost much of their
trade.

The authority should ask the mayors of Kessel and Orm, who keep the trust of both shipping guilds, to meet before
the spring, with three items on the agenda: extending the towpath repairs to Orm, replacing the broken lock gates
at Tiller, and a common timetable for the barges.
"""


def test_a_sentence_that_lists_is_an_item_though_it_matches_loosely(tmp_path_factory) -> None:
    # items not of a type a pattern tells (acts, not names or figures), asked in other words
    folder = index_of(tmp_path_factory, "canal", {"canal.txt": CANAL})
    answer = _ask("Which topics does the review want the mayors to discuss?", folder)
    assert not answer.abstained, answer.text
    assert "replacing the broken lock gates" in answer.text
    _verbatim(answer, folder)


FLOOD = """Flood Villages Take the Mill Company to Court

By Mara Venn, Valley Courier

Nine villages below the Ardle mill pond have sued the Ardle Milling Company over the dam failure of March 2023.

Together the villages seek $40 million for deaths, ruined orchards, poisoned wells and the loss of the trout
fishery. The company says the storm, not its dam, caused the damage.

Since the flood, the county council has closed the mill road, banned fishing in the lower river, drained what
was left of the pond, and opened an inquiry into the dam's inspections.
"""


@pytest.mark.parametrize(
    ("question", "item"),
    [
        # short bare items after a preposition
        ("What kinds of harm are the villages seeking damages for?", "ruined orchards"),
        # actions, one verb each
        ("What steps has the county council taken since the flood?", "banned fishing"),
    ],
)
def test_a_list_of_bare_items_or_of_actions_is_an_item(tmp_path_factory, question: str, item: str) -> None:
    folder = index_of(tmp_path_factory, "flood", {"flood.txt": FLOOD})
    answer = _ask(question, folder)
    assert not answer.abstained, answer.text
    assert item in answer.text, answer.text
    _verbatim(answer, folder)


@pytest.mark.parametrize(
    ("sentence", "lists"),
    [
        ("They seek damages for deaths, ruined orchards, poisoned wells and the loss of a fishery.", True),
        ("The county has closed the road, banned fishing in the river, and drained the pond.", True),
        # commas of clauses and asides, not of items
        (
            "The complaint, filed at the tribunal in March, is the latest example, and it deserves more.",
            False,
        ),
        ("In 2019, the bank, which lent heavily, and the state agreed.", False),
    ],
)
def test_which_sentences_list(sentence: str, lists: bool) -> None:
    from rag.answer.generators.list_items import _INLINE_LIST

    assert bool(_INLINE_LIST.search(sentence)) is lists


REMARKS = """The Mayor's Three Messages

By Ada Lorne, Harbour Review

The mayor's speech to the harbour board on Monday contained three messages. One was aimed at the ferry operators: they
must publish their timetables a month ahead. Another message targeted the board, for failing to dredge the channel
on time. Finally, the third message was meant for the town's shopkeepers, who were asked to stay open later in
summer.
"""


def test_an_item_quoted_with_the_sentence_that_announces_it_is_not_quoted_again(tmp_path_factory) -> None:
    folder = index_of(tmp_path_factory, "remarks", {"remarks.txt": REMARKS})
    answer = _ask("What three messages did the mayor's speech contain?", folder)
    assert not answer.abstained, answer.text
    quotes = [" ".join(c.quote.split()) for c in answer.citations]
    assert any("publish their timetables" in q for q in quotes), answer.text
    assert not any(a in b for i, a in enumerate(quotes) for j, b in enumerate(quotes) if i != j), answer.text
    _verbatim(answer, folder)
