"""One source file -> documents: the checks every file passes, then a reader chosen by suffix."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from rag.ingest.clean import AUTHOR_BOX_ROLES, KEPT_ROLES, assemble, classify, split_blocks
from rag.ingest.dates import parse_date
from rag.ingest.errors import UnreadableFileError, UnsupportedFileTypeError
from rag.ingest.htmlpage import read_html
from rag.ingest.jsonl import read_jsonl
from rag.ingest.metadata import Metadata, page_metadata, split_authors, web_url
from rag.ingest.pdf import read_pdf
from rag.ingest.result import SkippedFile
from rag.ingest.textmap import with_stated_lines
from rag.types import Document, SourceSegment

Progress = Callable[[float], object]
SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl")
MAX_FILE_BYTES = 50 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)
_MARKDOWN_HINTS = re.compile(r"\]\([^)\s]*\)|\*\*\S|^#{1,6}[ \t]|\(<https?://|^\s*\[[^\]]+\]\(", re.M)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# UTF-32's little-endian mark begins with UTF-16's, so it is tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def doc_id_for(path: Path, root: Path) -> str:
    """The file's path under ``root``, POSIX, without suffix: stable whatever the file contains."""
    try:
        return path.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def read_bytes(path: Path) -> bytes:
    """The file's bytes; UnreadableFileError when it is too big or cannot be opened."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFileError(
                f"the file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit; split it"
            )
        return path.read_bytes()
    except PermissionError as e:
        raise UnreadableFileError("permission denied; make the file readable (chmod +r)") from e
    except OSError as e:
        raise UnreadableFileError(f"cannot read it ({e.strerror or e})") from e


def bom_encoding(data: bytes) -> str | None:
    """``"utf-16"`` or ``"utf-32"`` when ``data`` starts with that encoding's byte-order mark, else None."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def check_text_bytes(data: bytes) -> None:
    """Raise UnreadableFileError when ``data`` is empty (or only whitespace) or looks binary.

    UTF-16 and UTF-32 files with a byte-order mark are text (their NUL bytes are half of each character).
    """
    if bom_encoding(data):
        decode_text(data)
        return
    if not data.strip():
        raise UnreadableFileError("the file is empty")
    head = data[:8192]
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 10:
        raise UnreadableFileError(
            "it looks binary (NUL or control bytes), not text; if it is UTF-16 text, re-save it as UTF-8"
        )


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8, or UTF-16/UTF-32 when the file starts with their byte-order mark (which is
    dropped; a UTF-8 byte-order mark stays as the first character, and cleaning drops it).

    Raises UnreadableFileError for an empty file, a binary one, or one that is not UTF-8: encodings are never
    guessed, because a wrong guess silently corrupts every quote taken from the file.
    """
    encoding = bom_encoding(data)
    if encoding:
        try:
            text = data.decode(encoding)  # the codec reads the mark for the byte order, and drops it
        except UnicodeDecodeError as e:
            raise UnreadableFileError(
                f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                f"(at byte {e.start}); re-save it as UTF-8"
            ) from e
        if not text.strip():
            raise UnreadableFileError("the file is empty")
        head = text[:4096]
        if "\x00" in head or len(_CONTROL_TEXT.findall(head)) > len(head) // 10:
            raise UnreadableFileError("it looks binary (NUL or control characters), not text")
        return text
    check_text_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableFileError(
            f"the file is not UTF-8 (invalid byte at offset {e.start}); re-save it as UTF-8"
        ) from e


def jsonl_bytes(data: bytes) -> bytes:
    """A ``.jsonl`` file's bytes as UTF-8 lines: a UTF-16/32 file is re-encoded, a UTF-8 byte-order mark
    dropped (JSON does not allow one)."""
    encoding = bom_encoding(data)
    if encoding:
        return decode_text(data).encode("utf-8")
    return data.removeprefix(codecs.BOM_UTF8)


# Front matter keys whose lines a reader takes as the document's byline and dateline.
STATED_KEYS = ("author", "authors", "date", "published", "publication")


def _front_matter(original: str) -> tuple[int, Metadata, list[tuple[int, int]]]:
    """Where the text after a ``---`` YAML front matter block starts, the title, author, date it gives, and the
    spans in ``original`` of its lines that state who wrote the file, when and where (``author: Kim Lee``,
    ``date: 2020-03-04``, an author list's ``- Kim Lee`` items), in file order."""
    m = _FRONT_MATTER.match(original)
    if not m:
        return 0, Metadata(), []
    values: dict[str, str] = {}
    authors: list[str] = []
    stated: list[tuple[int, int]] = []
    key = ""
    for line in re.finditer(r"[^\r\n]+", m.group(1)):
        at = m.start(1) + line.start()
        item = re.match(r"\s+-\s+(.+?)\s*$", line.group(0))
        pair = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line.group(0))
        if item and key in STATED_KEYS:
            stated.append((at + item.start(1), at + item.end(1)))
        if item and key in ("author", "authors"):
            authors.append(item.group(1).strip("\"'"))
        elif pair:
            key, value = pair.group(1).lower(), pair.group(2).strip("\"'")
            values[key] = value
            if pair.group(2) and key in STATED_KEYS:
                stated.append((at, at + pair.end(2)))
            if key in ("author", "authors") and value:
                authors.extend(split_authors(value.strip("[]").replace('"', "").replace("'", "")))
    metadata = Metadata(
        title=values.get("title") or None,
        authors=tuple(dict.fromkeys(authors)),
        date=parse_date(values.get("date", "")),
        url=values.get("url") or values.get("canonical_url") or values.get("link") or None,
        publication=values.get("publication") or None,
    )
    return m.end(), metadata, stated


def read_text_page(
    original: str, *, markdown_file: bool, progress: Progress | None = None
) -> tuple[
    str, tuple[SourceSegment, ...], Metadata, tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]
]:
    """Cleaned text of a text or markdown file, its map back to ``original``, what it says of itself, and
    where its author box and its headings lie in the cleaned text.

    ``progress(fraction)`` is told how far the cleaning has come (it is most of the time a large file takes).
    """
    start, front, stated = _front_matter(original) if markdown_file else (0, Metadata(), [])
    if start == 0 and original.startswith("\ufeff"):
        start = 1  # a byte-order mark is not text; skipping it keeps "# Title" on the first line a heading
    markdown = markdown_file or _MARKDOWN_HINTS.search(original) is not None
    page = classify(split_blocks(original, start, markdown=markdown, progress=progress))
    text, segments, author_box, headings = assemble(page, original)
    text, segments, author_box, headings = with_stated_lines(
        original, stated, text, segments, author_box, headings
    )
    metadata = page_metadata(page, original)
    kept_h1 = (
        b.text
        for b, role in zip(page.blocks, page.roles, strict=True)
        if b.kind == "h1" and role in KEPT_ROLES and role not in AUTHOR_BOX_ROLES
    )
    first_h1 = next(kept_h1, None) if markdown_file else None
    if first_h1:
        metadata = Metadata(title=first_h1).over(metadata)
    return text, segments, front.over(metadata), author_box, headings


def load_path(
    path: Path, root: Path, progress: Progress | None = None
) -> tuple[list[Document], list[SkippedFile]]:
    """Documents from one file and, for JSONL, the lines skipped; UnreadableFileError for a broken file.

    ``progress(fraction)`` hears, for a large text file, how far its cleaning has come.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileTypeError(
            f"unsupported file type {suffix or '(no suffix)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    data = read_bytes(path)
    if suffix == ".jsonl":
        check_text_bytes(data)  # each line is then decoded on its own, so one bad line does not cost the file
        return read_jsonl(jsonl_bytes(data), path)
    segments: tuple[SourceSegment, ...] = ()
    page_starts: tuple[int, ...] = ()
    author_box: tuple[tuple[int, int], ...] = ()
    headings: tuple[tuple[int, int, int], ...] = ()
    if suffix == ".pdf":
        if not data.strip():
            raise UnreadableFileError("the file is empty")
        pdf = read_pdf(data)
        text, metadata, page_starts = pdf.text, pdf.metadata, pdf.page_starts
    elif suffix in (".html", ".htm"):
        text, segments, metadata, author_box, headings = read_html(decode_text(data))
    else:
        text, segments, metadata, author_box, headings = read_text_page(
            decode_text(data), markdown_file=suffix != ".txt", progress=progress
        )
    if not text.strip():
        raise UnreadableFileError("no article text is left after removing page furniture")
    document = Document(
        doc_id=doc_id_for(path, root),
        text=text,
        title=metadata.title or path.stem,
        authors=metadata.authors,
        date=metadata.date,
        url=web_url(metadata.url),
        publication=metadata.publication,
        source_path=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        segments=segments,
        page_starts=page_starts,
        author_box=author_box,
        headings=headings,
    )
    return [document], []
