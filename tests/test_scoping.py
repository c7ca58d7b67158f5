"""Document scoping looks only at the documents a question could name (word -> documents tables), and finds
exactly what a walk over every document's metadata finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rag.answer import scoping
from rag.answer.scoping import Catalog, Scope, resolve
from rag.types import Document

_WORDS = [
    "river",
    "harbour",
    "tariff",
    "vaccine",
    "solar",
    "school",
    "meals",
    "merger",
    "drought",
    "Ukraine",
    "standoff",
    "sanctions",
    "missile",
    "grain",
    "election",
    "pipeline",
    "reactor",
    "glacier",
    "coral",
    "wheat",
]


def _documents(n: int = 400) -> dict[str, Document]:
    rng = random.Random(7)
    docs = {}
    for i in range(n):
        title = " ".join(rng.sample(_WORDS, 3)) + f" report{i}"
        docs[f"d{i}"] = Document(
            doc_id=f"d{i}",
            text=f"Body of {title}. It mentions Moscow and Kyiv.",
            title=title.capitalize(),
            authors=(f"Author{i} Surname{i}",) if i % 3 else (),
            publication=("Foreign Affairs", "The National Interest", "", "'Quoted' Review")[i % 4],
            url=f"https://www.site{i % 5}.org/a{i}",
        )
    docs["odd"] = Document(doc_id="odd", text="x", title="Oddities", authors=("-Dash Start",))
    return docs


QUESTIONS = [
    "What does the article say about wheat?",  # names no document
    "Who wrote the Foreign Affairs article on coral reactor?",
    "What is Surname4's argument?",
    "Summarize the article by Author5 Surname5.",
    "What does the national interest piece say about sanctions?",
    "Summarize the report12 article.",
    "What does 'Quoted' Review publish on drought?",
    "What does -Dash Start say?",
    "Give me a summary of 'river harbour tariff report3'.",
    "What does site2 say about the merger pipeline election?",
    "Compare the Surname7 article and the Surname8 piece.",
    "What does glacier solar ukraine report10 say about sanctions?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_indexed_lookup_finds_what_a_full_walk_finds(question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _documents()
    found = [
        resolve(question, documents, document_kind=k, several=s) for k in (False, True) for s in (False, True)
    ]
    # the reference: every entry is a candidate (the walk over all documents)
    monkeypatch.setattr(Catalog, "named_candidates", lambda self, q: self.entries)
    monkeypatch.setattr(Catalog, "title_candidates", lambda self, terms: self.entries)
    monkeypatch.setattr(
        Catalog,
        "shared_title_terms",
        lambda self, terms: [(e, len(e.title_terms & terms)) for e in self.entries if e.title_terms],
    )
    walked = [
        resolve(question, documents, document_kind=k, several=s) for k in (False, True) for s in (False, True)
    ]
    assert found == walked


def test_named_documents_are_found() -> None:
    documents = _documents()
    assert resolve("What is Surname4's argument?", documents) == Scope(("d4",))
    assert resolve("What does -Dash Start say?", documents) == Scope(("odd",))
    assert resolve("What does the article say about wheat?", documents) == Scope()
    # most of a title's words name it, without "article"
    assert resolve(f"What does {documents['d10'].title.lower()} say?", documents) == Scope(("d10",))


def test_catalog_is_built_once_per_documents_mapping() -> None:
    documents = _documents(20)
    assert scoping.catalog(documents) is scoping.catalog(documents)
    assert scoping.catalog(dict(documents)) is not scoping.catalog(documents)


def test_a_question_is_planned_once_per_documents_mapping() -> None:
    from rag.answer import planning

    documents = _documents(20)
    first = planning.plan("Summarize the article by Author5 Surname5.", documents)
    assert first.scope == Scope(("d5",)) and first.kind.kind == "summary"
    # the generator plans the question again: the same plan, not a second walk over the titles
    assert planning.plan("Summarize the article by Author5 Surname5.", documents) is first
    # another index's documents (a new generation) are planned afresh, never from the other's plan
    others = {"d5": documents["d5"]}
    again = planning.plan("Summarize the article by Author5 Surname5.", others)
    assert again is not first and again.scope == Scope(("d5",))
    assert planning.plan("Summarize the article by Author5 Surname5.", {}).scope == Scope()


def _small_collection() -> dict[str, Document]:
    def doc(doc_id: str, title: str, text: str) -> Document:
        return Document(doc_id=doc_id, text=text, title=title)

    return {
        "runway": doc(
            "runway",
            "Northfield airport to shut main runway for resurfacing",
            "Northfield Regional Airport will close its main runway for eleven weeks this summer.\n\n"
            "During the closure, flights will use the shorter cross runway.",
        ),
        "orchard": doc(
            "orchard",
            "Community orchard planted on old rail yard",
            "Volunteers planted sixty apple trees last weekend. "
            + "The trees were donated. " * 60
            # a teaser for another article, at the end of the page, is not what this page is about
            + "\n\nRead next: volcano eruptions in Iceland",
        ),
        "ferries": doc("ferries", "Island ferry timetable cut", "The island ferry will sail twice a day."),
        "ferry-fares": doc("ferry-fares", "Ferry fares to rise", "Island ferry fares will rise in March."),
        "review": Document(
            doc_id="review", text="The laptop is light.", title="Laptop review", authors=("Omar Said",)
        ),
    }


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        # Only one title word; the lead says the rest ("will close its main runway")
        ("Who wrote the article about the runway closure?", Scope(("runway",))),
        # Said only in a teaser at the end of a page: no indexed document is that article
        ("Summarize the article about volcano eruptions in Iceland.", Scope(unresolved=True)),
        # Two documents open on it: it is indexed, though which one is not said, so no scope and no abstention
        ("Summarize the article about the island ferry.", Scope()),
        # A name no document has settles it, whatever the leads say
        ("Who wrote the Harbour Gazette article on the runway closure?", Scope(unresolved=True)),
        # a surname that is also a word names its author only written as a name
        ("Summarize what Omar Said wrote.", Scope(("review",))),
        ("Summarize what the mayor said about the runway closure.", Scope()),
    ],
)
def test_a_document_named_by_what_its_lead_says(question: str, scope: Scope) -> None:
    assert resolve(question, _small_collection(), document_kind=True) == scope


def _three_outlets() -> dict[str, Document]:
    def doc(doc_id: str, outlet: str, title: str) -> Document:
        authors = ("Ana Roe",) if doc_id in "ab" else ("Tom Hale",)
        return Document(
            doc_id=doc_id,
            text=f"{title}. The fleet is old.",
            title=title,
            publication=outlet,
            authors=authors,
        )

    return {
        "a": doc("a", "The Harbour Review", "Pay for the ice"),
        "b": doc("b", "Meridian Institute", "The fee gamble"),
        "c": doc("c", "Calder Centre", "From tariff row to standoff"),
    }


@pytest.mark.parametrize(
    ("question", "kind", "doc_ids"),
    [
        # a fact asked of two named documents is each one's answer, side by side
        (
            "How old is the icebreaker fleet according to the Harbour Review piece and the Meridian Institute brief?",
            "comparison",
            ("a", "b"),
        ),
        (
            "What part do the Harbour Review and the Meridian Institute expect the navy to play?",
            "comparison",
            ("a", "b"),
        ),
        (
            "Why did the fees rise, according to the Harbour Review op-ed and the Calder Centre commentary?",
            "comparison",
            ("a", "c"),
        ),
        # one named document, or none: the fact itself
        ("How old is the icebreaker fleet according to the Harbour Review piece?", "fact", ("a",)),
        ("How old is the icebreaker fleet?", "fact", None),
        # a person who wrote two of the documents is asked about, not two documents side by side
        ("Which book did Ana Roe write?", "fact", ("a", "b")),
    ],
)
def test_a_fact_asked_of_two_named_documents_is_compared(
    question: str, kind: str, doc_ids: tuple | None
) -> None:
    from rag.answer import planning

    the_plan = planning.plan(question, _three_outlets())
    assert (the_plan.kind.kind, the_plan.scope.doc_ids) == (kind, doc_ids)


_INSTITUTE_PAGES = {
    "a.txt": "Grounded Diplomacy: Untangling the Slot Dispute\nby Helena Marsh and Yusuf Brandvold\nMarch 4, 2024\n"
    "ABOUT THE AUTHORS\nHelena Marsh is a senior fellow at the Tarrant Institute for Regional Policy. Yusuf "
    "Brandvold is a research fellow at the Tarrant Institute.\nPolicy Analysis\nThe quarrel over morning "
    "landing slots has spilled into the airspace.\n\nThe detour adds roughly 14 minutes per flight.\n",
    "b.txt": "The Dispute Is About Scarcity\nby Marguerite Solberg\nApril 2, 2024\nABOUT THE AUTHOR\n"
    "Marguerite Solberg is a senior fellow at the Brightwater Institute for Transport Economics.\n"
    "Policy Analysis\nThe airport is too small.\n\nThe detour adds as much as 23 minutes to some flights.\n",
    "c.txt": "The Slot Grab Is Protectionism\nby Corbin Ashdale\nMarch 18, 2024\nABOUT THE AUTHOR\nCorbin "
    "Ashdale is a senior fellow at the Kestrel Institute for Open Markets and a contributing editor at The "
    "Meridian Review.\nOp-Ed\nThe slots were taken to prop up a national champion.\n\nThe flag carrier lost "
    "$44 million in 2022.\n",
}


def test_a_document_named_by_the_first_word_of_its_authors_institute(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # both pages are labelled "Policy Analysis": "the Tarrant analysis" is the one whose authors work at the
    # Tarrant Institute
    from rag.answer import planning
    from rag.answer.pipeline import get_pipeline
    from rag.settings import Settings
    from tests.conftest import index_of

    folder = index_of(tmp_path_factory, "institutes", _INSTITUTE_PAGES)
    documents = get_pipeline(folder, Settings()).retriever.documents
    by_file = {Path(d.source_path).name: d.doc_id for d in documents.values()}
    the_plan = planning.plan("How long is the detour, according to the Tarrant analysis?", documents)
    assert the_plan.scope.doc_ids == (by_file["a.txt"],)
    both = planning.plan(
        "How long is the detour according to the Tarrant analysis and the Brightwater analysis?", documents
    )
    assert (both.kind.kind, set(both.scope.doc_ids or ())) == (
        "comparison",
        {by_file["a.txt"], by_file["b.txt"]},
    )
    # the one page labelled "Op-Ed", whatever word comes before the label
    op_ed = planning.plan("According to the Meridian Review op-ed, how much did the carrier lose?", documents)
    assert op_ed.scope.doc_ids == (by_file["c.txt"],)
