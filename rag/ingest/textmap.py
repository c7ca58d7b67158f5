"""Cleaned text that remembers where each character came from.

A cleaner emits ``Piece``s: either a slice copied from the original file (``source_start`` set) or text it
inserted (``source_start`` None). ``TextBuilder`` concatenates them into the cleaned string and the
``SourceSegment``s that map it back, so for every segment ``s``
``original[s.source_start:s.source_end] == text[s.clean_start:s.clean_end]`` holds by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.types import SourceSegment


@dataclass(frozen=True)
class Piece:
    """A run of cleaned text; ``source_start`` is its offset in the original, or None when inserted."""

    text: str
    source_start: int | None = None


def copied(original: str, start: int, end: int) -> Piece:
    """The piece that copies ``original[start:end]``."""
    return Piece(original[start:end], start)


def trim(pieces: list[Piece]) -> list[Piece]:
    """The pieces without leading and trailing whitespace (offsets of copied pieces moved to match)."""
    out = [p for p in pieces if p.text]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if not out:
        return out
    first, last = out[0], out[-1]
    cut = len(first.text) - len(first.text.lstrip())
    if cut:
        start = None if first.source_start is None else first.source_start + cut
        out[0] = Piece(first.text[cut:], start)
        last = out[-1]  # the same piece when there is only one
    kept = len(last.text.rstrip())
    if kept < len(last.text):
        out[-1] = Piece(last.text[:kept], last.source_start)
    return out


@dataclass
class Block:
    """One paragraph (or heading, list item) of a page: where it sits in the original and its cleaned pieces.

    ``raw`` is the block as written (markdown markup and all; for HTML, the parsed text); ``kind`` is ``"p"``,
    ``"li"``, ``"code"`` (inside a fenced code block), ``"h1"``..``"h6"``, or ``"line"`` (one line of a header
    paragraph whose title, byline and date are written on lines of their own).
    """

    raw: str
    start: int
    pieces: list[Piece] = field(default_factory=list)
    kind: str = "p"

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def source_end(self) -> int | None:
        """Where the cleaned block's last character ends in the original, if it is a copied one."""
        if not self.pieces or self.pieces[-1].source_start is None:
            return None
        last = self.pieces[-1]
        return last.source_start + len(last.text)  # type: ignore[operator]

    @property
    def is_heading(self) -> bool:
        return len(self.kind) == 2 and self.kind[0] == "h" and self.kind[1].isdigit()


class TextBuilder:
    """Appends pieces and produces the cleaned text with its segments (adjacent copies merge into one)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[list[int]] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def add(self, piece: Piece) -> None:
        """Append one piece; a copy that continues the previous copy extends its segment."""
        n = len(piece.text)
        if not n:
            return
        if piece.source_start is not None:
            last = self._segments[-1] if self._segments else None
            if last and last[1] == self._length and last[3] == piece.source_start:
                last[1] += n
                last[3] += n
            else:
                self._segments.append(
                    [self._length, self._length + n, piece.source_start, piece.source_start + n]
                )
        self._parts.append(piece.text)
        self._length += n

    def extend(self, pieces: list[Piece]) -> None:
        for piece in pieces:
            self.add(piece)

    def build(self) -> tuple[str, tuple[SourceSegment, ...]]:
        """The cleaned text and the segments that map its copied characters back to the original."""
        return "".join(self._parts), tuple(SourceSegment(*s) for s in self._segments)


def with_stated_lines(
    original: str,
    spans: list[tuple[int, int]],
    text: str,
    segments: tuple[SourceSegment, ...],
    author_box: tuple[tuple[int, int], ...],
    headings: tuple[tuple[int, int, int], ...],
) -> tuple[str, tuple[SourceSegment, ...], tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]]:
    """The cleaned text with the lines at ``spans`` of ``original`` first, as written in the file: a markdown
    file's front matter lines and an HTML page's meta tags that state who wrote it, when and where. A metadata
    answer quotes them where the file states them (a citation opens there) rather than saying the text does
    not state its author. Every other span moves down by what they add."""
    if not spans:
        return text, segments, author_box, headings
    lines: list[str] = []
    head: list[SourceSegment] = []
    at = 0
    for a, b in spans:
        head.append(SourceSegment(at, at + b - a, a, b))
        lines.append(original[a:b])
        at += b - a + 1
    prefix = "\n".join(lines) + "\n\n"
    shift = len(prefix)
    moved = tuple(
        SourceSegment(s.clean_start + shift, s.clean_end + shift, s.source_start, s.source_end)
        for s in segments
    )
    return (
        prefix + text,
        (*head, *moved),
        tuple((a + shift, b + shift) for a, b in author_box),
        tuple((a + shift, b + shift, level) for a, b, level in headings),
    )
