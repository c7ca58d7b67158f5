"""Ingestion on real files: the seed articles, broken inputs, HTML, markdown, a hand-made PDF, BEIR JSONL."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

import pytest

from rag.errors import RagError, SourceNotFoundError
from rag.ingest import (
    SUPPORTED_SUFFIXES,
    IngestResult,
    UnreadableFileError,
    UnsupportedFileTypeError,
    find_source_files,
    load_documents,
    load_file,
    read_source_text,
)
from rag.ingest.dates import parse_date
from rag.types import Document

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SCIFACT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "scifact"
SEED_IDS = ("000_ef786f168e0479b6", "002_aa0b2b830c5057bb", "004_95f31d63a59dd7b7")


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    result = load_documents([SEEDS])
    assert result.skipped == []
    return {d.doc_id: d for d in result.documents}


def _original(document: Document) -> str:
    # Decoded the plain way any consumer would, so the offsets are checked against what others will read.
    return Path(document.source_path).read_bytes().decode("utf-8")


# --- the seed articles ----------------------------------------------------------------------------

SEED_METADATA = {
    "000_ef786f168e0479b6": dict(
        title="Will the Ukraine Standoff Affect the Iran Nuclear Talks?",
        authors=("Anna Borshchevskaya",),
        date="2022-01-11",
        url="https://www.washingtoninstitute.org",
        publication=None,
    ),
    "002_aa0b2b830c5057bb": dict(
        title="Don't Expect Russia to Help Save the Iran Deal",
        authors=("Anna Borshchevskaya",),
        date="2021-02-16",
        url="https://nationalinterest.org/feature/don%E2%80%99t-expect-russia-help-save-iran-deal-178264",
        publication="National Interest",
    ),
    "004_95f31d63a59dd7b7": dict(
        title="How Russia is trying to help defuse US-Iran tensions",
        authors=("Maxim Suchkov",),
        date="2019-05-23",
        url="http://al-monitor.com",
        publication="al-monitor.com",
    ),
}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_metadata(seeds: dict[str, Document], doc_id: str) -> None:
    document = seeds[doc_id]
    expected = SEED_METADATA[doc_id]
    assert document.title == expected["title"]
    assert document.authors == expected["authors"]
    assert document.date == expected["date"]
    assert document.url == expected["url"]
    assert document.publication == expected["publication"]
    assert document.source_path == str(SEEDS / f"{doc_id}.txt")
    assert len(document.content_hash) == 64
    assert Document.from_dict(document.to_dict()) == document


def test_seeds_load_in_name_order(seeds: dict[str, Document]) -> None:
    assert list(seeds) == list(SEED_IDS)


@pytest.mark.parametrize("word", ["Taliban", "Islamic State", "Olympics", "Wahhabism", "Hezbollah", "Rocket"])
def test_teasers_for_other_articles_leave_no_trace(seeds: dict[str, Document], word: str) -> None:
    for document in seeds.values():
        assert word.lower() not in document.text.lower(), document.doc_id


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_segment_maps_to_the_identical_original_text(seeds: dict[str, Document], doc_id: str) -> None:
    document = seeds[doc_id]
    original = _original(document)
    assert document.segments
    covered = [False] * len(document.text)
    for s in document.segments:
        assert original[s.source_start : s.source_end] == document.text[s.clean_start : s.clean_end]
        covered[s.clean_start : s.clean_end] = [True] * (s.clean_end - s.clean_start)
    # Only the cleaner's own joins (spaces, paragraph breaks) may be uncovered: every word came from the file.
    assert all(c.isspace() for c, hit in zip(document.text, covered, strict=True) if not hit)
    span = document.source_span(0, len(document.title))
    assert span is not None


@pytest.mark.parametrize(
    ("doc_id", "joined"),
    [
        ("000_ef786f168e0479b6", "did not want a nuclear agreement to succeed"),
        ("004_95f31d63a59dd7b7", "Zarif urged Beijing and Moscow to take"),
        ("000_ef786f168e0479b6", "the last thing policymakers should do is take him at his word."),
    ],
)
def test_sentences_broken_across_a_blank_line_are_joined(
    seeds: dict[str, Document], doc_id: str, joined: str
) -> None:
    assert joined in seeds[doc_id].text


def test_headings_stay_their_own_paragraphs(seeds: dict[str, Document]) -> None:
    text = seeds["000_ef786f168e0479b6"].text
    assert "\n\nRussia's Iran Strategy\n\nUnderstanding Putin's" in text
    assert "\n\nBefore and After Crimea\n\nEven when" in text
    for document in seeds.values():
        assert "\n\n\n" not in document.text
        assert document.text == document.text.strip()


def test_markup_is_removed_and_the_visible_words_kept(seeds: dict[str, Document]) -> None:
    text = seeds["000_ef786f168e0479b6"].text
    for kept in (
        "extract concessions from the West",
        "$1.74 billion in 2018 to $2 billion",
        "upgraded his relations with Iran to unprecedented heights due to the Syria war",
        "In an interview with Newsweek last month",
        "State Department previously disputed in great detail.",
        "the Price of America’s Absence.",
        "by Anna Borshchevskaya",
    ):
        assert kept in text
    for document in seeds.values():
        for markup in ("](", "**", "<https", "http", "\\$", "\\(", "##", "❖", "◆", "/policy-analysis"):
            assert markup not in document.text, (document.doc_id, markup)
    # Brackets that are not a link are the author's own and stay.
    assert "[parts of the agreement]" in seeds["004_95f31d63a59dd7b7"].text


def test_page_furniture_is_dropped_and_the_article_kept(seeds: dict[str, Document]) -> None:
    for document in seeds.values():
        for furniture in (
            "Also available in",
            "RECOMMENDED",
            "TOPICS",
            "REGIONS & COUNTRIES",
            "Great Power Competition",
            "Farsi",
            "العربية",
        ):
            assert furniture not in document.text, (document.doc_id, furniture)
    first = seeds["000_ef786f168e0479b6"].text
    assert first.startswith(
        "Will the Ukraine Standoff Affect the Iran Nuclear Talks?\n\n"
        "by Anna Borshchevskaya\n\nJan 11, 2022\n\n"
        "Some Western policymakers seem to believe"
    )
    # The author box (between the dateline and the body on the page) is kept, after the body.
    assert "Russian Foreign Policy and the Price of America’s Absence.\n\nABOUT THE AUTHORS\n\n" in first
    assert first.endswith("focusing on Russia's policy toward the Middle East.\n\nBrief Analysis")
    second = seeds["002_aa0b2b830c5057bb"].text
    assert "\n\nIn seeking to salvage the JCPOA" in second
    # Attribution lines are kept: they are where the page states its outlet, and answers quote them.
    assert "\n\nAlso published in National Interest\n\n" in second
    assert (
        "negotiating table in the first place...\n\nRead the full article on the National Interest website."
        "\n\nABOUT THE AUTHORS"
    ) in second
    fourth = seeds["004_95f31d63a59dd7b7"].text
    assert fourth.startswith(
        "23.05.19\n\nHOW RUSSIA IS TRYING TO HELP DEFUSE US-IRAN TENSIONS\n\nRussian President"
    )
    # The whole author box is kept (name, role, location, expertise, work), and where it lies is recorded.
    assert (
        "soberly modest.\n\nOriginal publication al-monitor.com\n\n"
        "Source: How Russia is trying to help defuse US-Iran tensions\n\nAUTHOR\n\nMaxim Suchkov\n\n"
        "Senior Fellow\n\nLocation: Moscow, Russia"
    ) in fourth
    assert fourth.endswith(
        "Visiting Research Fellow at the University of New York and Georgetown University."
    )
    for document in seeds.values():
        box = document.text[min(a for a, _ in document.author_box) :]
        assert box.split("\n\n")[0] in ("ABOUT THE AUTHORS", "AUTHOR")
        assert max(b for _, b in document.author_box) == len(document.text)


# --- general rules on small pages written here ----------------------------------------------------


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def test_a_duplicated_header_is_dropped(tmp_path: Path) -> None:
    page = (
        "A Title Here\n\nby Jo Smith\n\nA Title Here\n\nby Jo Smith\n\n11 January 2022\n\n"
        "The body of the article.\n\nRELATED\n\nAnother story about the Olympics\n"
    )
    document = load_file(_write(tmp_path, "page.txt", page), tmp_path)[0]
    assert document.text == "A Title Here\n\nby Jo Smith\n\n11 January 2022\n\nThe body of the article."
    assert (document.title, document.authors, document.date) == ("A Title Here", ("Jo Smith",), "2022-01-11")
    original = _original(document)
    span = document.source_span(0, len(document.text))
    assert span is not None
    assert span[0] == original.index("A Title Here", 1)  # the second copy is the one kept
    assert original[span[0] : span[1]].endswith("The body of the article.")


def test_plain_prose_comes_through_unchanged(tmp_path: Path) -> None:
    prose = (
        "On Gardens\n\nA garden is a plan.\nIt grows by itself.\n\nWeeds, however, grow faster (mostly).\n"
    )
    document = load_file(_write(tmp_path, "notes/gardens.txt", prose), tmp_path)[0]
    assert document.text == prose.strip()
    assert document.title == "On Gardens"
    assert document.doc_id == "notes/gardens"
    assert document.segments[0].clean_start == 0 and len(document.segments) == 1
    long_first = "word " * 60 + "end.\n\nSecond paragraph.\n"
    untitled = load_file(_write(tmp_path, "untitled.txt", long_first), tmp_path)[0]
    assert untitled.title == "untitled"
    assert untitled.text == long_first.strip()


def test_markdown_front_matter_links_and_emphasis(tmp_path: Path) -> None:
    markdown = (
        '---\ntitle: "Front Title"\nauthor: Kim Lee\ndate: 2020-03-04\nurl: https://example.org/a\n---\n'
        "# The *Heading*\n\nSee [the report \\(/r/1\\)](/r/1) and **bold words** for \\$5.\n"
    )
    document = load_file(_write(tmp_path, "post.md", markdown), tmp_path)[0]
    # The lines stating who wrote it and when stay, as written, so an answer can quote them where they are.
    assert (
        document.text
        == "author: Kim Lee\ndate: 2020-03-04\n\nThe Heading\n\nSee the report and bold words for $5."
    )
    assert (document.title, document.authors, document.date, document.url) == (
        "Front Title",
        ("Kim Lee",),
        "2020-03-04",
        "https://example.org/a",
    )
    no_front = load_file(_write(tmp_path, "plain.md", "Intro line\n\n# Real Title\n\nText.\n"), tmp_path)[0]
    assert no_front.title == "Real Title"
    original = _original(document)
    for s in document.segments:
        assert original[s.source_start : s.source_end] == document.text[s.clean_start : s.clean_end]


def test_markdown_code_blocks_are_copied_as_written(tmp_path: Path) -> None:
    # "# comment" lines in code are not headings, and "*args*"/"__init__" are not emphasis, even when a blank
    # line inside the block splits it into paragraphs; the prose around it is still cleaned.
    markdown = (
        "# Setup\n\nRun **this**:\n\n```bash\n# install the tools\npip install -e .\n\n"
        "# then the *tests*\npytest -q  # __init__ too\n```\n\nAfter the *code*, more text.\n\n"
        "~~~\n## not a heading\n~~~\n"
    )
    document = load_file(_write(tmp_path, "guide.md", markdown), tmp_path)[0]
    assert document.text == (
        "Setup\n\nRun this:\n\n```bash\n# install the tools\npip install -e .\n\n"
        "# then the *tests*\npytest -q  # __init__ too\n```\n\nAfter the code, more text.\n\n"
        "~~~\n## not a heading\n~~~"
    )
    original = _original(document)
    for s in document.segments:
        assert original[s.source_start : s.source_end] == document.text[s.clean_start : s.clean_end]


def test_a_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.md", b"\xef\xbb\xbf# Title\n\nText here.\n")
    document = load_file(path, tmp_path)[0]
    assert (document.title, document.text) == ("Title", "Title\n\nText here.")
    original = _original(document)  # plain UTF-8 decoding keeps the mark as character 0; offsets count it
    for s in document.segments:
        assert original[s.source_start : s.source_end] == document.text[s.clean_start : s.clean_end]


HTML_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Tom &amp; Jerry | Example Site</title>
<meta property="og:title" content="Tom &amp; Jerry Make Peace">
<meta name="author" content="Ann Writer">
<meta property="article:published_time" content="2023-03-05T10:00:00Z">
<link rel="canonical" href="https://example.com/news/tom-jerry">
<style>body { color: red; }</style>
<script>var tracker = "secret script text";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">Navigation menu</a></nav>
<article>
<p>The cat and   the
   mouse signed a <b>truce</b> on Monday&nbsp;morning.</p>
<p>&ldquo;It was time,&rdquo; said Tom. AT&amp;T paid.</p>
<ul><li>First point</li><li>Second point</li></ul>
</article>
<aside>Sponsored: cheese</aside>
<footer>Copyright 2023</footer>
</body></html>
"""


def test_html_page(tmp_path: Path) -> None:
    document = load_file(_write(tmp_path, "page.html", HTML_PAGE), tmp_path)[0]
    # The meta tags that state who wrote the page and when come first, as written, so an answer can quote them.
    assert document.text == (
        'name="author" content="Ann Writer"\n'
        'property="article:published_time" content="2023-03-05T10:00:00Z"\n\n'
        "The cat and the mouse signed a truce on Monday morning.\n\n"
        "“It was time,” said Tom. AT&T paid.\n\nFirst point\n\nSecond point"
    )
    assert document.title == "Tom & Jerry Make Peace"
    assert document.authors == ("Ann Writer",)
    assert document.date == "2023-03-05"
    assert document.url == "https://example.com/news/tom-jerry"
    original = _original(document)
    covered = set()
    for s in document.segments:
        assert original[s.source_start : s.source_end] == document.text[s.clean_start : s.clean_end]
        covered.update(range(s.clean_start, s.clean_end))
    # Decoded entities are inserted text, not copies of the file.
    assert document.text.index("“") not in covered and document.text.index("&") not in covered
    assert document.text.index("truce") in covered


def _pdf(pages: list[list[str]], info: str) -> bytes:
    """A minimal valid PDF, one Helvetica text stream per page (no PDF writer library needed)."""
    n = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
        + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = (
            b"BT /F1 12 Tf 72 720 Td 14 TL "
            + b" ".join(b"(%s) Tj T*" % line.encode() for line in lines)
            + b" ET"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops))
    objects.append(info.encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def test_pdf_pages_and_metadata(tmp_path: Path) -> None:
    data = _pdf(
        [["A Study of Gardens", "Plants grow in spring."], ["Page two holds the results."]],
        "<< /Title (Gardens Study) /Author (Jane Roe; John Doe) /CreationDate (D:20200102030405Z) >>",
    )
    document = load_file(_write(tmp_path, "study.pdf", data), tmp_path)[0]
    assert document.text == "A Study of Gardens\nPlants grow in spring.\n\nPage two holds the results."
    assert document.page_starts == (0, document.text.index("Page two"))
    assert document.page_of(document.text.index("Plants")) == 1
    assert document.page_of(document.text.index("results")) == 2
    assert (document.title, document.authors, document.date) == (
        "Gardens Study",
        ("Jane Roe", "John Doe"),
        "2020-01-02",
    )
    assert document.segments == ()
    untitled = load_file(
        _write(tmp_path, "plain.pdf", _pdf([["First Line Title", "body"]], "<< >>")), tmp_path
    )[0]
    assert untitled.title == "First Line Title"
    blank = _write(tmp_path, "blank.pdf", _pdf([[]], "<< >>"))
    with pytest.raises(UnreadableFileError, match="no extractable text"):
        load_file(blank, tmp_path)


def test_beir_jsonl(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        '{"_id": 7, "title": "Gene X", "text": "Gene X regulates Y.", "metadata": {}}',
        "{not json",
        "",
        '{"_id": "b2", "title": "Second", "text": "Another abstract."}',
        '{"title": "no id", "text": "orphan"}',
    ]
    path = _write(tmp_path, "corpus.jsonl", "\n".join(lines) + "\n")
    with caplog.at_level(logging.WARNING):
        result = load_documents([path])
    assert [d.doc_id for d in result.documents] == ["7", "b2"]
    first = result.documents[0]
    assert (first.title, first.text, first.segments) == ("Gene X", "Gene X regulates Y.", ())
    assert first.source_path == str(path)
    assert [s.path for s in result.skipped] == [f"{path}:2", f"{path}:5"]
    assert "line 2 of" in caplog.text and "corpus.jsonl" in caplog.text and "line 5 of" in caplog.text


# --- broken input never stops a run ---------------------------------------------------------------


def test_broken_files_are_skipped_with_a_warning_and_the_rest_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, "good.txt", "Good Title\n\nGood body text.\n")
    _write(tmp_path, "also-good.md", "# Markdown\n\nMore text.\n")
    _write(tmp_path, "empty.txt", "")
    _write(tmp_path, "blank.md", " \n\n  \n")
    _write(tmp_path, "binary.txt", b"\x00\x01\x02PNG\x00" * 50)
    _write(tmp_path, "latin1.txt", "Café crème, déjà vu.\n".encode("latin-1"))
    _write(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n")
    _write(tmp_path, "slides.docx", b"PK\x03\x04 not supported")
    _write(tmp_path, "records.jsonl", '{"_id": "r1", "title": "T", "text": "ok"}\n{"_id": "r2", "text": \n')
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)  # sparse: over the limit without writing 50 MB
    locked = _write(tmp_path, "locked.txt", "Secret\n\nText.\n")
    locked.chmod(0)
    root_reads_anything = os.geteuid() == 0
    _write(tmp_path, ".hidden.txt", "never seen")
    try:
        with caplog.at_level(logging.DEBUG, logger="rag.ingest"):
            result = load_documents([tmp_path])
    finally:
        locked.chmod(0o644)
    assert isinstance(result, IngestResult)
    loaded = {d.doc_id for d in result.documents}
    assert {"good", "also-good", "r1"} <= loaded
    reasons = {Path(s.path.split(":")[0]).name: s.reason for s in result.skipped}
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.md"]
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"] and "re-save it as UTF-8" in reasons["latin1.txt"]
    assert "pypdf cannot parse" in reasons["broken.pdf"]
    assert "unsupported file type '.docx'" in reasons["slides.docx"]
    assert "50 MB" in reasons["huge.txt"]
    assert "records.jsonl" in reasons
    if root_reads_anything:
        assert "locked" in loaded
    else:
        assert "permission denied" in reasons["locked.txt"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for name in ("empty.txt", "blank.md", "binary.txt", "latin1.txt", "broken.pdf", "huge.txt"):
        assert any(name in w for w in warnings), name
    assert any("records.jsonl" in w and "line 2" in w for w in warnings)
    assert not any("slides.docx" in w for w in warnings)  # unsupported is reported, but only at debug level
    assert any("slides.docx" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert ".hidden" not in " ".join(s.path for s in result.skipped) and ".hidden" not in loaded


def test_load_file_raises_a_rag_error_for_broken_input(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="not UTF-8") as info:
        load_file(_write(tmp_path, "x.txt", b"caf\xe9\n"), tmp_path)
    assert isinstance(info.value, RagError)
    with pytest.raises(UnsupportedFileTypeError, match=r"\.txt"):
        load_file(_write(tmp_path, "x.rtf", "{\\rtf1}"), tmp_path)
    assert ".jsonl" in SUPPORTED_SUFFIXES


def test_files_that_would_share_an_id_keep_ids_of_their_own(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "First\n\nfrom markdown\n")
    _write(tmp_path, "a.txt", "Second\n\nfrom text\n")
    result = load_documents([tmp_path])
    assert [(d.doc_id, Path(d.source_path).name) for d in result.documents] == [
        ("a", "a.md"),
        ("a.txt", "a.txt"),
    ]
    assert result.skipped == [] and "'a.txt'" in result.renamed[0]
    again = load_documents([tmp_path, tmp_path / "a.txt"])  # sources that overlap: each file once
    assert [d.doc_id for d in again.documents] == ["a", "a.txt"]


def test_missing_source_raises_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(SourceNotFoundError, match="nowhere"):
        load_documents([SEEDS, missing])


def test_find_source_files_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.md", "a/b.txt", ".git/config", "a/.cache/x.txt", ".hidden.txt"):
        _write(tmp_path, name, "x")
    single = _write(tmp_path, "elsewhere/one.txt", "x")
    found = find_source_files([tmp_path / "a", str(tmp_path / "b.txt"), single])
    assert found == [
        (tmp_path / "a" / "b.txt", tmp_path / "a"),
        (tmp_path / "a" / "z.md", tmp_path / "a"),
        (tmp_path / "b.txt", tmp_path),
        (single, single.parent),
    ]
    nested = [f.relative_to(tmp_path).as_posix() for f, _ in find_source_files([tmp_path])]
    assert nested == ["a/b.txt", "a/z.md", "b.txt", "elsewhere/one.txt"]


def test_read_source_text_is_what_segments_index(seeds: dict[str, Document]) -> None:
    document = seeds["002_aa0b2b830c5057bb"]
    assert read_source_text(Path(document.source_path)) == _original(document)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Jan 11, 2022", "2022-01-11"),
        ("January 11, 2022", "2022-01-11"),
        ("11 January 2022", "2022-01-11"),
        ("2022-01-11", "2022-01-11"),
        ("2022-01-11T08:00:00+00:00", "2022-01-11"),
        ("23.05.19", "2019-05-23"),
        ("23.05.2019", "2019-05-23"),
        ("Sept. 3, 2020", "2020-09-03"),
        ("Published on March 2, 2021", "2021-03-02"),
        ("February 16, 2022, starting at 12:00 p.m. EST (1700 GMT)", None),
        ("It happened on Jan 11, 2022.", None),
        ("31.02.2020", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# --- the SciFact corpus ---------------------------------------------------------------------------


@pytest.mark.skipif(not (SCIFACT / "corpus.jsonl").exists(), reason="shared SciFact data not present")
def test_scifact_corpus_loads_fast() -> None:
    started = time.perf_counter()
    result = load_documents([SCIFACT / "corpus.jsonl"])
    elapsed = time.perf_counter() - started
    assert len(result.documents) == 5183 and result.skipped == []
    assert elapsed < 5.0
    document = result.documents[0]
    assert document.doc_id == "4983" and document.title.startswith("Microstructural development")
    assert not document.text.startswith(document.title)


def test_a_byline_with_its_dateline_on_the_next_line(tmp_path: Path) -> None:
    # "By ..." and "Published ..." written as one block under the title: both read, both kept as text.
    page = (
        "Kiln fire closes pottery school\n\nBy Ola Brandt\nPublished 9 October 2024\n\n"
        "The pottery school on Dock Lane will stay closed for a month after a fire in its kiln room.\n"
    )
    document = load_file(_write(tmp_path, "kiln.txt", page), tmp_path)[0]
    assert document.authors == ("Ola Brandt",) and document.date == "2024-10-09"
    assert "By Ola Brandt\nPublished 9 October 2024" in document.text
    # a paragraph that merely starts with "By" is not a byline
    prose = "Kiln fire\n\nBy noon the fire was out.\nThe school will reopen.\n\nMore text follows here.\n"
    assert load_file(_write(tmp_path, "prose.txt", prose), tmp_path)[0].authors == ()


@pytest.mark.parametrize(
    "byline",
    ["*By Ola Brandt · 9 October 2024*", "By Ola Brandt | October 9, 2024", "By Ola Brandt, 9 October 2024"],
)
def test_a_byline_with_its_date_on_the_same_line(tmp_path: Path, byline: str) -> None:
    page = (
        f"# Kiln fire closes pottery school\n\n{byline}\n\nThe pottery school will stay closed for a month.\n"
    )
    document = load_file(_write(tmp_path, "kiln.md", page), tmp_path)[0]
    assert document.authors == ("Ola Brandt",) and document.date == "2024-10-09"


@pytest.mark.parametrize(
    ("header", "title", "authors", "date"),
    [
        # title, byline and dateline on lines of their own, with no blank line between them
        (
            "Why the town needs its night bus\nBy Ifa Sanders\nOpinion | 5 May 2026",
            "Why the town needs its night bus",
            ("Ifa Sanders",),
            "2026-05-05",
        ),
        (
            "Rovers 3 Town 2: late header settles it\nBy Con Price\nSunday 22 March 2026",
            "Rovers 3 Town 2: late header settles it",
            ("Con Price",),
            "2026-03-22",
        ),
        # what follows the name in a byline says where its writer works, not who else wrote it
        (
            "KETTLE RECALL: model BK-2\nBy Hana Okoro, Consumer Safety Desk\nPublished 14 March 2026",
            "KETTLE RECALL: model BK-2",
            ("Hana Okoro",),
            "2026-03-14",
        ),
        (
            "# Hay fever advice\n\nBy Dr Ann Wu, Wrenfield Health Centre\nReviewed 3 April 2026",
            "Hay fever advice",
            ("Dr Ann Wu",),
            "2026-04-03",
        ),
        (
            "# tidysync\n\nBy Dara White\nLast updated: 11 January 2026",
            "tidysync",
            ("Dara White",),
            "2026-01-11",
        ),
        # a line that is neither title, byline nor date stays text; the date under it is still the date
        (
            "District Council - Planning Decision\nApplication 26/0418: conversion of the old mill\n"
            "Date of decision: 9 April 2026",
            "District Council - Planning Decision",
            (),
            "2026-04-09",
        ),
        # of a byline's parts set apart by a dash, the first names the writer; a role after a comma is none
        (
            "# A keeper's life\n\n*By Ewan Bray — Heritage Society, Local Lives series, no. 12*",
            "A keeper's life",
            ("Ewan Bray",),
            None,
        ),
        (
            "# Convention programme\n\n**Compiled by** Rosa Acton, Programme Secretary",
            "Convention programme",
            ("Rosa Acton",),
            None,
        ),
        # the date, then who: "Posted on <date> by <name>, <role>"
        (
            "Library hours to change\nPosted on 4 March 2026 by Hana Noak, Library Services Manager",
            "Library hours to change",
            ("Hana Noak",),
            "2026-03-04",
        ),
        # a paper's authors set apart from its journal and date
        (
            "# Mulch and yield\n\n**Nadia Ferr, Jonas Hul and Bea Lom** · *Horticulture Reports*, vol. 12 · "
            "published 2 December 2025",
            "Mulch and yield",
            ("Nadia Ferr", "Jonas Hul", "Bea Lom"),
            "2025-12-02",
        ),
        # a date under its label in one part of a header line
        (
            "# Admissions: questions\n\n*Kelby University Admissions Office — last updated 8 August 2026*",
            "Admissions: questions",
            ("Kelby University Admissions Office",),
            "2026-08-08",
        ),
        (
            "Budget at a glance\nFenby District Council — Finance Committee\n"
            "Summary published 3 February 2027, prepared by the finance officer",
            "Budget at a glance",
            (),
            "2027-02-03",
        ),
        # a title that names a date is the title, not a dateline
        ("Elections on 5 May 2026\n\nBy Kim Lee", "Elections on 5 May 2026", ("Kim Lee",), None),
        # who, then the date after "on"
        (
            "Two kettles compared: which should you buy?\n\nPosted by Rhona Vell on 3 March 2026",
            "Two kettles compared: which should you buy?",
            ("Rhona Vell",),
            "2026-03-03",
        ),
        # a title that ends with its date, then who wrote it up, for whom
        (
            "Walk report: Carrow Head and the dunes, Sunday 14 September 2026\n"
            "Written up by Ilsa Brand for the Fenwold Walking Club",
            "Walk report: Carrow Head and the dunes, Sunday 14 September 2026",
            ("Ilsa Brand",),
            "2026-09-14",
        ),
        # a post in lower case before the name is no part of it
        (
            "Site rules\n\nPosted on 2 June 2026 by site warden Ned Sorrel",
            "Site rules",
            ("Ned Sorrel",),
            "2026-06-02",
        ),
    ],
)
def test_header_lines_give_title_author_and_date(
    tmp_path: Path, header: str, title: str, authors: tuple[str, ...], date: str | None
) -> None:
    page = f"{header}\n\nThe council approved the plans on a vote of six to three after a long debate.\n"
    document = load_file(_write(tmp_path, "page.md", page), tmp_path)[0]
    assert (document.title, document.authors, document.date) == (title, authors, date)
    # every header line is still text, quotable where the file has it
    for line in header.replace("# ", "").split("\n"):
        assert re.sub(r"\*+", "", line).strip() in document.text  # (less its emphasis)
