"""Pieces named by a post their author held before ("the former Mardovan minister", "the former TRCA
operations director"), a writer's "central case", a piece's own words asked of it by its label ("What does the
commentary argue ...?"), and advice counted out under a heading or in the imperative ("First, commission ...")
to those the question names another way ("the two capitals") (real embedder, real index of pages written here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import authors_roles, planning, question_kinds, synonyms
from rag.answer.generators import answer_checks
from rag.types import Document
from tests.conftest import ask_checked, index_of

ANALYSIS = """
Sharing the Lake: How to Keep the Tovar Ferry Accord Alive

by [Ines Halloran \\(/experts/ines-halloran\\)](/experts/ines-halloran)

May 6, 2024

ABOUT THE AUTHOR

Ines Halloran is a senior fellow at the Brisk Centre for Lake Affairs.

Policy Analysis

The ferry accord between Mardova and Quell still works, but its fares and its timetable need repair.

The accord has linked the two shores of Lake Tovar since 2009 with six ferries, run by the Tovar Lake
Crossing Authority from a depot at Essel. Last winter Quell cut its share of the subsidy by a third, and the
night crossings stopped in February.

What the two governments should do

First, commission a single independent audit of the ferry accounts from an auditor that neither ministry
controls. Second, publish the timetable for the winter season in full. Third, agree on a fare formula that
rises with fuel prices and is reviewed every two years.

The accord also contains clauses that no public buyer should have accepted. Quell may set the fuel surcharge
alone; it keeps every berth at Essel for its own boats; and it can end the timetable at a month's notice.

The lake has been shared for longer than either state has existed. Its ferries should be too.
"""

OPED = """
Quell Broke the Ferry Accord. It Should Pay to Mend It.

by [Tomas Reyl \\(/experts/tomas-reyl\\)](/experts/tomas-reyl)

June 2, 2024

ABOUT THE AUTHOR

Tomas Reyl was Mardova's minister of transport from 2012 to 2018 and now writes a column for the Essel Courier.

Op-Ed

One shore cannot cut the subsidy and leave the other to run the boats alone.

I ran the transport ministry when the night crossings were added, so I will say plainly what few in Quell want
to hear: the collapse of the timetable is Quell's doing. Quell should restore its share of the subsidy at once,
and it should pay the crews it laid off in March.

The ferries carry 4,000 passengers a day in summer. Fares rose by 12 percent in April.

Officials in Quell call the subsidy cut a prudent saving. It is nothing of the kind. The cut moves Quell's costs
onto the ferry users of the other shore, who pay the higher fares.
"""

COMMENTARY = """
The Lake Needs a Timetable, Not a Quarrel

By Odile Marsh

2024-07-01

ABOUT THE AUTHOR

Odile Marsh is a fellow at the Vantor Institute for Transport Studies.

Commentary

Much of the commentary on the ferry dispute has asked whether Quell's cut was fair. That is the wrong question.

The lake needs boats that leave on time. Mardova should offer to share the cost of the night crossings for one
season, and Quell should agree to an audit before it cuts anything again. The Authority should publish its
fuel bills every quarter.
Others argue that the subsidy cut was within Quell's rights under the accord. The accord fixes each shore's share
of the subsidy until 2030, and a cut needs the consent of both.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "former_posts", {"a.txt": ANALYSIS, "b.txt": OPED, "c.txt": COMMENTARY})


def _doc_id(index_dir: Path, file_name: str) -> str:
    from rag.answer.pipeline import get_pipeline
    from rag.settings import Settings

    docs = get_pipeline(index_dir, Settings()).retriever.documents
    return next(i for i, d in docs.items() if Path(d.source_path or "").name == file_name)


def _plan(question: str, index_dir: Path) -> planning.Plan:
    from rag.answer.pipeline import get_pipeline
    from rag.settings import Settings

    return planning.plan(question, get_pipeline(index_dir, Settings()).retriever.documents, question)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the central case the former minister makes in his op-ed?", "argument"),
        ("What is Reyl's main case about who should pay for the ferries?", "argument"),
        ("What is the core case of the analysis?", "argument"),
        ("What is the overall position Reyl takes in his op-ed?", "argument"),
        ("What stance does the commentary take overall?", "fact"),  # (no "overall position": not caught)
        # a case in court is still a fact
        ("When did Quell bring its case against Mardova?", "fact"),
    ],
)
def test_a_writers_central_case_is_their_argument(question: str, kind: str) -> None:
    assert question_kinds.classify(question).kind == kind


def _document(bio: str) -> Document:
    text = f"Title\n\nby Tomas Reyl\n\nABOUT THE AUTHOR\n\n{bio}\n\nOp-Ed\n\nBody text.\n"
    start = text.index(bio)
    return Document(
        doc_id="d", text=text, title="Title", authors=("Tomas Reyl",), author_box=((start, start + len(bio)),)
    )


@pytest.mark.parametrize(
    ("bio", "question", "named"),
    [
        # a post held before, the owner's name said as its adjective
        (
            "Tomas Reyl was Mardova's minister of transport from 2012 to 2018 and now writes a column.",
            "What is the former Mardovan minister's main case?",
            2,
        ),
        # the body by its initials, and three words before the post
        (
            "Tomas Reyl was director of operations at the Tovar Lake Crossing Authority from 2010 to 2020.",
            "What does the former TLCA operations director argue?",
            2,
        ),
        # another country's minister is not him
        (
            "Tomas Reyl was Mardova's minister of transport from 2012 to 2018 and now writes a column.",
            "What is the former Quellish minister's main case?",
            0,
        ),
        # a post held now is not "former"
        (
            "Tomas Reyl is a senior fellow at the Brisk Centre for Lake Affairs.",
            "What does the former fellow argue?",
            0,
        ),
    ],
)
def test_an_author_named_by_a_post_held_before(bio: str, question: str, named: int) -> None:
    roles = authors_roles.roles(_document(bio))
    assert roles
    assert max(authors_roles.named_by(question, r) for r in roles) == named


def test_two_letters_are_no_initials() -> None:
    # "Brisk Centre" would be "BC": too short to tell from a word
    roles = authors_roles.roles(
        _document("Tomas Reyl is a senior fellow at the Brisk Centre for Lake Affairs.")
    )
    assert {"bcla"} <= set().union(*(r.terms for r in roles))
    assert not {"bc"} & set().union(*(r.terms for r in roles))


def test_the_former_minister_names_his_piece(pages: Path) -> None:
    plan = _plan(
        "What is the former Mardovan minister's main case about who should pay for the ferries?", pages
    )
    assert plan.scope.doc_ids == (_doc_id(pages, "b.txt"),)
    answer = ask_checked(
        "What is the former Mardovan minister's main case about who should pay for the ferries?", pages
    )
    assert not answer.abstained, answer.text
    assert "Quell should restore its share of the subsidy" in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("What is the minister's main case about who should carry the cost of the crossings?", None),
        ("Who should pay for the night crossings?", None),
        ("How much should Quell pay for the night crossings?", "money"),
    ],
)
def test_who_pays_is_not_how_much(question: str, wanted: str | None) -> None:
    assert answer_checks.expected_type(question) == wanted


@pytest.mark.parametrize(
    "question",
    [
        "What does the commentary argue Mardova should do?",
        "What does the brief argue about the fares?",
        "What does the column say about the fares?",
    ],
)
def test_a_piece_asked_by_its_label_speaks_in_its_own_words(question: str) -> None:
    # "the commentary" is the piece itself: its sentences are its words, not a third party's to be shown speaking
    assert answer_checks.speaker(question) is None


def test_what_the_commentary_argues(pages: Path) -> None:
    # the page says "the commentary on the ferry dispute" of others' writing: the question still asks for its own
    answer = ask_checked("What does the commentary argue Mardova should do about the night crossings?", pages)
    assert not answer.abstained, answer.text
    assert "Mardova should offer to share the cost of the night crossings" in answer.text, answer.text


def test_advice_counted_out_under_a_heading_to_the_two_capitals(pages: Path) -> None:
    # The advice is in the imperative ("First, commission ..."), addressed by its heading to "the two
    # governments", and the question calls them "the two capitals"
    answer = ask_checked(
        "What course of action does the Brisk Centre analysis urge on the two capitals?", pages
    )
    assert not answer.abstained, answer.text
    assert "commission a single independent audit" in answer.text, answer.text


def test_advice_to_someone_the_piece_never_advises_still_abstains(pages: Path) -> None:
    answer = ask_checked(
        "What course of action does the Brisk Centre analysis urge on the Essel harbour board?", pages
    )
    assert answer.abstained, answer.text


def test_a_comparison_quotes_the_answer_to_a_view_it_sets_up(pages: Path) -> None:
    # Each piece reports a view on the cut and then answers it: the answer is the piece's side, though the
    # matched sentence is the set-up ("It is nothing of the kind." is itself too bare to say what it is)
    answer = ask_checked("How do the op-ed and the commentary judge Quell's subsidy cut?", pages)
    assert not answer.abstained, answer.text
    assert "The cut moves Quell's costs" in answer.text, answer.text
    assert "a cut needs the consent of both" in answer.text, answer.text


def test_a_list_introduced_by_the_sentence_before_it(pages: Path) -> None:
    # The sentence that matches the question names no item; the next one lists them, separated by semicolons
    answer = ask_checked(
        "Which clauses of the accord does the Brisk Centre analysis say no public buyer should have accepted?",
        pages,
    )
    assert not answer.abstained, answer.text
    for item in (
        "set the fuel surcharge",
        "keeps every berth at Essel",
        "end the timetable at a month's notice",
    ):
        assert item in answer.text, answer.text


@pytest.mark.parametrize(
    ("text", "lists"),
    [
        ("It hosts the fleet at Merrow, employs most of the crews, and supplies every commander.", True),
        ("Quell may set the surcharge; it keeps every berth; and it can end the timetable.", True),
        # a figure's comma parts no items
        ("Roughly 2,300 workers were laid off, and subcontractors say they are owed €340 million.", False),
        ("Kestria also has a credibility problem.", False),
    ],
)
def test_what_lists_three_things_or_more(text: str, lists: bool) -> None:
    from rag.answer.generators import list_items

    assert (list_items.ENUMERATES.search(text) is not None) is lists


@pytest.mark.parametrize(
    ("text", "scene"),
    [
        (
            "Between the threat of war, a crackdown at home, and a quarrel at sea, relations are at a low.",
            True,
        ),
        ("While on a visit to Essel, the minister urged calm, patience and a new audit.", True),
        ("It hosts the fleet at Merrow, employs most of the crews, and supplies every commander.", False),
    ],
)
def test_a_sentence_that_opens_on_its_circumstances_lists_no_items(text: str, scene: bool) -> None:
    # such a sentence lists what surrounds its own point, not the items the sentence before it introduced
    from rag.answer.generators import list_items

    assert (list_items.SETS_SCENE.match(text) is not None) is scene


@pytest.mark.parametrize(
    ("term", "aliases"),
    [("capit", {"govern", "admini"}), ("govern", {"capita", "admini"}), ("ferri", set()), ("gov", set())],
)
def test_who_is_advised_named_two_ways(term: str, aliases: set[str]) -> None:
    assert set(synonyms.advised_as(term)) == aliases


@pytest.mark.parametrize(
    ("sentence", "explained"),
    [
        # what brought it about, named as such
        ("Cases of fever tripled in 2022, a consequence of families storing water in open tanks.", True),
        ("Cases of fever tripled in 2022, the consequence of a dry summer.", True),
        # what it brought about is no reason for it
        ("Halvoria never joined. Every parcel therefore crosses an external frontier.", False),
        ("Cases of fever tripled in 2022.", False),
    ],
)
def test_a_consequence_of_something_is_its_reason(sentence: str, explained: bool) -> None:
    assert answer_checks.explains(sentence) is explained
    if explained:
        assert answer_checks.gives_reason(sentence, "Why have cases of fever risen?")


# A page whose first chunk closes on a count ("... until three changes are made.") and whose second chunk,
# overlapping it, goes on with the three changes
_PAGE = (
    "Donors have paid for the camps since 2019. Donors should refuse to finance the return phase until three "
    "changes are made. The Refugee Office must join the verification committee as a full member. The amnesty "
    "must be widened to cover anyone accused only of living where the Northern Front ruled. And the first phase must be "
    "limited to districts where the Cardel Alliance can monitor returnees.\n\nThe rest is detail."
)


def _passages() -> list:
    from rag.types import Passage

    cut = _PAGE.index(" The Refugee Office")  # the first chunk ends on the count
    overlap = _PAGE.index("Donors should refuse")
    return [
        Passage(1, "c1", "d", "Roadmap", _PAGE[:cut], 0, cut, 1.0),
        Passage(2, "c2", "d", "Roadmap", _PAGE[overlap:], overlap, len(_PAGE), 0.9),
    ]


def test_counted_items_that_close_a_passage_are_read_on_in_the_next() -> None:
    from rag.answer.generators import list_items
    from rag.answer.generators.extractive import ScoredSentence

    first = _passages()[0]
    start = first.text.index("Donors should refuse")
    counting = ScoredSentence(1, "d", start, len(first.text), first.text[start:], 0.6, 0.5, 1.0, 0.6)
    items = [p.text[a:b] for p, a, b in list_items.counted_items(counting, _passages())]
    assert len(items) == 3, items
    assert items[0].startswith("The Refugee Office must join"), items
    assert items[2].startswith("And the first phase must be limited"), items
    # read in its own passage alone, the count has nothing after it
    assert list_items.counted_items(counting, _passages()[:1]) == []


def test_the_best_sentence_with_its_sequel_that_speaks_of_it_by_a_pronoun() -> None:
    from rag.answer.generators import extractive
    from rag.answer.generators.extractive import ScoredSentence
    from rag.types import Passage

    text = (
        "Most Merethi wine comes from estates of under ten hectares. Stripped of the name, they would have to "
        "redesign labels and reprint stocks. The valley also grows pears."
    )
    passage = Passage(1, "c1", "d", "Wine", text, 0, len(text), 1.0)
    # the sentences' spans as the product splits them
    from rag.index.sentences import split_sentences

    a, b, c = split_sentences(text)

    def scored(span: tuple[int, int], score: float) -> ScoredSentence:
        return ScoredSentence(1, "d", span[0], span[1], text[span[0] : span[1]], score, 0.3, 1.0, score)

    best, sequel, other = scored(a, 0.60), scored(b, 0.55), scored(c, 0.56)
    assert sequel.text.startswith("Stripped of the name, they")
    chosen = extractive._with_sequel([best], [best, other, sequel], [passage], threshold=0.572)
    assert chosen == [best, sequel]
    # too far under the threshold, it says something else
    far = scored(b, 0.50)
    assert extractive._with_sequel([best], [best, far], [passage], threshold=0.572) == [best]
    # a sentence that does not go on about the best one by a pronoun is not its sequel
    assert extractive._with_sequel([scored(b, 0.6)], [scored(b, 0.6), other], [passage], threshold=0.572) == [
        scored(b, 0.6)
    ]


@pytest.mark.parametrize(
    ("question", "line"),
    [
        # "What yearly ..." asks no year: its answer line is no year
        ("What yearly rent did Daleria pay under the original 1998 lease?", None),
        ("What year did Daleria first lease the site?", "1998"),
    ],
)
def test_a_yearly_amount_is_not_asked_as_a_year(question: str, line: str | None) -> None:
    from rag.answer import direct_answers

    sentence = "Daleria first leased the site in 1998, and in 2016 the lease was renewed at an annual rent of $31 million."
    assert direct_answers.answer_line(question, sentence) == line


@pytest.mark.parametrize(
    ("sentence", "in_year"),
    [
        # the figure is 2022's; 2019 is said of another thing in a clause of its own
        ("The inspectorate employed four engineers in 2022, and it last inspected the dam in 2019.", False),
        ("The inspectorate employed four engineers in 2022; it last inspected the dam in 2019.", False),
        ("In 2019 the inspectorate employed four engineers.", True),
        # a clause with a figure and no year of its own is said of the year the sentence gives
        ("The inspectorate employed four engineers, and it last inspected the dam in 2019.", True),
    ],
)
def test_a_figure_of_another_year_in_a_clause_of_its_own(sentence: str, in_year: bool) -> None:
    question = "How many engineers did the inspectorate employ in 2019?"
    assert answer_checks.figure_in_year(sentence, question) is in_year
    assert answer_checks.figure_in_year(sentence, "How many engineers does the inspectorate employ?")


def test_a_fact_according_to_a_piece_named_by_its_institute_and_to_an_author(pages: Path) -> None:
    # "the Brisk paper" is the piece by the Brisk Centre's fellow, "Reyl" the op-ed's author: each answers
    question = "How many ferries cross the lake, according to the Brisk paper and to Reyl?"
    plan = _plan(question, pages)
    assert plan.kind.kind == "comparison"
    assert set(plan.scope.doc_ids or ()) == {_doc_id(pages, "a.txt"), _doc_id(pages, "b.txt")}


@pytest.mark.parametrize(
    ("question", "who"),
    [
        # what the head of a body admitted, conceded or warned is a request for their words
        (
            "What did the head of Quell's ferry authority admit to the crews about the timetable?",
            "head of Quell's ferry authority",
        ),
        (
            "What did the head of the lake authority warn about the night crossings?",
            "head of the lake authority",
        ),
        ("What did the head of the lake authority approve?", None),
    ],
)
def test_what_the_head_of_a_body_admitted(question: str, who: str | None) -> None:
    assert answer_checks.speaker(question) == who


def test_whose_post_it_is_in_three_words() -> None:
    question = "What did the regional aviation council's secretary-general tell reporters about the fees?"
    assert answer_checks.speaker(question) == "secretary-general"


def test_a_post_given_after_the_name_that_said_it(pages: Path) -> None:
    # '"...," said Ines Hale, the Tovar Lake Authority's ferry commissioner.': the name first, the post after it
    span = '"We learned more from one spreadsheet than from ten years of reports," said Ines Hale, the Tovar Lake Authority\'s ferry commissioner.'
    question = (
        "What did the lake authority's ferry commissioner say about what could be learned from the reports?"
    )
    assert answer_checks.speaker(question) == "ferry commissioner"
    assert answer_checks.quotes_speaker(span, "ferry commissioner", question)


@pytest.mark.parametrize(
    ("question", "about"),
    [
        # the place's generic last word says only what it is: its first word names it
        ("For how long was boring under the Varga Hills suspended?", "Varga"),
        ("How many boats cross Tovar Lake each day?", "Tovar"),
        # a name of one word stays itself
        ("How many boats does Essel send each day?", "Essel"),
    ],
)
def test_the_name_a_figure_is_about_is_not_a_places_generic_word(question: str, about: str) -> None:
    weights = {"varga": 2.0, "hill": 2.5, "tovar": 2.0, "lake": 2.5, "essel": 2.5, "boat": 0.5}
    assert answer_checks.subject(question, weights) == about


def test_having_is_no_event() -> None:
    # "How much reserve did Kestria have ...?": a sentence that says "had" must not score lower for not stating it
    assert (
        answer_checks.event_verb("How much spinning reserve did Kestria have on the night of the blackout?")
        is None
    )
    assert answer_checks.event_verb("When did Kestria sign the accord?") == "sign"


@pytest.mark.parametrize(
    ("sentence", "name", "dated", "of_it"),
    [
        # the date is the Tessen crossing's; Ulmar is in a clause of its own
        (
            "The plan would reopen the Tessen crossing, closed since October 2021, and the smaller Ulmar crossing.",
            "Ulmar",
            True,
            False,
        ),
        (
            "The plan would reopen the Ulmar crossing, closed since October 2021, and the Tessen crossing.",
            "Ulmar",
            True,
            True,
        ),
        # the megawatts are the gas plant's; the Selka line is another clause's
        (
            "It should build a 600-megawatt gas plant at Rostmark, and it should study a line to Selka.",
            "Selka",
            False,
            False,
        ),
        # a name said before the sentence: nothing to compare
        ("It can carry 600 megawatts, and it runs under the strait.", "Selka", False, True),
    ],
)
def test_a_figure_in_a_clause_of_another_subject(sentence: str, name: str, dated: bool, of_it: bool) -> None:
    assert answer_checks.figure_of_subject(sentence, name, dated) is of_it


def test_advice_to_each_of_several_parties_by_name(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "each of the three governments" is advised by name, one after another, in a paragraph that never says
    # "government"
    page = """
Keeping the Strait Open

By Tomas Reuel

2024-04-18

Commentary

The quarrel over icebreaking fees is now a test of whether the convention can settle disputes at sea.

The priority should be to separate the commercial question from the security one. Valmora should ask the panel
for interim measures rather than rely on its own sanctions. Tessaly should commit publicly not to send naval
escorts into the passage. Hellmark should suspend the pilotage increase until the panel rules.

The strait has been shared for a century. It can be shared for another.
"""
    index = index_of(tmp_path_factory, "several_advised", {"c.txt": page})
    answer = ask_checked("What does the commentary argue each of the three governments should do now?", index)
    assert not answer.abstained, answer.text
    # (three quotes at most: the advice of at least two of them)
    advice = ("Valmora should ask the panel", "Tessaly should commit", "Hellmark should suspend")
    assert sum(a in answer.text for a in advice) >= 2, answer.text
    # one party advised is still asked by its name
    assert ask_checked(
        "What does the commentary argue the Dunmark government should do now?", index
    ).abstained


@pytest.mark.parametrize(
    "question",
    [
        "What is the overall position Reyl takes in his op-ed?",
        "What is the main point Reyl is trying to make about the dispute?",
    ],
)
def test_a_writers_overall_position_is_their_central_advice(pages: Path, question: str) -> None:
    # the words that frame the ask ("overall position", "trying to make", "the dispute" the whole piece is
    # about) leave no topic: the piece's central arguing sentences answer
    answer = ask_checked(question, pages)
    assert not answer.abstained, answer.text
    assert "Quell should restore its share of the subsidy" in answer.text, answer.text
