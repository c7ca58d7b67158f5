"""rag.collection: the document list, one document's text, and adding uploaded files to an index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rag
from rag.collection import UPLOADS, safe_upload_name

NOTE = (
    "# The Zelenograd observatory\n\n"
    "The Zelenograd observatory was founded by the astronomer Irina Volkova in 1987 on a hill north of the town.\n\n"
    "Its main telescope, a 60-centimetre reflector, was built by a cooperative of glassmakers from Klin.\n"
)


@pytest.fixture
def index(seeds_index: Path, tmp_path: Path) -> Path:
    """A private copy of the session's seeds index (with its seeds), free to be changed by a test."""
    shutil.copytree(seeds_index.parent, tmp_path / "copy")
    return tmp_path / "copy" / "vectors"


def test_list_documents_gives_metadata_and_chunk_counts(seeds_index):
    documents = rag.list_documents(seeds_index)
    assert len(documents) == 3
    by_id = {d.doc_id: d for d in documents}
    bushehr = by_id["002_aa0b2b830c5057bb"]
    assert bushehr.title == "Don't Expect Russia to Help Save the Iran Deal"
    assert bushehr.author == "Anna Borshchevskaya"
    assert bushehr.date == "2021-02-16"
    assert bushehr.url.startswith("https://nationalinterest.org/")
    assert bushehr.source_path.endswith("002_aa0b2b830c5057bb.txt")
    index = rag.load_index(seeds_index)
    assert sum(d.chunks for d in documents) == len(index.chunks)
    assert all(d.chunks > 0 for d in documents)
    assert [d.title.casefold() for d in documents] == sorted(d.title.casefold() for d in documents)


def test_get_document_holds_the_text_citations_point_into(seeds_index):
    answer = rag.ask("Who built the Bushehr nuclear power plant?", index_dir=seeds_index)
    assert answer.citations
    for citation in answer.citations:
        document = rag.get_document(citation.doc_id, seeds_index)
        assert document.text[citation.start : citation.end] == citation.quote
    with pytest.raises(rag.RagError, match="list_documents"):
        rag.get_document("no-such-document", seeds_index)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notes.txt", "notes.txt"),
        ("Report FINAL.PDF", "Report FINAL.pdf"),
        ("my notes (v2).md", "my notes _v2.md"),
        (".hidden.html", "hidden.html"),
        ("Café über.txt", "Café über.txt"),
        ("a" * 300 + ".txt", "a" * 116 + ".txt"),
    ],
)
def test_safe_upload_name_keeps_safe_characters(name, expected):
    assert safe_upload_name(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", "path"),
        ("a/b.txt", "path"),
        ("a\\b.txt", "path"),
        ("..", "path"),
        ("/etc/passwd.txt", "path"),
        ("nul\x00.txt", "path"),
        ("program.exe", "allowed: .txt"),
        ("README", "no suffix"),
        ("data.jsonl", "allowed"),
        ("$$$.txt", "no usable name"),
        ("", "no name"),
    ],
)
def test_safe_upload_name_refuses_paths_and_other_types(name, message):
    with pytest.raises(rag.RagError, match=message):
        safe_upload_name(name)


def test_added_document_is_answerable_and_nothing_else_is_lost(index):
    before = {d.doc_id for d in rag.list_documents(index)}
    rag.ask("Who built the Bushehr nuclear power plant?", index_dir=index)  # loads and caches the pipeline
    steps: list[tuple[float, str]] = []

    report = rag.add_documents(
        [("zelenograd.md", NOTE.encode())], index_dir=index, progress=lambda f, m: steps.append((f, m))
    )

    assert report.added == ["zelenograd"]
    assert report.unchanged == 3 and report.embedded_chunks >= 1
    assert (index / UPLOADS / "zelenograd.md").read_text(encoding="utf-8") == NOTE
    assert {d.doc_id for d in rag.list_documents(index)} == before | {"zelenograd"}
    assert steps[0][0] == 0.0 and steps[-1] == (1.0, "Done")
    assert [f for f, _ in steps] == sorted(f for f, _ in steps)
    # The cached pipeline answers from the new generation at once.
    answer = rag.ask("Who founded the Zelenograd observatory?", index_dir=index)
    assert not answer.abstained
    assert answer.citations[0].doc_id == "zelenograd"
    assert "Irina Volkova" in answer.citations[0].quote
    document = rag.get_document("zelenograd", index)
    assert document.title == "The Zelenograd observatory"
    c = answer.citations[0]
    assert document.text[c.start : c.end] == c.quote
    seeds = rag.ask("Who built the Bushehr nuclear power plant?", index_dir=index)
    assert "Atomstroyexport" in seeds.citations[0].quote


def test_broken_upload_is_reported_and_the_good_one_added(index):
    report = rag.add_documents(
        [
            ("broken.pdf", b"%PDF-1.4 this is not really a pdf"),
            ("good.txt", NOTE.encode()),
            ("binary.txt", b"\x00\x01\x02\x03" * 50),
        ],
        index_dir=index,
    )
    assert report.added == ["good"]
    skipped = {s.path: s.reason for s in report.skipped}
    assert set(skipped) == {"broken.pdf", "binary.txt"}
    assert "binary" in skipped["binary.txt"]
    assert sorted(p.name for p in (index / UPLOADS).iterdir()) == ["good.txt"]  # no staging left behind
    assert len(rag.list_documents(index)) == 4


def test_upload_from_disk_and_replacing_an_upload(index, tmp_path):
    source = tmp_path / "Field notes.txt"
    source.write_text(NOTE, encoding="utf-8")
    first = rag.add_documents([source], index_dir=index)
    assert first.added == ["Field notes"]
    source.write_text(NOTE.replace("1987", "1989"), encoding="utf-8")
    second = rag.add_documents([str(source)], index_dir=index)
    assert second.updated == ["Field notes"] and not second.added
    assert "1989" in rag.get_document("Field notes", index).text
    again = rag.add_documents([source], index_dir=index)
    assert not again.changed


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("../escape.txt", b"some text here")], "path"),
        ([("tool.sh", b"echo hi")], "allowed"),
        ([("big.txt", b"x" * 2048)], "upload limit"),
        ([("000_ef786f168e0479b6.txt", NOTE.encode())], "would replace the indexed document"),
        ([("a.txt", NOTE.encode()), ("a.md", NOTE.encode())], "both be document"),
        ([], "No files"),
    ],
)
def test_refused_uploads_store_nothing(index, files, message):
    generation = (index / "CURRENT").read_text()
    with pytest.raises(rag.RagError, match=message):
        rag.add_documents(files, index_dir=index, max_bytes=1024)
    assert not (index / UPLOADS).exists() or not any((index / UPLOADS).iterdir())
    assert not (index.parent / "escape.txt").exists()
    assert (index / "CURRENT").read_text() == generation


def test_missing_recorded_source_is_refused_before_anything_is_lost(index):
    shutil.rmtree(index.parent / "seeds")
    with pytest.raises(rag.RagError, match="no longer exists"):
        rag.add_documents([("note.txt", NOTE.encode())], index_dir=index)
    assert not (index / UPLOADS).exists()
    assert len(rag.load_index(index).documents) == 3
