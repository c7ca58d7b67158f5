"""HTML pages through the stdlib parser: visible text with each run's offset in the file, plus head metadata.

Character references are left unconverted by the parser so every text run it reports is a verbatim slice of
the file (and can be mapped back); an entity becomes inserted text. Whitespace collapses as a browser would:
a single space in the file is copied, any other run of whitespace becomes an inserted space.

A ``<table>`` becomes one block of rows written as a markdown table: ``| cell | cell |`` per ``<tr>``, the
bars and line breaks inserted (like an entity's text), each cell's words copied; a first row of ``<th>``
cells gets a ``| --- |`` separator row after it, so the table's header is known as in a markdown file. A row
is then one line that is found, chunked and quoted whole under its header; cells alone would be paragraphs
of a word or two, each quoted without the row or the column it belongs to.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from rag.ingest.clean import assemble, classify
from rag.ingest.dates import parse_date
from rag.ingest.metadata import Metadata, page_metadata, split_authors
from rag.ingest.textmap import Block, Piece, trim, with_stated_lines
from rag.types import SourceSegment

# Elements whose text is page furniture or not text at all.
_SKIP_TAGS = (
    "script style nav header footer aside form noscript template svg iframe head button select canvas object"
)
_SKIP = frozenset(_SKIP_TAGS.split())
_BLOCK_TAGS = (
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table tr td th thead "
    "tbody tfoot figure figcaption hr address details summary caption body html"
)
_BLOCK = frozenset(_BLOCK_TAGS.split())
_DATE_KEYS = (
    "article:published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "citation_publication_date",
    "time",
)
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "citation_author")
_OUTLET_KEY = "og:site_name"
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_WORDS = re.compile(r"\S+|\s+")
_TABLE_PARTS = frozenset(["tr", "td", "th", "thead", "tbody", "tfoot"])


class _PageParser(HTMLParser):
    def __init__(self, original: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", original))]
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        # Where each meta tag's naming and content attributes lie in the file (``name="author" content="Kim
        # Lee"``): the line a metadata answer quotes when the page's text never states it.
        self.meta_spans: dict[str, tuple[int, int]] = {}
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self._pieces: list[Piece] = []
        self._kind = "p"
        self._space: Piece | None = None  # whitespace seen since the last word, emitted before the next one
        self._skip = 0  # depth inside _SKIP elements
        self._in_title = False
        self._h1 = 0  # 1 inside the first <h1>, 2 after it
        self._table = 0  # depth inside <table> elements (a nested table's cells join the outer one's)
        self._rows: list[list[Piece]] = []  # the table's rows so far, each ``| a | b |`` as pieces
        self._cells: list[list[Piece]] = []  # the cells of the row being read
        self._header_row = False  # the row being read has a <th> cell
        self._table_start = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _flush(self, kind: str = "p") -> None:
        pieces = trim(self._pieces)
        if pieces:
            text = "".join(p.text for p in pieces)
            start = next((p.source_start for p in pieces if p.source_start is not None), 0)
            self.blocks.append(Block(text, start, pieces, self._kind))
        self._pieces, self._space, self._kind = [], None, kind

    def _word(self, piece: Piece) -> None:
        if self._space is not None and self._pieces:
            self._pieces.append(self._space)
        self._space = None
        self._pieces.append(piece)

    def _text(self, text: str, piece: Piece | None) -> None:
        """Visible text: ``piece`` is its copy in the file, or None when it has none (an entity)."""
        if self._in_title:
            self.title_parts.append(text)
        if self._h1 == 1:
            self.h1_parts.append(text)
        if self._skip or self._in_title:
            return
        if text.isspace():
            if self._space is None:
                self._space = piece if piece is not None and text == " " else Piece(" ")
        else:
            self._word(piece or Piece(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
        if tag == "meta" and key and values.get("content"):
            if key not in self.meta:
                self._meta_span(key)
            self.meta.setdefault(key, values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split() and values.get("href"):
            self.meta.setdefault("canonical", values["href"])
        elif tag == "time" and values.get("datetime"):
            self.meta.setdefault("time", values["datetime"])
        self._in_title = self._in_title or tag == "title"
        if tag == "h1" and self._h1 == 0:
            self._h1 = 1
        if tag in _SKIP:
            self._skip += 1
        elif not self._skip and (tag == "table" or self._table and tag in _TABLE_PARTS):
            self._table_tag(tag, opening=True)
        elif not self._skip and tag == "br":
            self._space = Piece("\n")
        elif not self._skip and tag in _BLOCK:
            self._flush(tag if tag in ("li", "h1", "h2", "h3", "h4", "h5", "h6") else "p")

    def _meta_span(self, key: str) -> None:
        """Record the span from the meta tag's naming attribute to its content attribute, when on one line."""
        raw, at = self.get_starttag_text() or "", self._offset()
        found = {m.group(1).lower(): m.span() for m in _ATTRIBUTE.finditer(raw)}
        named = next((found[k] for k in ("property", "name", "itemprop") if k in found), None)
        if named is None or "content" not in found:
            return
        start, end = min(named[0], found["content"][0]), max(named[1], found["content"][1])
        if "\n" not in raw[start:end]:
            self.meta_spans[key] = (at + start, at + end)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "h1" and self._h1 == 1:
            self._h1 = 2
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif not self._skip and (tag == "table" or self._table and tag in _TABLE_PARTS):
            self._table_tag(tag, opening=False)
        elif not self._skip and tag in _BLOCK:
            self._flush()

    def _table_tag(self, tag: str, *, opening: bool) -> None:
        """Rows and cells of a table: a cell's words are gathered as a paragraph's, a row is closed into a
        ``| a | b |`` line, and the table into one block at its end."""
        if tag == "table":
            if opening:
                self._table += 1
                if self._table == 1:
                    self._flush()
                    self._rows, self._cells, self._table_start = [], [], self._offset()
                return
            self._table = max(0, self._table - 1)
            if self._table == 0:
                self._end_cell()
                self._end_row()
                self._end_table()
            return
        if tag in ("td", "th"):
            self._end_cell()
            self._header_row = self._header_row or (opening and tag == "th")
        elif tag == "tr" or tag in ("thead", "tbody", "tfoot"):
            self._end_cell()
            self._end_row()

    def _end_cell(self) -> None:
        cell = trim(self._pieces)
        if cell:
            self._cells.append(cell)
        self._pieces, self._space = [], None

    def _end_row(self) -> None:
        if not self._cells:
            return
        row: list[Piece] = [Piece("| ")]
        for i, cell in enumerate(self._cells):
            row += [*([Piece(" | ")] if i else []), *cell]
        self._rows.append([*row, Piece(" |")])
        if len(self._rows) == 1 and self._header_row:
            self._rows.append([Piece("| " + " | ".join("---" for _ in self._cells) + " |")])
        self._cells, self._header_row = [], False

    def _end_table(self) -> None:
        pieces = [
            piece for i, row in enumerate(self._rows) for piece in [*([Piece("\n")] if i else []), *row]
        ]
        if pieces:
            text = "".join(p.text for p in pieces)
            start = next((p.source_start for p in pieces if p.source_start is not None), self._table_start)
            self.blocks.append(Block(text, start, pieces, "p"))
        self._rows, self._pieces, self._space, self._kind = [], [], None, "p"

    def close(self) -> None:
        super().close()
        self._flush()  # text after the last block element

    def handle_data(self, data: str) -> None:
        start = self._offset()
        for m in _WORDS.finditer(data):
            self._text(m.group(), Piece(m.group(), start + m.start()))

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};").replace("\xa0", " "), None)

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};").replace("\xa0", " "), None)


def _stated_spans(parser: _PageParser) -> list[tuple[int, int]]:
    """The spans of the meta tags whose values the metadata took (the author, date and outlet), in file order."""
    meta = parser.meta
    author = next((k for k in _AUTHOR_KEYS if k in meta), None)
    chosen = [
        None if author is None or meta[author].startswith(("http://", "https://")) else author,
        next((k for k in _DATE_KEYS if k in meta and parse_date(meta[k])), None),
        _OUTLET_KEY,
    ]
    return sorted(parser.meta_spans[k] for k in chosen if k in parser.meta_spans)


def _head_metadata(parser: _PageParser) -> Metadata:
    meta = parser.meta
    title = (
        meta.get("og:title")
        or " ".join("".join(parser.title_parts).split())
        or " ".join("".join(parser.h1_parts).split())
    )
    author = next((meta[k] for k in _AUTHOR_KEYS if k in meta), "")
    dates = (parse_date(meta[k]) for k in _DATE_KEYS if k in meta)
    return Metadata(
        title=title or None,
        authors=() if author.startswith(("http://", "https://")) else split_authors(author),
        date=next((d for d in dates if d), None),
        url=meta.get("canonical") or meta.get("og:url"),
        publication=meta.get(_OUTLET_KEY),
    )


def read_html(
    original: str,
) -> tuple[
    str, tuple[SourceSegment, ...], Metadata, tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]
]:
    """Cleaned text, its map back to ``original``, metadata (head tags first, then the page's lines), and
    where the author box and the headings lie in the cleaned text."""
    parser = _PageParser(original)
    # A byte-order mark becomes a space of the same length: offsets stay true and it is never copied as text.
    parser.feed(" " + original[1:] if original.startswith("\ufeff") else original)
    parser.close()
    page = classify(parser.blocks)
    text, segments, author_box, headings = assemble(page, original)
    text, segments, author_box, headings = with_stated_lines(
        original, _stated_spans(parser), text, segments, author_box, headings
    )
    return text, segments, _head_metadata(parser).over(page_metadata(page, original)), author_box, headings
