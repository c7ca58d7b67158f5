"""The value types every step of the pipeline speaks: documents, chunks, passages, citations, answers.

They are frozen dataclasses so a value handed from one step to the next cannot be changed behind its back,
and each has ``to_dict()`` so the CLI, the UI and the evaluation can write them as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceSegment:
    """A run of cleaned text copied from the original file.

    ``clean_start:clean_end`` in the cleaned text came from ``source_start:source_end`` in the original file
    (character offsets into the decoded file). Text the cleaner inserted (a space that joins two lines) is not
    covered by any segment.
    """

    clean_start: int
    clean_end: int
    source_start: int
    source_end: int


@dataclass(frozen=True)
class Document:
    """One article after ingestion: cleaned text, metadata, and a map back to the original file."""

    doc_id: str
    text: str
    title: str
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    url: str | None = None  # the original publication's address, where the file says it
    publication: str | None = None  # where it was originally published, where the file says it
    source_path: str = ""
    content_hash: str = ""  # sha256 of the raw file bytes (or of the JSONL record) the document came from
    segments: tuple[SourceSegment, ...] = ()
    page_starts: tuple[int, ...] = ()  # for PDFs: offset in ``text`` where each page begins
    # Spans of ``text`` in an "about the author" box (name, role, expertise, work): quotable about the author,
    # never as what the document argues.
    author_box: tuple[tuple[int, int], ...] = ()
    # Section headings of a markdown or HTML page as ``(start, end, level)`` spans of ``text`` (level 1 for
    # ``#``/``<h1>``): chunks break at them and carry their heading path as context.
    headings: tuple[tuple[int, int, int], ...] = ()

    @property
    def author(self) -> str | None:
        """The authors as one display string, or None when unknown."""
        return ", ".join(self.authors) if self.authors else None

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a span of the cleaned text back to the original file; None when no part of it came from there."""
        lo: int | None = None
        hi: int | None = None
        for seg in self.segments:
            if seg.clean_end <= start or seg.clean_start >= end:
                continue
            s = seg.source_start + max(0, start - seg.clean_start)
            e = seg.source_end - max(0, seg.clean_end - end)
            lo = s if lo is None else min(lo, s)
            hi = e if hi is None else max(hi, e)
        return None if lo is None or hi is None else (lo, hi)

    def author_box_in(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The author-box spans that overlap ``text[start:end]``, as offsets into that slice (a chunk's)."""
        return tuple(
            (max(a, start) - start, min(b, end) - start) for a, b in self.author_box if a < end and b > start
        )

    def page_of(self, offset: int) -> int | None:
        """1-based page number of a cleaned-text offset for paged sources (PDF); None otherwise."""
        if not self.page_starts:
            return None
        page = 0
        for i, begin in enumerate(self.page_starts):
            if begin <= offset:
                page = i
        return page + 1

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["segments"] = [list(s.values()) for s in data["segments"]]
        data["authors"] = list(self.authors)
        data["page_starts"] = list(self.page_starts)
        data["author_box"] = [list(span) for span in self.author_box]
        data["headings"] = [list(h) for h in self.headings]
        if not with_text:
            data.pop("text")
            data.pop("segments")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data["authors"] = tuple(data.get("authors", ()))
        data["segments"] = tuple(SourceSegment(*s) for s in data.get("segments", ()))
        data["page_starts"] = tuple(data.get("page_starts", ()))
        data["author_box"] = tuple((int(a), int(b)) for a, b in data.get("author_box", ()))
        data["headings"] = tuple((int(a), int(b), int(n)) for a, b, n in data.get("headings", ()))
        return cls(**data)


@dataclass(frozen=True)
class Chunk:
    """A piece of a document that is embedded and retrieved as one unit: ``text == document.text[start:end]``."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores; ``n`` is its 1-based rank, the number a generator cites it by."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    score: float  # the fused score that ranked it
    dense_score: float | None = None  # cosine similarity to the question
    bm25_score: float | None = None
    # The document's card, for generators that answer questions about the document itself (who wrote it).
    author: str | None = None
    date: str | None = None
    publication: str | None = None
    # Spans of ``text`` (offsets into it) that lie in the document's author box (``Document.author_box``).
    author_box: tuple[tuple[int, int], ...] = ()

    def in_author_box(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` lies mostly in the author box (a bio sentence, not the body's)."""
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in self.author_box)
        return end > start and 2 * inside > end - start

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """One ``[n]`` marker in an answer and the exact words it quotes.

    ``quote == document.text[start:end]`` always holds when ``verified`` is true; ``status`` says how the quote
    was checked: ``verified`` (found verbatim), ``repaired`` (replaced by the closest verbatim span),
    or ``unverified`` (not found: shown as such, never as a quote).
    """

    n: int
    doc_id: str
    title: str
    author: str | None
    date: str | None
    url: str | None
    quote: str
    start: int
    end: int
    score: float
    verified: bool
    status: str = "verified"
    passage_n: int | None = None  # which retrieved passage the quote came from
    source_path: str | None = None
    source_start: int | None = None  # the quote's span in the original file, where it maps there
    source_end: int | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What ``ask()`` returns: markdown text with ``[n]`` markers, their citations, and what was retrieved."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    abstained: bool = False
    generator: str = "extractive"
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    notes: tuple[str, ...] = ()  # things a user should know (a truncated question, passages that did not fit)
    # Sentences of ``text`` that no verified quote supports (shown set apart; counted by ``rag eval``).
    uncited: tuple[str, ...] = ()
    # An abstention's text is the abstention message; what the generator wrote instead (checked, its
    # markers resolved by ``citations``) is kept here, to be shown only as the model's unsupported text.
    model_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "abstained": self.abstained,
            "generator": self.generator,
            "timings": dict(self.timings),
            "notes": list(self.notes),
            "uncited": list(self.uncited),
            "model_text": self.model_text,
        }
