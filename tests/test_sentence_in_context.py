"""A sentence that names its subject only as "the work" or "it" is read under its document's title before the
answerer abstains (``ExtractiveGenerator._in_context``), with the real embedder over articles written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ask_checked, index_of

DREDGING = """Harbour dredging plan approved

By Priya Raman

The port authority approved a plan on Tuesday to dredge the inner harbour to a depth of twelve metres, so \
that larger container ships can dock.

The work will cost 48 million dollars and take two years, the authority's chair said. Fishermen warned that \
silt could harm the oyster beds near the harbour mouth.

Dredging is expected to begin in the spring, after the herring season ends.
"""

ORCHARD = """Community orchard planted on old rail yard

By Leo Marsh

Volunteers planted sixty apple and pear trees on the disused rail yard behind the station last weekend.

The trees were donated by a nursery in the next valley. The first fruit is expected in three years, and \
anyone in the town will be free to pick it.
"""


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "in-context", {"dredging.txt": DREDGING, "orchard.txt": ORCHARD})


def test_a_sentence_that_says_the_work_answers_a_question_naming_it_by_the_title(articles: Path) -> None:
    # The sentence never says "dredging"; alone it matches the question too weakly to be quoted.
    answer = ask_checked("How much will the dredging cost?", articles)
    assert not answer.abstained, answer.text
    assert "48 million dollars" in answer.text.split("\n")[0]  # the answer line, copied from the quote
    assert answer.citations[0].quote.startswith("The work will cost 48 million dollars")


@pytest.mark.parametrize(
    "question",
    [
        "How many ships use the harbour each year?",  # the article's subject, a figure it never gives
        "How much did the orchard trees cost?",  # donated: no price is given
    ],
)
def test_the_title_does_not_make_a_close_question_answered(articles: Path, question: str) -> None:
    answer = ask_checked(question, articles)
    assert answer.abstained and not answer.citations, answer.text


MARATHON = """Lakeside Marathon draws a record field

By Noor Haddad

The race drew 4,300 runners on Sunday, more than in any year since it began in 1991.

A Kenyan runner won the men's race in two hours and nine minutes, a course record.
"""


@pytest.fixture(scope="module")
def marathon(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "marathon", {"marathon.txt": MARATHON, "orchard.txt": ORCHARD})


def test_a_figure_about_what_the_title_names_is_about_it(marathon: Path) -> None:
    # The sentence says "the race"; the title names the Lakeside Marathon, so the figure is about it.
    answer = ask_checked("How many runners took part in the Lakeside Marathon?", marathon)
    assert not answer.abstained and "4,300" in answer.citations[0].quote, answer.text
    # a figure the title's subject is never given stays unanswered
    assert ask_checked("How many volunteers worked at the Lakeside Marathon?", marathon).abstained


BRIDGE = """Council backs footbridge over the river despite cost concerns

By Samira Quint

Councillors voted 31 to 17 on Monday to build a footbridge linking the new estate at Hallow Fields to the \
town centre.

Opponents argued the money would be better spent on repairing roads. Councillor Ivo Franke said the town \
had "a pothole on every street" and warned that costs could rise again.

Kingfishers that nest along the river have become rare since the estate was built. "They have nowhere \
quiet left," warden Lena Ostrova said.
"""


SHOP = """From night buses to a bicycle workshop

By Paul Ndiaye

For nine years, Ada Kowal drove a night bus through the city. In May she opened a bicycle repair workshop on \
Quarry Road, with two benches and a stand for customers' bikes.

Repairs start at ten pounds.
"""


@pytest.fixture(scope="module")
def bridge(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory, "bridge", {"bridge.txt": BRIDGE, "orchard.txt": ORCHARD, "shop.txt": SHOP}
    )


def test_words_on_what_the_title_names_are_on_the_asked_topic(bridge: Path) -> None:
    # Franke never says "footbridge"; the article is about it, so his words on it are these.
    answer = ask_checked("What did Ivo Franke say about the footbridge?", bridge)
    assert not answer.abstained and "a pothole on every street" in answer.citations[0].quote, answer.text
    # every word of the topic must be the title's or the quote's: "road repairs budget" is neither
    assert ask_checked("What did Ivo Franke say about the school budget?", bridge).abstained


def test_a_short_quotation_is_read_after_the_sentence_that_gives_its_topic(bridge: Path) -> None:
    # "They have nowhere quiet left" says nothing of kingfishers; the sentence before it does.
    answer = ask_checked("What did Lena Ostrova say about the kingfishers that nest along the river?", bridge)
    assert not answer.abstained and "nowhere quiet left" in answer.text, answer.text


def test_a_subject_named_in_the_sentence_before_a_pronoun(bridge: Path) -> None:
    # "In May she opened ... on Quarry Road": she is the Ada Kowal of the sentence before.
    answer = ask_checked("Where did Ada Kowal open her workshop?", bridge)
    assert not answer.abstained and "Quarry Road" in answer.text, answer.text


def test_a_short_sentence_answers(bridge: Path) -> None:
    # five words, a whole statement: an answer, not a heading
    answer = ask_checked("How much do repairs at the bicycle workshop cost?", bridge)
    assert not answer.abstained and answer.citations[0].quote == "Repairs start at ten pounds.", answer.text


DECISION = """District Council - Planning Committee Decision

Date of decision: 2 June 2026

The committee has approved, with conditions, an application to convert the former Weaver Mill on Dock Street \
into 28 flats with a ground-floor bakery. The vote was seven in favour and two against.

Objectors had raised concerns about traffic on Dock Street during the building work.

The developer must begin work within three years of the decision. Residents can read the full notice at the \
council offices.
"""


@pytest.fixture(scope="module")
def decision(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "lead-subject", {"decision.txt": DECISION, "orchard.txt": ORCHARD})


def test_a_figure_about_what_the_lead_names_is_about_it(decision: Path) -> None:
    # neither the title nor the sentence says "Weaver Mill"; the lead says what the decision is about
    answer = ask_checked("How long has the developer got to start work at Weaver Mill?", decision)
    assert not answer.abstained and "within three years" in answer.citations[0].quote, answer.text


REVIEW = """Review: The Copper Kettle, Brenmouth

By Nell Arden

The Copper Kettle opened in May in the old customs house on Brenmouth quay, and it is already full most nights.
The chef is Ana Lisk, who cooked for ten years in Porto.

The crab on toast was the best thing I ate all summer.
"""


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "role", {"review.txt": REVIEW, "orchard.txt": ORCHARD})


def test_who_holds_a_role_is_answered_by_the_sentence_that_names_the_role(review: Path) -> None:
    # the sentences that name the place match better; only one says who the chef is
    answer = ask_checked("Who is the chef at the Copper Kettle?", review)
    assert not answer.abstained and "Ana Lisk" in answer.citations[0].quote, answer.text
