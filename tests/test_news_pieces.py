"""Several newspapers' pieces on one story: who wrote each and for which paper (bylines, mastheads, a closing
credit), a piece named by its paper or by the kind of piece it is, recommendations and lists set out over
several sentences, reactions and people quoted by their post (real embedder, real index of pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import planning
from rag.answer.generators import answer_checks
from rag.answer.question_kinds import classify
from rag.answer.quotes import verify_answer
from rag.ingest import load_file
from rag.ingest.dates import parse_date
from rag.ingest.outlets import credited_outlet, header_outlet, is_outlet
from rag.types import Passage
from tests.conftest import ask_checked, index_of

REPORT = """Council votes to close Brackwater swimming baths

By Ilse Marchetti, Dunmore Courier
9 April 2026

Dunmore Borough Council has voted to close the Brackwater swimming baths at the end of August, ending 92 years
of public swimming on the site.

Councillors backed the closure by 19 votes to 14 after a two-hour debate. Campaigners handed in a petition with
6,300 signatures before the meeting.

Local swimming coach Petra Lindqvist said the decision would leave hundreds of children without lessons. "If the
baths shut, the nearest lessons are forty minutes away by bus," she said.

"Every service has had to justify its cost," said Dr Amos Reyne, a leisure economist at Harlow University. "A pool
this old costs more to heat than most towns can afford."

A public exhibition of the options for the site opens at the Corn Exchange on 2 May.
"""

ANALYSIS = """<!DOCTYPE html>
<html>
<head>
<title>Brackwater baths: what the closure sums leave out</title>
<meta name="author" content="Gideon Faraday">
<meta name="publisher" content="The Tarrow Ledger">
<meta name="date" content="2026-04-14">
</head>
<body>
<h1>Brackwater baths: what the closure sums leave out</h1>
<p>By Gideon Faraday | The Tarrow Ledger | Analysis | 14 April 2026</p>
<p>The council says the baths lose £310,000 a year. Its own figures show that most of the loss comes from
heating a building whose boiler is forty years old.</p>
<p>The council has also set aside £450,000 in case asbestos is found when the building is cleared.</p>
<p>The council should keep the baths open for one more season while a trust is formed. It should commission an
independent survey of the boiler. And it should publish the full cost of demolition before any decision is
final.</p>
</body>
</html>
"""

COLUMN = """# Brackwater deserves better than a padlock

*The Dunmore Evening Post, opinion*

Nobody pretends the Brackwater baths are cheap to run. But the council has chosen the easiest answer to a hard
question, and it will be the children of the estate who pay for it.

So the council should think again, but only with three safeguards written into any plan.

First, no child on the estate should lose swimming lessons while a replacement is found. Second, the council
must publish the heating bills it relies on. Third, the site must stay in public hands.

A pool is a public good, even when it runs at a loss.

*Rosalind Achebe writes a weekly column on town life. Published 12th April 2026.*
"""

INTERVIEW = """"I taught half this town to swim."
An interview with lifeguard Tobias Wrenfield

Interview by Hanne Solvik
Dunmore Weekly, 16 April 2026

Tobias Wrenfield has been head lifeguard at the Brackwater baths for 26 years. A week after Dunmore Borough
Council voted to close the baths, we asked him how the staff heard the news.

How did you hear about the vote?

On the radio, like everyone else. Nobody from the council came to the poolside to tell us.
"""


@pytest.fixture(scope="module")
def pieces(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "news-pieces",
        {"report.txt": REPORT, "analysis.html": ANALYSIS, "column.md": COLUMN, "interview.txt": INTERVIEW},
    )


def _document(tmp_path: Path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_file(tmp_path / name, tmp_path)[0]


@pytest.mark.parametrize(
    ("name", "text", "authors", "date", "publication"),
    [
        # the paper after the writer's name is where the writer works, not a second author
        ("report.txt", REPORT, ("Ilse Marchetti",), "2026-04-09", "Dunmore Courier"),
        ("analysis.html", ANALYSIS, ("Gideon Faraday",), "2026-04-14", "The Tarrow Ledger"),
        # the writer and the date said at the end, in the column's credit; the paper under its title
        ("column.md", COLUMN, ("Rosalind Achebe",), "2026-04-12", "The Dunmore Evening Post"),
        # a headline and standfirst over "Interview by ..." and the paper's dateline
        ("interview.txt", INTERVIEW, ("Hanne Solvik",), "2026-04-16", "Dunmore Weekly"),
    ],
)
def test_who_wrote_each_piece_and_for_which_paper(
    tmp_path: Path, name: str, text: str, authors: tuple[str, ...], date: str, publication: str
) -> None:
    document = _document(tmp_path, name, text)
    assert (document.authors, document.date, document.publication) == (authors, date, publication)


def test_a_headline_and_standfirst_over_the_byline_are_title_and_text(tmp_path: Path) -> None:
    document = _document(tmp_path, "interview.txt", INTERVIEW)
    assert document.title == '"I taught half this town to swim."'
    assert "An interview with lifeguard Tobias Wrenfield" in document.text


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("By Nadia Ferrow, Tessendale Courier", "Tessendale Courier"),
        ("Midshire Business Review · Rohan Achterberg · 12.05.2026", "Midshire Business Review"),
        ("*The Orrinford Post, opinion*", "The Orrinford Post"),
        ("Column | Hallowdale Herald, Saturday Comment", "Hallowdale Herald"),
        (
            "Tobias Quarrie, fisheries correspondent, The Coastal Ledger — published 17 March 2026",
            "The Coastal Ledger",
        ),
        # a writer whose surname is a paper's word, a section's label, a reporter's post: no paper
        ("By Kim Post", None),
        ("Local News | 4 March 2026", None),
        ("By Callum Reiss, Courts Reporter", None),
    ],
)
def test_a_header_line_names_its_paper(line: str, outlet: str | None) -> None:
    assert header_outlet(line) == outlet


def test_a_credit_names_the_paper_its_writer_writes_for() -> None:
    assert credited_outlet("Marcus Defoe is a columnist for the Vayle Evening Post.") == "Vayle Evening Post"
    assert credited_outlet("Gwen Marlowe is a retired nurse and a parish councillor in Ravensett.") is None
    assert is_outlet("Tessendale Courier") and not is_outlet("Nadia Ferrow")


def test_a_closing_paragraph_about_someone_the_piece_reports_on_is_no_credit(tmp_path: Path) -> None:
    # the last paragraph names a person the report quoted: that is the report's text, and no author
    page = REPORT.replace(
        "A public exhibition of the options for the site opens at the Corn Exchange on 2 May.",
        "Petra Lindqvist is a swimming coach who has taught at the baths since 2009.",
    ).replace("By Ilse Marchetti, Dunmore Courier\n", "")
    document = _document(tmp_path, "report.txt", page)
    assert document.authors == () and document.text.rstrip().endswith("since 2009.")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("11/02/2026", "2026-02-11"),
        ("02/13/2026", "2026-02-13"),
        ("31/12/2025", "2025-12-31"),
        ("13/13/2026", None),
    ],
)
def test_a_slashed_date_is_day_first_unless_it_cannot_be(written: str, iso: str | None) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("Which paper ran the interview with the lifeguard, and on what date?", ("outlet", "date")),
        ("Who interviewed the lifeguard, and for which paper?", ("author", "outlet")),
        ("Who wrote the opinion column about the baths?", ("author",)),
        ("Who did the interview with the lifeguard?", ("author",)),
        ("When did the Tarrow Ledger publish its explainer on the closure?", ("date",)),
    ],
)
def test_two_fields_asked_in_one_breath(question: str, fields: tuple[str, ...]) -> None:
    kind = classify(question)
    assert (kind.kind, kind.fields) == ("metadata", fields)


def test_both_fields_are_answered_each_with_its_line(pieces: Path) -> None:
    answer = ask_checked("Which paper ran the interview with the lifeguard, and on what date?", pieces)
    quotes = [c.quote for c in answer.citations]
    assert "Dunmore Weekly" in answer.text and "2026-04-16" in answer.text, answer.text
    assert any("Dunmore Weekly" in q for q in quotes) and any("16 April 2026" in q for q in quotes), quotes


def test_a_date_said_in_the_closing_credit_is_quoted_there(pieces: Path) -> None:
    answer = ask_checked("When did the Evening Post column on the baths come out?", pieces)
    assert any("Published 12th April 2026" in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize(
    ("question", "doc_ids"),
    [
        # a shorter name of the paper, as written ("the Evening Post" for The Dunmore Evening Post)
        ("What does the Evening Post column say about the children of the estate?", ("column",)),
        # the kind of piece its header labels it
        ("What does the analysis recommend?", ("analysis",)),
        # a paper's piece described by words of its lead, not its title
        ("When was the Tarrow Ledger piece on the old boiler published?", ("analysis",)),
        ("Do the Courier report and the column agree on the cost of the baths?", ("report", "column")),
        # a party named by the one person only another piece speaks of
        ("How does the Courier's account compare with what Wrenfield says?", ("report", "interview")),
    ],
)
def test_a_piece_named_by_its_paper_or_its_kind(
    pieces: Path, question: str, doc_ids: tuple[str, ...]
) -> None:
    from rag.index.store import load_index

    documents = load_index(pieces).documents
    assert set(planning.plan(question, documents).scope.doc_ids or ()) == set(doc_ids)


def test_a_paper_s_piece_on_something_it_never_covers_is_not_indexed(pieces: Path) -> None:
    from rag.index.store import load_index

    documents = load_index(pieces).documents
    scope = planning.plan("When was the Tarrow Ledger piece on the stadium published?", documents).scope
    assert scope.unresolved and not scope.doc_ids
    answer = ask_checked("When was the Tarrow Ledger piece on the stadium published?", pieces)
    assert answer.abstained, answer.text


def test_a_recommendation_goes_on_in_the_sentences_after_it(pieces: Path) -> None:
    answer = ask_checked("What does the Tarrow Ledger recommend the council do?", pieces)
    said = " ".join(c.quote for c in answer.citations)
    assert "one more season" in said and "independent survey" in said and "cost of demolition" in said, said


def test_conditions_listed_go_on_in_the_sentences_after_the_first(pieces: Path) -> None:
    answer = ask_checked("What conditions does the Tarrow Ledger say the council should meet?", pieces)
    said = " ".join(c.quote for c in answer.citations)
    assert "independent survey" in said and "cost of demolition" in said, said


@pytest.mark.parametrize(
    ("sentence", "announces"),
    [
        ("So here is what the council must do before a single wall comes down.", True),
        ("The boatowners' association has set out its own demands.", True),
        ("The association set out for the harbour at dawn.", False),
    ],
)
def test_a_sentence_that_announces_what_follows(sentence: str, announces: bool) -> None:
    from rag.answer.direct_answers import announces_next

    assert announces_next(sentence) is announces


@pytest.mark.parametrize(
    ("span", "thing", "counted"),
    [
        ("It could supply 41,000 homes.", "households", True),
        ("The work needs 120 people at its busiest.", "workers", True),
        ("It says 34 library posts will be affected.", "jobs", True),
        ("The work needs 120 people at its busiest.", "homes", False),
    ],
)
def test_a_thing_counted_under_another_common_name(span: str, thing: str, counted: bool) -> None:
    assert answer_checks.counts(span, thing) is counted


def test_safeguards_announced_are_quoted_with_the_items_that_follow(pieces: Path) -> None:
    answer = ask_checked("What safeguards does the Evening Post column call for?", pieces)
    said = " ".join(c.quote for c in answer.citations)
    assert "First, no child" in said and "Second, the council" in said and "Third, the site" in said, said


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a reaction given in words: the quotation after the sentence that reports it
        ("What was the swimming coach's reaction to the decision?", "forty minutes away by bus"),
        # one asked by their post, which the quote gives beside the name of who speaks
        (
            "What did the leisure economist say about whether every service must justify its cost?",
            "costs more to heat",
        ),
        # people counted by what they did: the number names them by it
        ("How many people signed the petition against the closure?", "6,300 signatures"),
        # "how much extra": an amount of money, not a quantity of something called "extra"
        ("How much extra has been set aside in case asbestos is found?", "£450,000"),
        # the interview's answers are the words of the one its lead introduces
        ("What did Tobias Wrenfield say about how he heard about the vote?", "On the radio"),
    ],
)
def test_the_answer_is_found(pieces: Path, question: str, expected: str) -> None:
    answer = ask_checked(question, pieces)
    assert not answer.abstained and any(expected in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize(
    "question",
    [
        # a body no piece quotes, named with its place
        "What has the hospital at Brackwater said about the closure?",
        # the exhibition's opening is given, not its close
        "When does the exhibition at the Corn Exchange close?",
        # the interview's answers are the lifeguard's words, not those of the council its lead mentions
        "What did Dunmore Borough Council say about how the staff heard about the vote?",
        # a percentage asked, and none given
        "What percentage of the baths' users are children?",
    ],
)
def test_a_near_miss_abstains(pieces: Path, question: str) -> None:
    answer = ask_checked(question, pieces)
    assert answer.abstained and not answer.citations, answer.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # someone's words on a question asked inside the question: any words of theirs, no type
        ("What did Amira Solberg say about how much the car park is used?", None),
        # "worth having" is no price
        ("What does the columnist argue about whether a small library is worth having?", None),
        ("What is the painting worth?", "money"),
        ("What percentage discount is the club offering to members?", "share"),
    ],
)
def test_what_is_expected_of_the_answer(question: str, kind: str | None) -> None:
    assert answer_checks.expected_type(question) == kind


def test_a_quotation_in_a_title_is_no_quote_to_verify() -> None:
    title = '"I taught half this town to swim." An interview with a lifeguard'
    text = "Nobody came to tell us."
    passage = Passage(1, "interview#0", "interview", title, text, 0, len(text), 1.0)
    shown = verify_answer(f"*{title}* — author: Hanne Solvik", [passage], {})
    assert shown.text == f"*{title}* — author: Hanne Solvik" and not shown.citations
