"""Documents with headings are chunked section by section, and each chunk carries its heading path.

The guide below has the shape of a software README that grew: a long section of prose runs on right up to the
short *Chunking* section, so a chunker that packs sentences regardless of headings puts the *Chunking* heading
and its first sentence at the tail of a chunk about something else (and that chunk is then not what a question
about chunk size finds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import ask, build_index
from rag.index.build import index_text
from rag.index.chunking import ChunkerSettings, chunk_document
from rag.index.sections import heading_path
from rag.ingest import load_documents
from rag.types import Document

_RETRIEVAL = " ".join(
    f"Step {i} of retrieval weighs the dense cosine of a passage against its keyword score, and the fusion "
    f"keeps the passages that both of them rank high for question number {i}."
    for i in range(1, 7)
)

GUIDE = f"""# Lantern: answers from your notes

Lantern reads a folder of notes and answers questions about them in a browser.

## Two commands

```bash
# 1. Install everything and start the browser chat
make setup && lantern serve

# 2. Install everything and run the tests
make check
```

## How it works

### Retrieval

{_RETRIEVAL}

### Chunking

Notes are cut into pieces of at most 120 words with 20 words carried over, because a note's key fact then
always falls whole inside one piece. The piece size was picked by measuring answers on a set of questions.

### Abstention

When no sentence is close enough to the question, Lantern says that the notes do not answer it.

## Tests

`make check` runs every test that is not marked slow, with the real models and real files.
"""


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guide") / "docs"
    folder.mkdir()
    (folder / "guide.md").write_text(GUIDE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def guide_document(guide: Path) -> Document:
    return load_documents([guide]).documents[0]


@pytest.fixture(scope="module")
def guide_index(guide: Path, tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("guide-index") / "vectors"
    build_index([guide], index_dir=index_dir)
    return index_dir


def _heading_starts(document: Document, name: str) -> int:
    return next(a for a, b, _ in document.headings if document.text[a:b] == name)


def test_markdown_headings_are_recorded_with_their_level(guide_document: Document) -> None:
    text = guide_document.text
    found = [(text[a:b], level) for a, b, level in guide_document.headings]
    assert ("Two commands", 2) in found and ("Chunking", 3) in found and ("Tests", 2) in found
    assert all(not text[a:b].startswith("#") for a, b, _ in guide_document.headings)  # the cleaned line
    # a "# comment" inside a code block is code, not a heading
    assert not any("Install everything" in name for name, _ in found)


def test_no_chunk_runs_on_past_a_heading(guide_document: Document) -> None:
    settings = ChunkerSettings(chunk_tokens=200, overlap_tokens=40)
    chunks = chunk_document(guide_document, settings)
    text = guide_document.text
    assert all(c.text == text[c.start : c.end] for c in chunks)
    starts = {c.start for c in chunks}
    for name in ("Two commands", "Chunking", "Abstention", "Tests"):
        at = _heading_starts(guide_document, name)
        assert at in starts, name  # the section begins a chunk ...
        assert not any(c.start < at < c.end for c in chunks), name  # ... and no chunk reaches over it
    # The code block stays whole in its section's chunk.
    block = next(c.text for c in chunks if "```bash" in c.text)
    assert block.count("```") == 2


def test_a_code_block_is_never_cut_at_a_full_stop_inside_it(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    lead = "Before the commands, this paragraph says in plain words what the setup does and why it is needed."
    (notes / "setup.md").write_text(
        f"# Setup\n\n## Install\n\n{lead}\n\n```bash\n# 1. Install everything and start the chat\n"
        "make setup && kiln serve\n\n# 2. Install everything and run the tests\nmake check\n```\n\n"
        "After the commands, the chat opens in the browser.\n",
        encoding="utf-8",
    )
    document = load_documents([notes]).documents[0]
    start = document.text.index("```bash")
    end = document.text.index("```", start + 3) + 3
    # A budget that holds the block, but not the block with the paragraph before it.
    chunks = chunk_document(document, ChunkerSettings(chunk_tokens=48, overlap_tokens=8))
    assert any(c.start <= start and end <= c.end for c in chunks)  # whole in one chunk
    assert not any(start < c.start < end or start < c.end < end for c in chunks)  # and in no piece
    # the prose after the block starts a chunk of its own, under the same heading path
    after = next(c for c in chunks if c.text.startswith("After the commands"))
    assert index_text(document, after).splitlines()[:2] == ["Setup", "Install"]


def test_a_heading_and_its_first_subsection_stay_together(guide_document: Document) -> None:
    chunks = chunk_document(guide_document, ChunkerSettings())
    how = _heading_starts(guide_document, "How it works")
    retrieval = _heading_starts(guide_document, "Retrieval")
    assert how in {c.start for c in chunks} and retrieval not in {c.start for c in chunks}


def test_every_chunk_is_indexed_with_its_heading_path(guide_document: Document) -> None:
    # Small chunks, so the long Retrieval section takes several: its later chunks do not contain the heading.
    chunks = chunk_document(guide_document, ChunkerSettings(chunk_tokens=48, overlap_tokens=8))
    inner = [c for c in chunks if c.text.startswith("Step 5")]
    assert inner and "Retrieval" not in inner[0].text
    assert heading_path(guide_document, inner[0].start) == ["How it works", "Retrieval"]
    assert index_text(guide_document, inner[0]).splitlines()[:2] == [
        "Lantern: answers from your notes",
        "How it works > Retrieval",
    ]
    # A chunk that opens with its own heading is not given that heading twice.
    first = next(c for c in chunks if c.start == _heading_starts(guide_document, "Chunking"))
    assert index_text(guide_document, first).splitlines()[1:3] == ["How it works", "Chunking"]


def test_a_question_names_a_section_by_all_the_words_of_its_heading(guide_document: Document) -> None:
    from rag.answer.section_routing import named_sections

    documents = {guide_document.doc_id: guide_document}

    def named(question: str) -> list[str]:
        return [guide_document.text[a:b] for _, a, b in named_sections(question, documents, documents)]

    assert named("What chunk size is used and why?") == ["Chunking"]  # "chunk" names *Chunking*
    assert named("How do I run the tests?") == ["Tests"]
    assert named("When does Lantern abstain from answering?") == []  # "abstain" is not "abstention"
    assert named("Who wrote the notes?") == []  # no heading's words
    # a heading of several words is named only by all of them ("How it works": "work" alone is ignored)
    assert named("How does retrieval work?") == ["Retrieval"]


def test_plain_text_without_headings_is_chunked_as_before(tmp_path: Path) -> None:
    from rag.index.chunking import chunk_text

    notes = tmp_path / "notes"
    notes.mkdir()
    body = "Short title\n\n" + " ".join(f"Plain sentence number {i} says a little more." for i in range(80))
    (notes / "plain.txt").write_text(body, encoding="utf-8")
    document = load_documents([notes]).documents[0]
    settings = ChunkerSettings(chunk_tokens=64, overlap_tokens=8)
    assert document.headings == ()
    spans = [(c.start, c.end) for c in chunk_document(document, settings)]
    assert spans == chunk_text(document.text, settings)


def test_html_headings_break_chunks_too(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    long = " ".join(f"The first part explains point {i} of the setup in plain words." for i in range(12))
    (pages / "page.html").write_text(
        "<html><head><title>Kiln guide</title></head><body><h1>Kiln guide</h1>"
        f"<h2>Setup</h2><p>{long}</p><h2>Firing</h2><p>Fire the kiln at 1200 degrees for eight hours.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    document = load_documents([pages]).documents[0]
    firing = _heading_starts(document, "Firing")
    chunks = chunk_document(document, ChunkerSettings(chunk_tokens=200, overlap_tokens=40))
    assert firing in {c.start for c in chunks}
    assert not any(c.start < firing < c.end for c in chunks)


def test_a_section_after_a_long_one_answers_its_questions(
    guide_index: Path, guide_document: Document
) -> None:
    answer = ask("What chunk size is used and why?", index_dir=guide_index)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Notes are cut into pieces of at most 120 words")
    how = ask("How do I run the tests?", index_dir=guide_index)
    assert not how.abstained and "make check" in how.citations[0].quote
    for a in (answer, how):
        for c in a.citations:
            assert c.verified and guide_document.text[c.start : c.end] == c.quote


# A frozen copy of the product's own README as it stood on 2026-11-30 (the live one changes every round): 216
# chunks, a paragraph that quotes both questions word for word, a shard-size table whose "why" column shares
# the chunk-size question's words, and the *Chunking* section right after a long one. Before chunks broke at
# headings, the first question quoted a paragraph about the local-model tests and the second a shard-size row.
# Kept as .txt so that no formatter rewrites its code blocks; indexed as README.md.
README_COPY = Path(__file__).resolve().parent / "data" / "readme-2026-11-30.md.txt"


@pytest.fixture(scope="module")
def readme_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    base = tmp_path_factory.mktemp("readme")
    copy = base / "README.md"
    copy.write_text(README_COPY.read_text(encoding="utf-8"), encoding="utf-8")
    build_index([copy], index_dir=base / "vectors")
    return base / "vectors"


def _verbatim_at_spans(answer, index_dir: Path) -> None:
    from rag.index.store import load_index

    documents = load_index(index_dir).documents
    assert answer.citations
    for c in answer.citations:
        assert c.verified and documents[c.doc_id].text[c.start : c.end] == c.quote


def test_the_readme_copy_says_how_to_run_the_tests_with_its_code_block(readme_index: Path) -> None:
    answer = ask("How do I run the tests?", index_dir=readme_index)
    assert not answer.abstained
    block = answer.citations[0].quote
    assert block.startswith("```bash") and block.rstrip().endswith("```")  # whole, shown as code
    assert "bash .ci/run" in block and "run the tests" in block
    assert answer.uncited == ()  # the block's lines and its heading label are the document's own words
    _verbatim_at_spans(answer, readme_index)


def test_the_readme_copy_says_what_chunk_size_is_used(readme_index: Path) -> None:
    answer = ask("What chunk size is used and why?", index_dir=readme_index)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Chunks are whole sentences packed up to 200 tokens")
    assert "shards" not in answer.text  # the shard-size table row shares the words, not the subject
    _verbatim_at_spans(answer, readme_index)


def test_the_readme_copy_answers_a_how_to_with_the_block_of_the_section_it_names(readme_index: Path) -> None:
    # *Evaluation* opens with a synopsis block and no comment: its heading says what the block is for.
    answer = ask("How do I evaluate the answers on a question set?", index_dir=readme_index)
    assert not answer.abstained
    assert answer.text.startswith("Under *Evaluation*:")
    assert answer.citations[0].quote.startswith("```bash\nrag eval QUESTIONS.jsonl")
    _verbatim_at_spans(answer, readme_index)


def test_the_readme_copy_answers_a_table_value_with_its_row_under_the_header(readme_index: Path) -> None:
    # The answer is a row of the *Configuration* table, which spans several chunks; no section is named.
    answer = ask("What is the default abstention threshold?", index_dir=readme_index)
    assert not answer.abstained
    header, row = (c.quote for c in answer.citations[:2])
    assert header == "| variable | default | meaning |"
    assert "`RAG_ABSTAIN_THRESHOLD` | 0.572 |" in row and row.startswith("|") and row.endswith("|")
    _verbatim_at_spans(answer, readme_index)


TOOL_README = """# gridlog

By Ines Marr
Last updated: 4 March 2026

gridlog is a small command-line tool that rotates and compresses the log files of a web server. It keeps the
last seven days of logs and never touches files outside the folder it is given.

## Requirements

- Node 18 or newer
- Write access to the log folder

## Known limitations

Logs larger than 2 GB are not rotated. Network drives are not supported.

## Licence

gridlog is released under the Apache licence. Bug reports go to the issue tracker.
"""


@pytest.fixture(scope="module")
def tool_readme(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    from tests.conftest import index_of

    return index_of(tmp_path_factory, "tool-readme", {"README.md": TOOL_README})


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        # "Node 18 or newer" says what it is only under the tool's name and "Requirements"
        ("What version of Node does gridlog need?", "Node 18 or newer"),
        ("What is the biggest log gridlog will rotate?", "Logs larger than 2 GB are not rotated."),
    ],
)
def test_a_line_is_read_under_its_title_and_headings(tool_readme: Path, question: str, quote: str) -> None:
    from tests.conftest import ask_checked

    answer = ask_checked(question, tool_readme)
    assert not answer.abstained and answer.citations[0].quote == quote, answer.text
