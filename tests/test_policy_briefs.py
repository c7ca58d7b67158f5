"""Policy briefs as scraped pages: a whole header written as lines with no blank line between them, authors'
bios with no name line above them, a piece named by its authors' institute or by its label as the site writes
it, advice and lists that go on past the sentence that matches, and officials quoted by their post (real
embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from rag.answer.question_kinds import classify
from rag.ingest import load_file
from tests.conftest import ask_checked, index_of

# The header as one block of lines: title, byline, date, languages, author box with bios only, label, standfirst
BRIEF = """


The Corran Canal Tolls: Win the Ruling, Lose the Traffic
by [Aline Markov \\(/experts/aline-markov\\)](/experts/aline-markov) and [Piet Olsen \\(/experts/piet-olsen\\)](/experts/piet-olsen)
Sep 3, 2024
Also available in [Français](/fr/analysis/corran-canal-tolls)
ABOUT THE AUTHORS
Aline Markov is a senior fellow at the Brennan Institute for Maritime Law, where she studies shipping disputes.
Piet Olsen is a research associate at the Brennan Institute and a former adviser to the Vell Shipping Council.
Brief Analysis
The Vell Shipping Council has a strong case against Ostmark's new canal tolls, but a ruling will not by itself bring the ships back.

Ostmark tripled the tolls on the Corran Canal on January 1, 2024. The Vell Shipping Council filed its case against Ostmark at the Lanner Arbitration Court on April 9, 2024. "These tolls are not maintenance charges. They are a tax on our exports dressed up as one," said Mara Quell, the council's trade commissioner, on the day the case was filed.

Two weeks later, Ostmark's navy announced that it was moving three patrol boats, a company of marines and a coastal radar unit to the canal's eastern locks.

The council must offer Ostmark what the tolls are really meant to obtain: a share of the canal's upkeep. Concretely, it should propose a fund that combines a fixed annual grant, a dredging programme, a training scheme for Ostmark's pilots and a guaranteed minimum of transits each year. The council must also offer itself as guarantor of a joint canal board with members from both sides.

The Lanner Arbitration Court should hear both sides within a year. The Lanner Arbitration Court must publish its reasons in full. Ostmark, for its part, should suspend the new tolls while the case is heard.

A better path lies in the package that the mediator, Judge Ines Varga, put forward in March. Her proposal would pair a five-year toll freeze with investments that widen the canal for everyone: deepening the western approach, a second lock at Halden Gate, a pilots' school at Vorne, and a new radio system for the locks.
"""

# A header in paragraphs, a bio whose post has no article, the label after the author box
OPED = """Leave Ostmark's Tolls Alone

By Ruth Okafor

2024-10-12

ABOUT THE AUTHOR

Ruth Okafor is director of the Trade Program at the Carrow Centre for Ports Policy and a former legal adviser to the Vell Shipping Council.

Op-Ed

The council's case against Ostmark is hypocritical, and its hunt for another route is a bargain it will regret.

Ostmark has kept the Corran Canal open for ninety years and paid for every lock on it. Its tolls were last raised in 1987. The council's members built their own ports behind high harbour dues, and now ask a court to deny Ostmark the same.

The new gunboats at the eastern locks are harder to justify as harbour police. They are warships, and the only fleet in range of them is Vell's.

Official counts put the queue of ships at the western lock at about 40. A survey by the pilots' union found closer to 70 ships waiting, some of them for a week. The difference matters, because the longer queue includes the grain ships that the official figures leave out.

Vell's shipowners have offered Ostmark a deal of their own. According to a draft seen by this newspaper, it includes an annual payment of $20 million, a 10 percent stake in the canal company and a school for lock keepers at Vorne.

Some of the council's lawyers want the court to order a refund of every toll paid since January. That would be a mistake.

The council should withdraw its case and negotiate with Ostmark's transport ministry instead.

First, the council should drop its demand for a refund of past tolls.

Second, it should offer to share the cost of dredging the eastern locks for the next ten years.
"""


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "briefs", {"brief.txt": BRIEF, "oped.txt": OPED})


def test_a_header_written_as_lines_gives_title_authors_and_date(tmp_path: Path) -> None:
    page = tmp_path / "brief.txt"
    page.write_text(BRIEF, encoding="utf-8")
    doc = load_file(page, tmp_path)[0]
    assert doc.title == "The Corran Canal Tolls: Win the Ruling, Lose the Traffic"
    assert doc.authors == ("Aline Markov", "Piet Olsen")
    assert doc.date == "2024-09-03"
    box = [doc.text[a:b] for a, b in doc.author_box]
    # the bios are the author box's, not the article's text; the label stays with the box
    assert any(line.startswith("Aline Markov is a senior fellow") for line in box)
    assert "Brief Analysis" in box
    assert "a ruling will not by itself bring the ships back" in doc.text


def test_an_author_is_named_by_the_institute_the_bio_says_they_work_at(briefs: Path) -> None:
    answer = ask_checked("What does the Brennan Institute want the council to offer Ostmark?", briefs)
    assert not answer.abstained, answer.text
    assert {c.doc_id for c in answer.citations} == {"brief"}, answer.text
    # a post given without its article ("is director of ...") names the institute too
    answer = ask_checked("What does the Carrow Centre think the council should do about its case?", briefs)
    assert not answer.abstained and {c.doc_id for c in answer.citations} == {"oped"}, answer.text
    assert "withdraw its case" in answer.text


def test_a_piece_is_named_by_its_label_as_the_site_writes_it(briefs: Path) -> None:
    answer = ask_checked("What does the op-ed say about the tolls of 1987?", briefs)
    assert {c.doc_id for c in answer.citations} == {"oped"}, answer.text
    answer = ask_checked("According to the brief analysis, what should the fund combine?", briefs)
    assert {c.doc_id for c in answer.citations} == {"brief"}, answer.text


def test_an_organisations_case_against_someone_is_a_lawsuit_not_an_argument() -> None:
    assert classify("On what date did the shipping council bring its case against Ostmark?").kind == "fact"
    assert classify("What is the council's case for the tolls?").kind == "argument"
    assert classify("What is the case against the new runway?").kind == "argument"


def test_advice_that_goes_on_is_quoted_with_the_first_sentence(briefs: Path) -> None:
    answer = ask_checked("What does the brief analysis recommend the council offer Ostmark?", briefs)
    assert not answer.abstained, answer.text
    # "Concretely, it should ..." and "The council must also ..." go on with the advice
    assert "Concretely, it should propose a fund" in answer.text, answer.text
    assert "The council must also offer itself as guarantor" in answer.text, answer.text


def test_a_list_said_with_a_close_verb_is_a_list(briefs: Path) -> None:
    answer = ask_checked("Which forces did Ostmark send to the canal?", briefs)
    assert not answer.abstained, answer.text
    assert "three patrol boats, a company of marines and a coastal radar unit" in answer.text
    # only a sentence that lists may say the relation in a close verb: a visit is no meeting
    from rag.answer.generators.list_items import _INLINE_LIST

    assert _INLINE_LIST.search("moving three patrol boats, a company of marines and a coastal radar unit")
    assert not _INLINE_LIST.search(
        "This week, however, while on a visit to Lanner, Quell urged Ostmark and Vell"
    )


def test_the_items_listed_right_after_the_sentence_that_comes_close(briefs: Path) -> None:
    answer = ask_checked("Which investments were in the mediator's March package?", briefs)
    assert not answer.abstained, answer.text
    assert "a second lock at Halden Gate" in answer.text and "a pilots' school at Vorne" in answer.text


def test_an_official_asked_by_post_is_found_speaking_under_another_name_for_the_body(briefs: Path) -> None:
    question = (
        "What did the shipping council's trade commissioner say about the tolls when the case was filed?"
    )
    assert answer_checks.speaker(question) == "trade commissioner"
    # ("when the case was filed" says when it was said, not what about)
    assert answer_checks.topic_terms(question) == ["toll"]
    answer = ask_checked(question, briefs)
    assert not answer.abstained and "dressed up as one" in answer.text, answer.text


def test_and_why_asks_for_the_reason_too() -> None:
    question = "What chunk size is used and why?"
    assert not answer_checks.gives_reason(
        "A plan on paper for 100M chunks (extrapolated from figures)", question
    )
    assert answer_checks.gives_reason(
        "Chunks hold 200 tokens, so a fact at a boundary is whole in one chunk.", question
    )
    assert answer_checks.gives_reason("A plan on paper for 100M chunks", "What chunk size is used?")


def test_a_claim_is_quoted_with_the_grounds_that_follow_it(briefs: Path) -> None:
    # no word of reason in "They are warships ...": the sentence after a claim, said of its subject, is its grounds
    answer = ask_checked(
        "According to the op-ed, why are the gunboats hard to justify as harbour police?", briefs
    )
    assert not answer.abstained and "They are warships" in answer.text, answer.text


def test_a_comparison_quotes_the_short_judgement_after_a_sentence(briefs: Path) -> None:
    answer = ask_checked(
        "Do the articles agree on whether the court should order a refund of the tolls?", briefs
    )
    assert "That would be a mistake." in answer.text, answer.text


def test_advice_counted_out_over_paragraphs_is_quoted_whole(briefs: Path) -> None:
    assert classify("What course of action does the op-ed urge on the council?").kind == "argument"
    answer = ask_checked(
        "What does the op-ed recommend the council do about its demand for a refund?", briefs
    )
    assert "Second, it should offer to share the cost of dredging" in answer.text, answer.text


def test_what_someone_thinks_is_never_their_bio(briefs: Path) -> None:
    answer = ask_checked("What does Ruth Okafor think the council should do about the dredging?", briefs)
    assert "is director of the Trade Program" not in answer.text, answer.text


def test_the_event_a_figure_or_a_date_must_be_of() -> None:
    assert answer_checks.event_verb("How much did Belmora pay Aldora for its two frigates?") == "pay"
    assert answer_checks.event_verb("In what year was the Teleric Fisheries Commission founded?") == "founded"
    assert answer_checks.event_verb("When are the Hawkmoth drones due to be delivered?") == "delivered"
    assert answer_checks.event_verb("How much butter do I need for the flapjacks?") is None


def test_a_post_asked_in_other_words() -> None:
    said = '"We are not a charity," said Teodor Mazan, Kelmaria\'s minister of energy and infrastructure.'
    assert answer_checks.quotes_speaker(said, "energy minister", "What did the energy minister say?")
    said = '"Force is the last resort," wrote Judge Lucienne Arbath, the tribunal\'s president.'
    assert answer_checks.quotes_speaker(said, "presiding judge", "Quote what the presiding judge wrote.")
    # the head noun alone is not the post: another minister is someone else
    said = '"We will not pay," said Ana Ruiz, the foreign minister.'
    assert not answer_checks.quotes_speaker(said, "energy minister", "What did the energy minister say?")


COMMENTARY = """Why the Locks Deal Will Hold

By Sefton Aldaine

2024-12-09

ABOUT THE AUTHOR

Sefton Aldaine directs the regional security programme at the Aldmoor Institute and previously served as an adviser to the Vell Shipping Council.

Commentary

The locks deal owes as much to Ostmark's self-interest as to goodwill, but it will hold.
"""


def test_a_bio_that_gives_the_post_as_a_verb_names_the_institute(tmp_path: Path) -> None:
    from rag.answer import authors_roles, scoping

    page = tmp_path / "commentary.txt"
    page.write_text(COMMENTARY, encoding="utf-8")
    doc = load_file(page, tmp_path)[0]
    assert any(doc.text[a:b].startswith("Sefton Aldaine directs") for a, b in doc.author_box)
    assert [r.employer for r in authors_roles.roles(doc)] == ["Aldmoor Institute"]
    assert "commentary" in scoping.labels(doc)
    # a post longer than a role's 80 characters still gives the organisation at its end
    post = "fisheries economist and director of the Coastal Livelihoods Programme at the Tamsin Institute for Ocean Communities"
    assert authors_roles.employer(post) == "Tamsin Institute for Ocean Communities"


def test_people_are_counted_by_what_they_are_and_a_tally_needs_no_verb() -> None:
    crew = "A boarding team went aboard, and 23 crew members were detained and taken to the port."
    assert answer_checks.counts(crew, "people")
    assert answer_checks.counts(
        "The secretariat itself has a staff of 23 and a budget of $4 million.", "people"
    )
    assert not answer_checks.counts("The tribunal heard 23 cases in its first year.", "people")
    # "recorded", "reported": a verb of tallying, which "produced 1,340 suspected cases" need not repeat
    assert answer_checks.yes_no_verb("How many suspected cholera cases has Sollet recorded?") is None
    assert answer_checks.yes_no_verb("How many ferries has Chile received?") == "received"


def test_a_reason_a_sentence_after_the_fact_it_weighs(briefs: Path) -> None:
    answer = ask_checked(
        "Why does the op-ed say it matters that the queue of ships is longer than officially counted?", briefs
    )
    assert "because the longer queue includes the grain ships" in answer.text, answer.text


def test_near_misses_with_figures() -> None:
    question = "How many of the 41,000 people who fled have since returned home?"
    # the question's own figure is what it asks about, not the answer
    assert not answer_checks.new_figure(
        "By October, 41,000 people had crossed the border.", question, "quantity"
    )
    assert answer_checks.new_figure("About 12,000 have gone back.", question, "quantity")
    assert answer_checks.counted_thing(question) == "people"
    # "dozens of villages whose residents ...": the villages are counted, not the residents
    assert not answer_checks.counts(
        "It flooded dozens of highland villages whose residents were resettled.", "residents"
    )
    assert answer_checks.expected_type("What overall turnout did the commission announce?") == "share"


def test_a_question_inside_do_the_articles_say() -> None:
    kind = classify("Do the articles say how many highland residents had to be resettled?")
    # answered as the question inside it, from whichever document says it
    assert kind.kind == "fact" and not kind.all_documents
    assert classify("Does the report say why the bridge closed?").kind == "why_how"
    assert classify("Do the articles agree on the dam?").kind == "comparison"


def test_a_measure_of_the_dimension_asked_and_a_post_held_now() -> None:
    question = "How deep is the harbour at Port Orvel?"
    assert not answer_checks.states_dimension(
        "It needs its harbour dredged and a 42-kilometre connector built.", question
    )
    assert answer_checks.states_dimension("The basin was dredged to a depth of 14 metres.", question)
    assert answer_checks.states_dimension("The bridge is 3 km long.", "How long is the bridge?")
    assert answer_checks.event_verb("Who presides over the tribunal panel?") == "presides"


def test_what_a_thing_contains_is_a_list_said_in_the_next_sentence(briefs: Path) -> None:
    assert classify("What does the agreement provide for?").kind == "list"
    assert classify("What is in the package?").kind == "list"
    assert classify("What are the demands the government has put to donors?").kind == "list"
    answer = ask_checked("What is in the deal the shipowners have offered Ostmark?", briefs)
    assert "a 10 percent stake in the canal company" in answer.text, answer.text


def test_advice_goes_on_to_the_same_body_and_to_the_other_party(briefs: Path) -> None:
    answer = ask_checked("What does the brief analysis recommend for the Lanner Arbitration Court?", briefs)
    assert "The Lanner Arbitration Court must publish its reasons in full." in answer.text, answer.text
    assert "Ostmark, for its part, should suspend the new tolls" in answer.text, answer.text


def test_words_asked_for_are_never_a_bio_nor_a_count_of_something_else(briefs: Path) -> None:
    assert (
        answer_checks.speaker("What did Greyfold's general counsel Martin Avery say about the lawsuit?")
        == "Avery"
    )
    # "three members" of a consortium are no workers, though "workers" may be counted as people
    members = "The consortium's three members, Korvath Engineering and two others, point to the tunnel."
    assert not answer_checks.counts(members, "workers")
    # the author box says who Ruth Okafor is, not what she said
    answer = ask_checked("What did Ruth Okafor say about the Vell Shipping Council's lawyers?", briefs)
    assert "is director of the Trade Program" not in answer.text, answer.text


def test_what_a_piece_named_by_its_label_recommends(briefs: Path) -> None:
    # nothing asked beyond the piece: its arguing sentences ("op-ed" names the piece, it is no topic)
    answer = ask_checked("What does the op-ed recommend?", briefs)
    assert not answer.abstained and {c.doc_id for c in answer.citations} == {"oped"}, answer.text
