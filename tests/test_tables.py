"""Tables in documents with headings: a row is never cut, a table longer than a chunk keeps its header.

The manual below has a configuration table of 30 rows, several chunks long, whose cells end with full stops
(where a sentence splitter would cut). A question about one option's value is answered with that option's
row, quoted whole under the table's header row, each quote verbatim at its span; the header comes from the
first chunk of the table, where it is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import index_of

from rag import ask, build_index
from rag.index.chunking import ChunkerSettings, chunk_document
from rag.ingest import load_documents
from rag.types import Document

_OPTIONS = [
    ("bind_address", "`0.0.0.0`", "Address the daemon listens on."),
    ("listen_port", "7421", "Port the daemon listens on."),
    ("spool_dir", "`/var/spool/kiln`", "Folder where queued firings wait."),
    ("max_temperature", "1280", "Highest temperature a programme may ask for, in degrees."),
    ("ramp_rate", "150", "Degrees per hour the kiln heats by default."),
    ("hold_minutes", "20", "Minutes the kiln holds its top temperature."),
    ("cool_rate", "80", "Degrees per hour the kiln cools by when cooling is controlled."),
    ("thermocouple", "`type-k`", "Kind of thermocouple fitted; `type-s` for porcelain."),
    ("alarm_email", "none", "Address mailed when a firing stops with an error."),
    ("log_retention_days", "365", "Days firing logs are kept before they are deleted."),
    ("vent_delay", "45", "Minutes after the start of a firing before the vent closes."),
    ("door_lock", "`true`", "Lock the door while the kiln is above 200 degrees."),
    ("power_limit_kw", "11", "Most power the elements may draw together, in kilowatts."),
    ("element_check", "`weekly`", "How often the elements' resistance is measured."),
    ("cone_table", "`orton`", "Table that turns a cone number into a temperature."),
    ("display_units", "`celsius`", "Units shown on the panel and in logs."),
    ("startup_delay", "0", "Minutes to wait before a queued firing starts."),
    ("night_tariff", "`false`", "Start queued firings only in the night tariff hours."),
    ("tariff_start", "`22:00`", "Start of the night tariff hours."),
    ("tariff_end", "`06:00`", "End of the night tariff hours."),
    ("relay_cycle_seconds", "30", "Length of one on-off cycle of the relays, in seconds."),
    ("overshoot_limit", "15", "Degrees over the target that stop a firing."),
    ("sensor_poll_ms", "500", "Milliseconds between two temperature readings."),
    ("api_token", "none", "Token each remote request must carry."),
    ("panel_brightness", "70", "Brightness of the front panel, in percent."),
    ("buzzer", "`true`", "Sound the buzzer when a firing ends."),
    ("history_size", "200", "Firings listed on the history page."),
    ("firmware_channel", "`stable`", "Which firmware updates are offered."),
    ("backup_dir", "none", "Folder that receives a nightly copy of the settings."),
    ("language", "`en`", "Language of the panel and the web pages."),
]
HEADER = "| Option | Default | Meaning |"
TABLE = "\n".join([HEADER, "| --- | --- | --- |", *(f"| `{k}` | {v} | {m} |" for k, v, m in _OPTIONS)])
MANUAL = f"""# Kiln controller

The kiln controller runs firing programmes and logs every firing.

## Installation

```bash
pip install kiln-controller
kiln init
```

## Settings

Every setting lives in `kiln.toml`; an environment variable `KILN_` plus the name in capitals overrides it.

{TABLE}

## Support

Questions go to the mailing list.
"""


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("manual") / "docs"
    folder.mkdir()
    (folder / "kiln.md").write_text(MANUAL, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def manual_document(manual: Path) -> Document:
    return load_documents([manual]).documents[0]


@pytest.fixture(scope="module")
def manual_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "manual-index", {"kiln.md": MANUAL})


def _rows(document: Document) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"^\|.*\|$", document.text, re.MULTILINE)]


def test_a_table_longer_than_a_chunk_is_cut_between_rows_only(manual_document: Document) -> None:
    chunks = chunk_document(manual_document, ChunkerSettings())
    rows = _rows(manual_document)
    assert len(rows) == 32
    in_table = [c for c in chunks if any(a < c.end and c.start < b for a, b in rows)]
    assert len(in_table) >= 3  # the table is longer than a chunk ...
    for c in chunks:  # ... and no chunk starts or ends inside a row
        assert not any(a < c.start < b or a < c.end < b for a, b in rows), c.text
    # every row is whole in some chunk, and a later chunk of the table starts with a whole row
    assert all(any(c.start <= a and b <= c.end for c in chunks) for a, b in rows)
    assert all(c.text.startswith("| `") for c in in_table[1:])


def test_a_row_of_a_later_chunk_is_quoted_under_the_header_from_its_own_span(manual_index: Path) -> None:
    from rag.index.store import load_index

    document = load_index(manual_index).documents["kiln"]
    for question, key, value in [
        ("What is the default value of overshoot_limit?", "overshoot_limit", "15"),
        ("How many firings are listed on the history page by default?", "history_size", "200"),
    ]:
        answer = ask(question, index_dir=manual_index)
        assert not answer.abstained, question
        quotes = [c.quote for c in answer.citations]
        assert quotes[:1] == [HEADER], question  # the header first, quoted from where it is written
        assert (
            key in quotes[1] and value in quotes[1] and quotes[1].startswith("|") and quotes[1].endswith("|")
        )
        header, row = answer.citations[:2]
        assert header.start == document.text.index(HEADER)  # the header's own span, not repeated text
        assert row.start > header.end
        for c in answer.citations:
            assert c.verified and document.text[c.start : c.end] == c.quote


def test_an_option_the_table_does_not_have_is_not_answered_with_another_row(manual_index: Path) -> None:
    answer = ask("What is the default value of the glaze_colour option?", index_dir=manual_index)
    assert answer.abstained, answer.text  # not the row of another option that shares "default value"
    assert (
        not answer.citations and "none of them mentions `glaze_colour`" in answer.text
    )  # says what is missing


def test_a_question_naming_an_option_gets_that_options_row(manual_index: Path) -> None:
    # tariff_start and tariff_end mean nearly the same words; the name decides, in any of its spellings
    for question in ["When does the tariff_end setting say the night hours stop?", "What is `TARIFF_END`?"]:
        answer = ask(question, index_dir=manual_index)
        assert [c.quote for c in answer.citations][:2] == [
            HEADER,
            "| `tariff_end` | `06:00` | End of the night tariff hours. |",
        ]


PAGE = """<html><head><title>Kiln care</title></head><body><h1>Kiln care</h1>
<h2>Cleaning</h2><p>Vacuum the floor of the kiln after every tenth firing, with the power off.</p>
<h2>Element life</h2><p>Elements wear out with use, as the table shows.</p>
<table>
<tr><th>Firing temperature</th><th>Firings per element set</th></tr>
<tr><td>Up to 1000 degrees</td><td>About <b>400</b> firings</td></tr>
<tr><td>1000 to 1200 degrees</td><td>About 150 firings</td></tr>
<tr><td>Above 1200 degrees</td><td>About 60 firings</td></tr>
</table>
<h2>Shelves</h2><p>Coat the shelves with kiln wash once a year.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def page_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "page", {"care.html": PAGE})


def test_an_html_table_is_kept_as_rows_under_its_header(tmp_path: Path) -> None:
    (tmp_path / "care.html").write_text(PAGE, encoding="utf-8")
    document = load_documents([tmp_path]).documents[0]
    assert (
        "| Firing temperature | Firings per element set |\n| --- | --- |\n"
        "| Up to 1000 degrees | About 400 firings |\n" in document.text
    )
    # each cell's words map back to the file; only the bars and line breaks are inserted
    at = document.text.index("About 400 firings")
    source = [s for s in document.segments if s.clean_start <= at < s.clean_end]
    assert source and PAGE[source[0].source_start + at - source[0].clean_start :].startswith("About <b>400")


def test_a_value_in_an_html_table_is_answered_with_its_row(page_index: Path) -> None:
    answer = ask("How many firings does an element set last above 1200 degrees?", index_dir=page_index)
    assert not answer.abstained, answer.text
    quotes = [c.quote for c in answer.citations]
    assert quotes[:2] == [
        "| Firing temperature | Firings per element set |",
        "| Above 1200 degrees | About 60 firings |",
    ]


def test_a_table_row_is_one_sentence_so_no_quote_starts_or_ends_inside_one() -> None:
    from rag.index.sentences import split_sentences

    text = f"Intro sentence one. Intro sentence two.\n\n{TABLE}\n\nAfter the table. The end."
    found = [text[s:e] for s, e in split_sentences(text)]
    assert found[:2] == ["Intro sentence one.", "Intro sentence two."] and found[-2:] == [
        "After the table.",
        "The end.",
    ]
    rows = found[2:-2]
    assert rows == TABLE.split("\n")  # each row whole, though its cells end with full stops
    # prose whose lines merely hold a bar is still split as prose
    assert len(split_sentences("Prose with a bar | inside it. Then more | text here.")) == 2


def test_an_index_whose_table_chunks_were_cut_under_the_old_layout_is_rechunked(
    manual: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "vectors"
    build_index([manual], index_dir=index_dir, progress=False)
    again = build_index([manual], index_dir=index_dir, progress=False)
    assert again.unchanged == 1 and again.embedded_chunks == 0  # the same layout: chunks and vectors reused

    # An index built before rows were kept whole records no layout for the document.
    generation = index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["documents"].values():
        assert entry.pop("layout") == "2"
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    rebuilt = build_index([manual], index_dir=index_dir, progress=False)
    assert rebuilt.unchanged == 0 and rebuilt.embedded_chunks > 0
