"""Kinds of questions answered on documents of other shapes: a markdown file with front matter, an HTML page
with meta tags, a PDF with metadata and a BEIR-style JSONL corpus, indexed together with the real embedder.

Each answer is checked the way the product promises: every quote is the cited document's exact text at its
recorded span, and only the documents the question names are quoted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_verbatim, index_of
from test_ingest import _pdf

from rag import ask
from rag.answer.pipeline import get_pipeline
from rag.index.build import build_index
from rag.index.store import load_index
from rag.settings import Settings

MARKDOWN = """---
title: Growing Tomatoes on a City Balcony
author: Kim Lee
date: 2020-03-04
---
# Growing Tomatoes on a City Balcony

By Kim Lee

March 4, 2020

Tomatoes grow well on a sunny balcony when they are planted in large pots with fresh compost.

## Light and water

Each plant needs at least six hours of direct sun every day to ripen its fruit. Water the pots deeply \
in the morning, because wet leaves in the evening invite mould. A layer of straw on the soil keeps the \
roots cool and slows evaporation during hot weeks.

## Feeding

Gardeners should feed the plants with a potassium-rich fertiliser once the first flowers open. Too much \
nitrogen makes lush leaves but very few tomatoes. Pinching out the side shoots sends the plant's energy \
into the fruit rather than into new stems.
"""

HTML = """<!doctype html><html><head>
<title>Honey Bees in Decline | Garden Weekly</title>
<meta name="author" content="Ann Writer">
<meta property="og:title" content="Honey Bees in Decline">
<meta property="og:site_name" content="Garden Weekly">
<meta property="article:published_time" content="2021-06-15T08:00:00Z">
</head><body><article>
<h1>Honey Bees in Decline</h1>
<p>Honey bee colonies have shrunk across the region for five years in a row, beekeepers report.</p>
<p>Researchers blame a parasitic mite that weakens the bees over the winter months. Pesticides sprayed on \
flowering crops also reduce the number of foragers that return to the hive.</p>
<p>Gardeners can help by planting flowers that bloom from spring to late autumn. Water in a shallow dish \
with stones gives the bees somewhere safe to drink on hot days.</p>
</article></body></html>
"""

MANUAL = """# Rivet: a command-line tool for rivet tables

## Installing Rivet

Install the package and create its cache folder before the first run:

```bash
pip install rivet-tables
rivet init --cache ~/.rivet
```

## Running the tests

The test suite needs the development extras. Run the whole suite with:

```bash
pip install "rivet-tables[dev]"
pytest -q tests/
```

## Settings

| setting | default | meaning |
| --- | --- | --- |
| `RIVET_WIDTH` | 80 | widest table in characters |
| `RIVET_CACHE` | ~/.rivet | where downloaded schemas are kept |
| `RIVET_RETRIES` | 3 | attempts before a download fails |
"""

BEIR = [
    {
        "_id": "g1",
        "title": "Drought tolerance in maize",
        "text": "Maize lines carrying the root gene survived "
        "four weeks without water in field trials. Their yield fell by a third, against two thirds for common "
        "lines. The gene deepens the roots so that they reach water lower in the soil.",
    },
    {
        "_id": "g2",
        "title": "Soil bacteria and wheat growth",
        "text": "Wheat grown in soil rich in nitrogen-fixing "
        "bacteria needed less fertiliser in three seasons of trials. The bacteria also protected the young plants "
        "against fungal disease. Farmers saved on average forty dollars per hectare.",
    },
]


@pytest.fixture(scope="module")
def shapes_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    base = tmp_path_factory.mktemp("shapes")
    src = base / "docs"
    src.mkdir()
    (src / "tomatoes.md").write_text(MARKDOWN, encoding="utf-8")
    (src / "bees.html").write_text(HTML, encoding="utf-8")
    pdf = _pdf(
        [
            ["Compost and Soil Health", "Compost adds organic matter that holds water in sandy soil."],
            ["Worms break the compost down into fine crumbs that roots can push through easily."],
        ],
        "<< /Title (Compost and Soil Health) /Author (Jane Roe) /CreationDate (D:20190102030405Z) >>",
    )
    (src / "compost.pdf").write_bytes(pdf)
    (src / "manual.md").write_text(MANUAL, encoding="utf-8")
    (src / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in BEIR) + "\n", encoding="utf-8")
    build_index([src], index_dir=base / "vectors")
    return base / "vectors"


def _ask(question: str, index: Path):
    return ask(question, index_dir=index, settings=Settings())


def _doc(index: Path, title_word: str) -> str:
    documents = load_index(index).documents
    return next(d for d, doc in documents.items() if title_word in doc.title)


_verbatim = assert_verbatim  # (other test modules import it from here)


def test_metadata_answer_quotes_the_byline_of_the_named_document(shapes_index: Path) -> None:
    answer = _ask("Who wrote the article about growing tomatoes on a balcony?", shapes_index)
    assert not answer.abstained and "Kim Lee" in answer.text
    assert [c.doc_id for c in answer.citations] == [_doc(shapes_index, "Tomatoes")]
    assert answer.citations[0].quote == "By Kim Lee"
    _verbatim(answer, shapes_index)
    dated = _ask("When was the tomato article published?", shapes_index)
    assert "2020-03-04" in dated.text and dated.citations[0].quote == "March 4, 2020"


def test_metadata_from_meta_tags_is_quoted_from_the_tag(shapes_index: Path) -> None:
    # The page states its author, date and outlet only in meta tags: the answer quotes the tag, where it is.
    for question, value, quote in [
        ("Who is the author of the piece on honey bees?", "Ann Writer", 'name="author" content="Ann Writer"'),
        (
            "When was the honey bee piece published?",
            "2021-06-15",
            'property="article:published_time" content="2021-06-15T08:00:00Z"',
        ),
        (
            "Which site published the honey bees article?",
            "Garden Weekly",
            'property="og:site_name" content="Garden Weekly"',
        ),
    ]:
        answer = _ask(question, shapes_index)
        assert not answer.abstained and value in answer.text, answer.text
        citation = answer.citations[0]
        assert citation.quote == quote
        assert HTML[citation.source_start : citation.source_end] == quote  # opens at the tag in the file
        _verbatim(answer, shapes_index)


def test_metadata_from_pdf_properties_is_given_without_a_quote(shapes_index: Path) -> None:
    # A PDF's properties have no place in its text: the answer gives the value and says there is no quote.
    pdf = _ask("Who wrote the document on compost and soil health?", shapes_index)
    assert "Jane Roe" in pdf.text and "metadata" in pdf.text and not pdf.citations


FRONT_ONLY = """---
title: Repairing Dry Stone Walls
authors:
  - Rhian Pugh
  - Tom Ellery
date: "2019-10-21"
tags: [walls, craft]
---
# Repairing Dry Stone Walls

A dry stone wall is repaired from the bottom up: the fallen stones are sorted by size before any is put back.
The largest stones go in the lowest course, and each stone is laid with its length into the wall.
"""


@pytest.fixture(scope="module")
def front_only_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "front-only", {"walls.md": FRONT_ONLY})


def test_metadata_only_front_matter_states_is_quoted_from_the_front_matter(front_only_index: Path) -> None:
    # No byline in the text: the front matter's lines are what the file says, quoted where they are.
    document = load_index(front_only_index).documents["walls"]
    for question, value, quote in [
        ("Who wrote the article on repairing dry stone walls?", "Rhian Pugh", "Rhian Pugh"),
        ("When was the dry stone walls article published?", "2019-10-21", 'date: "2019-10-21"'),
    ]:
        answer = _ask(question, front_only_index)
        assert not answer.abstained and value in answer.text, answer.text
        assert answer.citations[0].quote == quote
        citation = answer.citations[0]
        assert citation.source_start is not None and citation.source_end is not None
        assert FRONT_ONLY[citation.source_start : citation.source_end] == quote  # opens in the front matter
        _verbatim(answer, front_only_index)
    assert "tags" not in document.text and "title:" not in document.text  # only who, when and where


def test_metadata_question_about_a_document_that_is_not_indexed_abstains(shapes_index: Path) -> None:
    answer = _ask("Who wrote the article about volcano eruptions in Iceland?", shapes_index)
    assert answer.abstained and not answer.citations and "Kim Lee" not in answer.text
    assert (
        "None of the indexed documents is the one the question names." in answer.text
    )  # says what is missing


def test_summary_quotes_several_sentences_of_the_named_document_in_order(shapes_index: Path) -> None:
    answer = _ask("Summarize the article about growing tomatoes.", shapes_index)
    target = _doc(shapes_index, "Tomatoes")
    assert len(answer.citations) >= 3
    assert {c.doc_id for c in answer.citations} == {target}
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)  # shown in document order
    _verbatim(answer, shapes_index)


def test_summary_of_a_beir_abstract_named_by_its_title(shapes_index: Path) -> None:
    answer = _ask("Give me a summary of 'Soil bacteria and wheat growth'.", shapes_index)
    assert answer.citations and {c.doc_id for c in answer.citations} == {"g2"}
    _verbatim(answer, shapes_index)


def test_argument_prefers_sentences_that_recommend(shapes_index: Path) -> None:
    answer = _ask("What does the tomato article recommend gardeners do?", shapes_index)
    assert any("should" in c.quote for c in answer.citations)
    assert {c.doc_id for c in answer.citations} == {_doc(shapes_index, "Tomatoes")}


def test_comparison_quotes_each_document_under_its_title(shapes_index: Path) -> None:
    answer = _ask("Compare what the documents say about roots and water in the soil.", shapes_index)
    quoted = {c.doc_id for c in answer.citations}
    assert len(quoted) >= 2
    documents = load_index(shapes_index).documents
    for doc_id in quoted:
        assert f"**{documents[doc_id].title}**" in answer.text
    _verbatim(answer, shapes_index)


def test_fact_gets_an_answer_line_copied_from_its_quote(shapes_index: Path) -> None:
    answer = _ask("How many hours of direct sun does each tomato plant need?", shapes_index)
    first_line = answer.text.split("\n")[0]
    assert first_line.startswith("**") and "six" in first_line
    assert first_line.strip("*") in answer.citations[0].quote


def test_a_question_in_two_parts_says_which_part_is_not_answered(shapes_index: Path) -> None:
    answer = _ask("Why do researchers blame the mite, and how much does a hive cost?", shapes_index)
    assert not answer.abstained
    assert "The documents do not answer this part." in answer.text


def test_a_question_in_two_parts_of_two_kinds_answers_each_as_its_kind(shapes_index: Path) -> None:
    # An author and a date: each part is a metadata answer quoting the line that states it.
    answer = _ask("Who wrote the tomato article, and when was it published?", shapes_index)
    assert [c.quote for c in answer.citations] == ["By Kim Lee", "March 4, 2020"]
    assert answer.text.index("*Who wrote the tomato article?*") < answer.text.index(
        "*When was it published?*"
    )
    _verbatim(answer, shapes_index)


def test_a_sentence_that_announces_the_next_is_quoted_with_it() -> None:
    from rag.answer.direct_answers import announces_next
    from rag.answer.generators.extractive import ScoredSentence
    from rag.answer.generators.spans import announced
    from rag.types import Passage

    text = "The report names three causes. The first is a parasitic mite.\n\nA new paragraph follows."
    passage = Passage(1, "c1", "d1", "Bees", text, 0, len(text), 1.0)
    lead = ScoredSentence(1, "d1", 0, 30, text[:30], 0.7, 0.5, 1.0, 0.8)
    assert (
        announced(lead, passage, lead.text) == "The report names three causes. The first is a parasitic mite."
    )
    last = ScoredSentence(1, "d1", 31, 62, text[31:62], 0.7, 0.5, 1.0, 0.8)
    assert announced(last, passage, last.text) == last.text  # announces nothing; the paragraph ends anyway
    assert announces_next("The steps are as follows:")
    assert not announces_next("Colonies shrank for five years.")  # a span of time announces nothing


def test_a_long_sentence_is_found_by_the_clause_that_answers(embedder) -> None:
    from rag.answer.generators.extractive import ExtractiveGenerator, clauses
    from rag.types import Passage

    long = (
        "The council debated the harbour budget for most of the evening, with members arguing over dredging, "
        "berths and the cost of new cranes, before the mayor announced that the ferry terminal would reopen "
        "in May."
    )
    assert clauses(long)[-1].startswith("before the mayor announced")
    passage = Passage(1, "c1", "d1", "Harbour", long, 0, len(long), 1.0)
    gen = ExtractiveGenerator(embedder, threshold=0.5)
    question = "When will the ferry terminal reopen, according to the mayor?"
    with_clauses = gen.score_sentences(question, [passage])[0].similarity
    whole = float(gen._vectors([long])[0] @ embedder.embed_query(question))
    assert with_clauses > whole  # the answering clause matches better than the whole sentence


def test_retrieval_restricted_to_named_documents(shapes_index: Path) -> None:
    retriever = get_pipeline(shapes_index, Settings()).retriever
    target = _doc(shapes_index, "Compost")
    hits = retriever.search("honey bees and parasitic mites", 5, doc_ids=[target])
    assert hits and {retriever.index.chunks[h.row].doc_id for h in hits} == {target}
    assert retriever.search("honey bees", 5, doc_ids=["no-such-document"]) == []


def test_how_to_question_quotes_the_code_block_under_the_right_heading(shapes_index: Path) -> None:
    answer = _ask("How do I run the tests of Rivet?", shapes_index)
    assert len(answer.citations) == 1
    quote = answer.citations[0].quote
    assert quote.startswith("```bash") and quote.endswith("```") and "pytest -q tests/" in quote
    assert "rivet init" not in quote  # the install block is another section's
    # Shown as code: every line of the block inside the blockquote, the marker after the closing fence.
    assert '> ```bash\n> pip install "rivet-tables[dev]"\n> pytest -q tests/\n> ```\n> [1]' in answer.text
    _verbatim(answer, shapes_index)


def test_table_value_is_answered_with_its_row_under_the_header(shapes_index: Path) -> None:
    answer = _ask("How many retries does Rivet make before a download fails by default?", shapes_index)
    quotes = [c.quote for c in answer.citations]
    assert quotes == [
        "| setting | default | meaning |",
        "| `RIVET_RETRIES` | 3 | attempts before a download fails |",
    ]
    _verbatim(answer, shapes_index)


def test_words_naming_the_document_are_left_out_inside_it(shapes_index: Path) -> None:
    from rag.answer.reference import names_outside, without_reference

    documents = load_index(shapes_index).documents
    tomatoes = _doc(shapes_index, "Tomatoes")
    asked = without_reference(
        "How much sun does the tomato balcony article say a plant needs?", documents, [tomatoes]
    )
    assert asked == "How much sun does say a plant needs?"
    # too little left to score with: the question stays whole
    assert (
        without_reference("Summarize the tomato article.", documents, [tomatoes])
        == "Summarize the tomato article."
    )
    assert names_outside("What does it say about Rivet?", documents, [tomatoes]) == ["Rivet"]
    assert names_outside("What does it say about Rivet?", documents, [_doc(shapes_index, "Rivet")]) == []


def test_a_name_the_named_document_never_mentions_abstains(shapes_index: Path) -> None:
    # Rivet is indexed (the manual) but Kim Lee's article never mentions it: quoting the article would mislead.
    answer = _ask("What does Kim Lee recommend about Rivet?", shapes_index)
    assert answer.abstained and not answer.citations
    assert "never mentions Rivet" in answer.text


REPORT = """---
title: Harbour Council Report
author: Sam Park
date: 2021-05-02
---
# Harbour Council Report

The council reviewed the harbour budget in May and found three problems with the dredging contract.

First, the contractor billed the council for dredging that was never carried out in the outer basin.
Second, the contract set no penalty for delays, so the dredging ran eleven months late.
Finally, the harbour master was not consulted before the contract was signed.

The report recommends that the council should tender the next dredging contract in the open.

German engineers inspected the north pier in April and found cracks in two of its pillars.

A French firm built the ferry terminal in 1990 and still maintains its ramps.
"""

TOOL = """# Quayside: a tool for tide tables

Quayside prints tide tables for any harbour from the public tide gauges.

## Two commands

Both work on a fresh machine with Python and pip:

```bash
# 1. Install everything and print today's table
make setup && quayside today

# 2. Install everything and run the tests
make test
```

## Questions people ask

The project's FAQ lists "How do I run the tests?" as the question it is asked most often.
Tide gauges report the water level every six minutes, and Quayside reads them once an hour.

## Chunking

Quayside splits each tide table into chunks of 48 rows with 6 rows of overlap, because a tide cycle of
about twelve hours then always falls whole inside one chunk.

## Settings

| setting | default | meaning |
| --- | --- | --- |
| `QUAYSIDE_ROWS` | 48 | rows per chunk |
| `QUAYSIDE_UNITS` | metres | units of the water level |
"""


@pytest.fixture(scope="module")
def harbour_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "harbour",
        {
            "report.md": REPORT,
            "tool.md": TOOL,
        },
    )


def test_a_list_quotes_every_item_of_the_enumeration_it_announces(harbour_index: Path) -> None:
    answer = _ask("What three problems did the council find with the dredging contract?", harbour_index)
    quotes = [c.quote for c in answer.citations]
    assert [q.split(",")[0] for q in quotes if q.startswith(("First", "Second", "Finally"))] == [
        "First",
        "Second",
        "Finally",
    ]
    _verbatim(answer, harbour_index)


def test_a_list_item_must_have_the_asked_qualifier(harbour_index: Path) -> None:
    # German engineers inspected the pier; "French" is in the report, but not about engineers or the pier.
    answer = _ask("Which French engineers inspected the north pier?", harbour_index)
    assert answer.abstained and not answer.citations
    assert not _ask("Which German engineers inspected the north pier?", harbour_index).abstained


def test_how_many_needs_the_counted_thing_in_the_quote(harbour_index: Path) -> None:
    # "two of its pillars" is a number in a sentence about the pier, but it counts no divers.
    assert _ask("How many divers inspected the north pier?", harbour_index).abstained
    answer = _ask("How many pillars of the north pier had cracks?", harbour_index)
    assert not answer.abstained and "two" in answer.text


def test_how_to_finds_the_block_by_its_comment_not_a_sentence_citing_the_question(
    harbour_index: Path,
) -> None:
    answer = _ask("How do I run the tests?", harbour_index)
    assert len(answer.citations) == 1
    quote = answer.citations[0].quote
    assert quote.startswith("```bash") and "make test" in quote  # the block whose comment says so
    assert "FAQ" not in answer.text  # a sentence that only cites the question does not answer it
    _verbatim(answer, harbour_index)


def test_an_argument_on_a_topic_quotes_the_sentence_that_argues_it(harbour_index: Path) -> None:
    from rag.answer.reference import topic_terms

    documents = load_index(harbour_index).documents
    report = _doc(harbour_index, "Harbour")
    # "the main arguments of X" asks about the document as a whole; "... about the next contract" about a topic
    assert topic_terms("What are the main arguments of Sam Park?", documents, [report]) == set()
    assert "contract" in topic_terms(
        "What does Sam Park recommend about the next contract?", documents, [report]
    )
    answer = _ask("What does Sam Park recommend about the next dredging contract?", harbour_index)
    assert "should tender the next dredging contract" in answer.citations[0].quote
    _verbatim(answer, harbour_index)


def test_a_recommendation_asked_for_needs_a_sentence_that_advises(harbour_index: Path) -> None:
    # the report says what was found on the pier and who was not consulted, and advises nothing about them
    for question in (
        "What does the report recommend about the cracks in the north pier?",
        "What does the report advise about the harbour master?",
    ):
        answer = _ask(question, harbour_index)
        assert answer.abstained and not answer.citations


def test_a_section_its_heading_names_answers_in_other_words(harbour_index: Path) -> None:
    # "chunk size" is nowhere in the text: the section *Chunking* says it in its own words.
    answer = _ask("What chunk size is used and why?", harbour_index)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Quayside splits each tide table into chunks of 48 rows")
    _verbatim(answer, harbour_index)
    # a heading names a section, not everything: a question its words do not cover still abstains
    assert _ask("What colour are the chunks painted?", harbour_index).abstained


def test_the_answer_line_comes_from_the_quote_that_shares_the_question_words() -> None:
    from rag.answer.direct_answers import answer_line, best_answer_line

    def terms(text: str) -> set[str]:
        return set(text.casefold().replace("?", " ").replace(".", " ").split())

    spans = [
        "The plant reopened in April 2015 after repairs.",
        "The plant was originally built in 1990 by a French firm.",
    ]
    # the first quote scored higher as a whole, but the second says what was asked ("originally built")
    assert best_answer_line("In what year was the plant originally built?", spans, terms) == "1990"
    assert best_answer_line("When did the plant reopen?", spans, terms) == "April 2015"
    # "Who is X?" is answered by what X is: another name in the sentence is not the answer
    sentence = "Tomatoes need six hours of sun, Kim Lee told Garden Weekly."
    assert answer_line("Who is Kim Lee?", sentence) is None
    assert answer_line("Who told Garden Weekly about tomatoes?", sentence) == "Kim Lee"


def test_a_document_named_by_an_author_not_indexed_is_not_another_document(shapes_index: Path) -> None:
    unknown = _ask("What is the title of the paper by John Smith?", shapes_index)
    assert (
        unknown.abstained and "None of the indexed documents is the one the question names." in unknown.text
    )
    known = _ask("What is the title of the paper by Jane Roe?", shapes_index)
    assert "Compost and Soil Health" in known.text


def test_quoted_words_of_someone_else_are_not_the_documents_argument() -> None:
    import numpy as np

    from rag.answer import summaries

    texts = ["“We must act now, as it is critical,” the minister said.", "The council should act now."]
    vectors = np.eye(2)
    worth = summaries.worth(texts, [0, 100], vectors, np.zeros(2), summaries.ARGUMENT)
    lead = summaries.ARGUMENT.lead  # the first sentence is the lead: compare without it
    assert worth[0] - lead < worth[1]


def test_a_summary_of_what_the_documents_say_about_a_topic_quotes_the_topic(shapes_index: Path) -> None:
    answer = _ask("Summarize what the documents say about compost.", shapes_index)
    assert answer.citations and all("compost" in c.quote.casefold() for c in answer.citations)
    assert len({c.doc_id for c in answer.citations}) >= 2  # the tomato article and the compost paper
    _verbatim(answer, shapes_index)


def test_a_quote_request_is_found_by_what_it_is_about(harbour_index: Path) -> None:
    answer = _ask("Give me the exact words the report uses about the harbour master.", harbour_index)
    assert (
        answer.citations[0].quote
        == "Finally, the harbour master was not consulted before the contract was signed."
    )
    # asked in the document's own words: the sentence that holds them is the answer, not a citation of it
    worded = _ask("Quote the report on how the dredging ran eleven months late.", harbour_index)
    assert "ran eleven months late" in worded.citations[0].quote
    _verbatim(worded, harbour_index)


def test_a_comparison_of_two_documents_named_two_ways_quotes_both(shapes_index: Path) -> None:
    # one named by its author, one by its title words: both are the comparison's documents, and neither is
    # refused for lacking the other's names
    answer = _ask("How does the Kim Lee article differ from the honey bees piece on water?", shapes_index)
    quoted = {c.doc_id for c in answer.citations}
    assert quoted == {_doc(shapes_index, "Tomatoes"), _doc(shapes_index, "Bees")}
    _verbatim(answer, shapes_index)


STRIKE = """---
title: Port Strike Ends After Two Weeks
author: Lee Ray
date: 2022-03-01
---
# Port Strike Ends After Two Weeks

Dock workers returned to the port on Monday after a two-week strike over night shifts.

According to the *Harbour Gazette*, the strike cost shippers about forty million dollars in delays. The \
regional news agency Portwire reported that thirty ships waited outside the harbour at the peak. In an \
interview with *Coastal Radio*, union leader Maria Costa called on the port to "respect the night crews." \
As port director Tomas Berg put it at the time, "No port can run without its cranes, and no crane runs itself."

Union leader Maria Costa met the mayor, Ann Holt, at the town hall on Friday to end the dispute. Reporters \
waiting outside said that the talks were short and friendly.

The Aurora cargo ship was the first vessel to dock after the strike ended. The port also bought two new \
harbour cranes from a shipyard in Rotterdam in March 2021.
"""


@pytest.fixture(scope="module")
def strike_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "strike",
        {
            "strike.md": STRIKE,
            "report.md": REPORT,  # a second document, so scoping has a choice
        },
    )


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (
            "Which news outlets does the port strike article cite?",
            ["Harbour Gazette", "Portwire", "Coastal Radio"],
        ),
        ("Which officials are quoted in the port strike article?", ["Maria Costa", "Tomas Berg"]),
        ("Which officials are named in the port strike article?", ["Maria Costa", "Tomas Berg"]),
    ],
)
def test_a_list_of_the_sources_a_document_cites_quotes_each_attribution(
    strike_index: Path, question: str, named: list[str]
) -> None:
    # the sentences that name them share no words with "cite" or "quoted": the attribution makes the item
    answer = _ask(question, strike_index)
    assert not answer.abstained
    assert all(name in answer.text for name in named)
    assert {c.doc_id for c in answer.citations} == {_doc(strike_index, "Strike")}
    _verbatim(answer, strike_index)


FERRY = """---
title: Ferry Talks Resume
author: Jo Lund
date: 2022-04-01
---
# Ferry Talks Resume

On a visit to Norway last week, union leader Maria Costa said the night crews had won the dispute.

Harbour director Tomas Berg told reporters that the ferries would run again on Monday.
"""


def test_people_of_a_country_are_not_those_quoted_on_a_visit_there(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    base = tmp_path_factory.mktemp("ferry")
    (base / "docs").mkdir()
    (base / "docs" / "ferry.md").write_text(FERRY, encoding="utf-8")
    (base / "docs" / "report.md").write_text(REPORT, encoding="utf-8")
    build_index([base / "docs"], index_dir=base / "vectors")
    # Costa speaks "on a visit to Norway": a place she was in, not whose official she is
    answer = _ask("Which Norwegian officials are quoted in the ferry talks article?", base / "vectors")
    assert answer.abstained and not answer.citations
    quoted = _ask("Which officials are quoted in the ferry talks article?", base / "vectors")
    assert "Maria Costa" in quoted.text and "Tomas Berg" in quoted.text


def test_a_list_of_items_other_than_the_one_named_leaves_it_out(strike_index: Path) -> None:
    # the one cargo ship named is the one left out; "the ... cranes" are another kind of thing
    answer = _ask("Which cargo ships other than the Aurora docked after the strike?", strike_index)
    assert answer.abstained and not answer.citations
    assert "Aurora" in _ask("Which cargo ship was the first to dock after the strike?", strike_index).text


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("What did Tomas Berg say about cranes?", True),
        # named, but only as someone met: the reporters speak in the next sentence, not her
        ("What did Ann Holt say about the dispute?", False),
        # Berg speaks, but not to Costa
        ("What did Tomas Berg tell Maria Costa?", False),
        # Berg speaks, but not about what the question's last word names
        ("What did Tomas Berg say about Rotterdam?", False),
        # a publication that reports, named with its article, on something it never reports
        ("What did the Harbour Gazette report about the Aurora?", False),
        ("What did the Harbour Gazette report about the strike?", True),
        # "X's own words": X must be who speaks
        ("Quote Ann Holt's own words on the dispute.", False),
        ("Quote Tomas Berg's own words on cranes.", True),
    ],
)
def test_a_speakers_words_must_be_theirs_and_to_whom_the_question_says(
    strike_index: Path, question: str, answered: bool
) -> None:
    answer = _ask(question, strike_index)
    assert answer.abstained is not answered
    if answered:
        _verbatim(answer, strike_index)


def test_a_date_must_be_said_of_the_rare_name_the_question_asks_about(strike_index: Path) -> None:
    # the only date near the Aurora is the cranes' (same paragraph, same port): it is not the Aurora's
    answer = _ask("In what year did the Aurora cargo ship first dock at the port?", strike_index)
    assert answer.abstained and not answer.citations
    assert "Aurora" in answer.text  # it says which part is missing
    bought = _ask("In what year did the port buy cranes from Rotterdam?", strike_index)
    assert not bought.abstained and "2021" in bought.text


def test_a_comparison_on_a_short_named_topic_quotes_the_documents_that_name_it(strike_index: Path) -> None:
    # a name alone is too short for close matches; the one document that names it is quoted, only it
    answer = _ask("Compare what the documents say about Portwire.", strike_index)
    assert not answer.abstained
    assert {c.doc_id for c in answer.citations} == {_doc(strike_index, "Strike")}
    assert all("Portwire" in c.quote for c in answer.citations)
    _verbatim(answer, strike_index)


def test_a_comparison_of_named_documents_one_of_which_never_mentions_the_topic_abstains(
    strike_index: Path,
) -> None:
    # only the strike article names Portwire: there is nothing to compare, and the answer says which lacks it
    answer = _ask(
        "Compare what the Sam Park report and the Lee Ray article say about Portwire.",
        strike_index,
    )
    assert answer.abstained and not answer.citations
    assert "Harbour Council Report" in answer.text


def test_when_did_scores_a_date_of_another_event_lower(strike_index: Path) -> None:
    # the port bought cranes from Rotterdam in March 2021; nothing says when Rotterdam shipped any
    from rag.answer import planning
    from rag.answer.generators.extractive import EVENT_PENALTY

    pipeline = get_pipeline(strike_index, Settings())
    generator = pipeline.generator("extractive")
    question = "When did Rotterdam ship the harbour cranes to the port?"
    passages = planning.retrieve(
        pipeline.retriever, question, 5, planning.plan(question, pipeline.retriever.documents)
    )
    plain = {s.text: s.score for s in generator.score_sentences(question, passages)}
    judged = {s.text: s.score for s in generator.eligible(question, passages)}
    cranes = next(t for t in judged if "cranes" in t)
    assert judged[cranes] == pytest.approx(plain[cranes] - EVENT_PENALTY)


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the cranes came from a shipyard in Rotterdam; "German" is said only of the pier's engineers
        ("How do the documents differ on the German shipyard that sold the harbour cranes?", False),
        ("How do the documents differ on the French contractor that billed the council for dredging?", False),
        ("How do the documents differ on the harbour cranes bought from Rotterdam?", True),
    ],
)
def test_a_comparison_quotes_only_sentences_that_name_its_topics_rare_name(
    strike_index: Path, question: str, answered: bool
) -> None:
    answer = _ask(question, strike_index)
    assert answer.abstained is not answered
    if answered:
        assert all("Rotterdam" in c.quote for c in answer.citations)
        _verbatim(answer, strike_index)


def test_a_dash_without_spaces_ends_a_clause() -> None:
    from rag.answer.generators.extractive import clauses

    found = clauses(
        "And while much remains unclear—the mayor expects a slow and costly repair of the old harbour wall, "
        "focused on the outer basin first—the council should prepare for the ferry to stop running in May."
    )
    assert "the council should prepare for the ferry to stop running in May." in found


LIBRARY = """# Town Library Cuts Sunday Hours

The Elmford town council voted on Monday to close the central library on Sundays from May, saving
120,000 euros a year.

"We cannot keep the doors open for a handful of readers while the pool closes," treasurer Rosa Lind told
reporters after the vote. Mayor Paul Okoye said every department had been asked to save five percent.

Dr. Ines Varga, a sociologist at the Northfield College of Education who was not involved in the decision,
said libraries matter most to people without a quiet room at home. "A closed library is a closed study
room. Students lose the one place where they can work in silence," Varga said.

Residents began a petition against the cut on Tuesday, the readers' association said.

The library building was designed by the architect Hugo Brandt and given to the town by a local family.
"""


@pytest.fixture(scope="module")
def library_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "library",
        {
            "library.md": LIBRARY,
        },
    )


def test_exact_words_go_from_reported_speech_into_the_quotation_to_its_close(library_index: Path) -> None:
    # the name's long aside ("a sociologist at ... who ...,") stands between it and "said"; the quotation
    # that follows is two sentences, and its second holds what she said about students
    answer = _ask("What exactly did Ines Varga say about libraries?", library_index)
    assert not answer.abstained
    assert "work in silence" in " ".join(c.quote for c in answer.citations)
    _verbatim(answer, library_index)


def test_a_speakers_words_on_another_topic_do_not_answer(library_index: Path) -> None:
    # the mayor speaks, the petition is in the document, but he says nothing about it
    answer = _ask("What did Mayor Paul Okoye say about the petition?", library_index)
    assert answer.abstained
    assert "Okoye's own words" in answer.text


def test_an_opinion_is_what_the_person_says(library_index: Path) -> None:
    # the architect is named, never quoted: his view of the cut is not in the document
    assert _ask("What is Hugo Brandt's opinion of the Sunday closure?", library_index).abstained


def test_why_needs_a_sentence_that_states_a_reason(library_index: Path) -> None:
    # the document says the family gave the building, not why
    assert _ask("Why did the local family give the library building to the town?", library_index).abstained


ORCHARD = """---
title: Valley Orchards Expect a Record Apple Harvest
author: Noor Sato
date: 2025-09-02
---
# Valley Orchards Expect a Record Apple Harvest

Growers in the valley expect to pick 40,000 tonnes of apples this autumn, a record for the region.

A wet spring and a mild summer kept the trees free of frost damage, the growers' cooperative said.

The cooperative is short of 300 pickers and offers a bonus of 200 euros to those who stay for the whole season.
"""

ORCHARD_OPINION = """---
title: Opinion: The Apple Boom Hides a Water Problem
author: Ivo Brandt
date: 2025-09-05
---
# Opinion: The Apple Boom Hides a Water Problem

A record harvest is welcome, but the orchards drew more water from the river this summer than ever before.

Irrigation now takes a third of the river's flow in August, and the fish that spawn there are declining.

The valley should meter orchard wells and charge growers for the water they take.
"""


@pytest.fixture(scope="module")
def orchard_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "orchard",
        {
            "harvest.md": ORCHARD,
            "opinion.md": ORCHARD_OPINION,
        },
    )


def test_a_comparison_names_each_document_by_the_words_before_its_document_word(orchard_index: Path) -> None:
    # "the harvest report" and "the opinion piece": each named by one title word; only the opinion piece
    # speaks of river water, so it is quoted and the harvest report is said to have nothing on it
    answer = _ask(
        "Compare what the harvest report and the opinion piece say about river water.", orchard_index
    )
    assert not answer.abstained
    assert {c.doc_id for c in answer.citations} == {_doc(orchard_index, "Water Problem")}
    assert "Valley Orchards Expect a Record Apple Harvest*: no passage on this" in answer.text
    assert not answer.uncited  # the note names a document it was given: not an uncited claim
    _verbatim(answer, orchard_index)


def test_the_articles_compared_name_those_of_a_small_collection_that_say_nothing_on_the_topic(
    orchard_index: Path,
) -> None:
    answer = _ask("What do the articles say about the fish in the river?", orchard_index)
    assert {c.doc_id for c in answer.citations} == {_doc(orchard_index, "Water Problem")}
    assert "*Valley Orchards Expect a Record Apple Harvest*: no passage on this." in answer.text
    assert not answer.uncited
    _verbatim(answer, orchard_index)


def test_which_article_asks_among_the_documents_and_names_none(orchard_index: Path) -> None:
    from rag.answer import scoping

    documents = load_index(orchard_index).documents
    scope = scoping.resolve("Which article is more worried about the apple harvest?", documents, several=True)
    assert scope.doc_ids is None and not scope.unresolved
    # the topic's words are two of one title's ("Record", "Harvest"), but all documents are asked among
    scope = scoping.resolve(
        "Which article is more worried about the record harvest?", documents, several=True
    )
    assert scope.doc_ids is None
    # a reference to a document that is not there is still unresolved
    assert scoping.resolve("Summarize the article about the pear harvest.", documents).unresolved


def test_a_short_comparison_topic_is_said_by_a_word_that_shares_its_stem(orchard_index: Path) -> None:
    # a topic of two words is compared in the sentences that say both: "shortage" is said as "short of"
    answer = _ask("What do the articles say about the picker shortage?", orchard_index)
    assert not answer.abstained
    assert "200 euros" in answer.text
    _verbatim(answer, orchard_index)


def test_a_comparison_party_named_by_one_word_of_one_title_is_compared(orchard_index: Path) -> None:
    from rag.answer import scoping

    documents = load_index(orchard_index).documents
    # "the water problem piece" names the opinion by its title; "the valley growers" the harvest report by
    # "Valley", a word of its title alone, among the parties set out before "agree"
    question = "Do the water problem piece and the valley growers agree about river water?"
    scope = scoping.resolve(question, documents, several=True)
    assert set(scope.doc_ids or ()) == {_doc(orchard_index, "Water Problem"), _doc(orchard_index, "Valley")}
    # a word in every title names no party
    scope = scoping.resolve(
        "Do the water problem piece and the apple growers agree?", documents, several=True
    )
    assert scope.doc_ids == (_doc(orchard_index, "Water Problem"),)
