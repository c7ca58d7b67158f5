"""Web-page clutter removal: which blocks of a page are article, which are page furniture.

Pages converted to text keep the site around the article: a language bar, an "about the authors" box, a
"recommended" list of other articles, topic and region tags. The rules below recognise those by their section
headings and shapes, never by site, and keep the title, byline, date, body and the author box. The kept
blocks are then joined with paragraph breaks, except where the conversion broke one sentence across a blank
line: that break becomes a single space. Where the author box lies in the joined text is returned with it,
so answering can quote it about the author and never as the document's own argument.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.ingest import outlets
from rag.ingest.dates import SEPARATOR, labelled_date, line_dates, parse_date, part_dates
from rag.ingest.inline import clean_inline, is_bold_only, is_link_only
from rag.ingest.textmap import Block, Piece, TextBuilder, copied, trim
from rag.types import SourceSegment

# Attribution lines ("Also published in X", "Original publication X") and the author box (name, role,
# expertise, work) are kept too: they are where the document states its outlet and who wrote it, so an
# answer about them can quote the document there. The box's place is recorded (``assemble``): summaries and
# arguments never quote it (a biography is not the article's case).
KEPT_ROLES = frozenset({"title", "byline", "date", "body", "attribution", "author-name", "author-box"})
AUTHOR_BOX_ROLES = frozenset({"author-name", "author-box"})
_PROGRESS_STEP = 256 * 1024  # characters between two progress reports of split_blocks
_BLANK_LINES = re.compile(r"\n[ \t\r]*\n(?:[ \t\r]*\n)*")
_HEADING_MARK = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]")
# A fenced code block's opening or closing line (``` or ~~~, up to three spaces in).
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.M)
# Section headings of page furniture, matched against a whole (short) block.
_SECTIONS = {
    "rest": re.compile(
        r"recommended(?: (?:reading|for you|articles|stories))?|you (?:may|might) also like"
        r"|related(?: (?:articles|content|stories|posts|reading|analysis|coverage|links))?"
        r"|more (?:from .{1,40}|stories|articles)|read (?:more|next)|most (?:read|popular|viewed)|comments?"
    ),
    "list": re.compile(
        r"topics?|tags?|categories|keywords|filed under|countries|regions?(?: (?:&|and) countries)?"
        r"|share(?: this(?: \w+)?)?|follow us"
    ),
    "authors": re.compile(
        r"(?:about )?(?:the )?authors?|author bio(?:graphy)?|about the writers?|contributors?"
    ),
    "languages": re.compile(r"(?:also )?available in|read (?:this|it) in|other languages|languages?"),
}
_NAV_WORDS = re.compile(
    r"skip to (?:main )?content|menu|search|subscribe|sign in|log in|share|print|e-?mail|close"
)
_ATTRIBUTION = re.compile(
    r"(?:also published in|originally (?:published|appeared) (?:in|at|on|by)|original publication|source\s*:"
    r"|read the (?:full|original|complete) (?:article|story|piece|post|report)"
    r"|this (?:article|piece|story) (?:was )?(?:originally|first) (?:appeared|published))",
    re.I,
)
# "By Kim Lee", "Written by ...", "Compiled by ...": who wrote or put the page together
BYLINE_VERB = r"(?:(?:written|compiled|edited|prepared|reported|posted|issued|interview|interviewed)\s+)?by"
_BYLINE = re.compile(rf"{BYLINE_VERB}\s+\S.{{0,150}}", re.I | re.S)
# "Posted on 4 March 2026 by Harriet Noakes, Library Services Manager": the date, then who
POSTED_BY = re.compile(
    r"(?:posted|published|written|updated)\s+(?:on\s+)?(?P<date>\S[^\n]{0,40}?)\s+by\s+(?P<names>\S[^\n]{0,150})",
    re.I,
)
# "Nadia Ferro, Jonas Hult and Beatrix Lomé · Northern Horticulture Reports · published 2 December 2025": a
# paper's authors, set apart from its journal and date
_NAME = re.compile(r"(?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'.-]*")


def _names_line(text: str) -> bool:
    parts = re.split(SEPARATOR, text.strip())
    names = [n.strip() for n in re.split(r",|\band\b|&", parts[0]) if n.strip()]
    # "Priya Gantsworth | Fenmarch Weekly", "Tobias Quarrie, fisheries correspondent, The Coastal Ledger —
    # published 17 March 2026": the writer set apart from the outlet, the writer's post said in lower case
    people = [n for n in names if not outlets.is_outlet(n)]
    outlet = people != names or any(outlets.is_outlet(p) for p in parts[1:])
    if len(parts) < 2 or not (outlet or any(parse_date(p) or labelled_date(p) for p in parts[1:])):
        return False
    return (
        bool(people)
        and _NAME.fullmatch(people[0]) is not None
        and all(_NAME.fullmatch(n) or (outlet and _LOWER_POST.fullmatch(n)) for n in people[1:])
    )


_LOWER_POST = re.compile(r"[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}")  # "fisheries correspondent"


# The end of a header line's first sentence ("... 14 May 2026. Contact officer: ..."; not "Dr. Lee", "St. Ives")
FIRST_SENTENCE_END = re.compile(r"(?:(?<=\d{4})|(?<=[a-z]{3}))\.\s+(?=[A-Z])")


def dated_byline(line: str) -> bool:
    """Whether a header line begins with a byline that gives its date, as a sentence: "Issued by the Highways
    Team, 14 May 2026. Contact officer: Petra Vance." """
    first = FIRST_SENTENCE_END.split(line.strip(), maxsplit=1)[0].rstrip(".")
    return bool(re.match(rf"{BYLINE_VERB}\s+[A-Z]", first, re.IGNORECASE)) and bool(line_dates(first))


def is_byline(text: str) -> bool:
    """Whether a header line says who wrote the page: "By Kim Lee", "Posted on <date> by Kim Lee", or a
    paper's authors set apart from its journal and date."""
    line = text.strip()
    return bool(_BYLINE.fullmatch(line) or POSTED_BY.fullmatch(line) or _names_line(line))


_FIELD_LINE = re.compile(r"\s*(\*\*|__)[^*_\n]{1,40}(?::\1|\1\s*:)")
_SENTENCE_END = ".?!:;…\"'”’)]»"
# Words a sentence cannot end on: a blank line after one of them is a conversion break, not a paragraph end.
_CONNECTOR_WORDS = (
    "a an the and or but nor of to in on at by for with from as that than which who whom whose is are was "
    "were be been its their his her our your this these those into onto about over under between against"
)
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())


@dataclass
class Page:
    """A page's blocks, the role each plays (``KEPT_ROLES`` are the article), and names from author boxes."""

    blocks: list[Block]
    roles: list[str]
    author_names: list[str] = field(default_factory=list)
    credit: Block | None = None  # a closing line on who wrote the page ("X is a columnist for Y.")

    def first(self, role: str) -> Block | None:
        return next((b for b, r in zip(self.blocks, self.roles, strict=True) if r == role), None)

    def having(self, role: str) -> list[Block]:
        return [b for b, r in zip(self.blocks, self.roles, strict=True) if r == role]


def split_blocks(
    original: str, start: int = 0, *, markdown: bool = True, progress: Callable[[float], object] | None = None
) -> list[Block]:
    """The blank-line separated blocks of ``original[start:]``, each with its markup-free pieces.

    ``progress(fraction)`` is called now and then with the share of ``original`` done (a large file takes
    a while: about a second per megabyte).
    """
    blocks: list[Block] = []
    code = _code_spans(original, start) if markdown else []
    pos = start
    reported = start
    for m in [*_BLANK_LINES.finditer(original, start), None]:
        end = m.start() if m else len(original)
        if progress is not None and end - reported >= _PROGRESS_STEP:
            progress(end / len(original))
            reported = end
        raw = original[pos:end]
        if raw.strip():
            in_code = any(a <= pos < b for a, b in code)
            heading = _HEADING_MARK.match(raw) if markdown and not in_code else None
            kind = "code" if in_code else f"h{len(heading.group(1))}" if heading else "p"
            blocks.append(Block(raw, pos, trim(_clean_block(raw, pos, code, markdown)), kind))
        pos = m.end() if m else end
    return blocks


def _code_spans(original: str, start: int) -> list[tuple[int, int]]:
    """Where fenced code blocks lie in ``original[start:]``, fences included (an unclosed one runs to the end).

    Code is copied as written: a ``# comment`` line in it is not a heading, ``*args`` not emphasis.
    """
    spans: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    for m in _FENCE.finditer(original, start):
        if opened is None:
            opened = m
        elif m.group(1)[0] == opened.group(1)[0] and len(m.group(1)) >= len(opened.group(1)):
            line_end = original.find("\n", m.end())
            spans.append((opened.start(), len(original) if line_end < 0 else line_end))
            opened = None
    if opened is not None:
        spans.append((opened.start(), len(original)))
    return spans


def _clean_block(raw: str, pos: int, code: list[tuple[int, int]], markdown: bool) -> list[Piece]:
    """The block's pieces: markdown markup dropped from its prose, its code (``code`` spans) kept as is."""
    pieces: list[Piece] = []
    at, end = pos, pos + len(raw)
    for a, b in [(a, b) for a, b in code if a < end and b > pos]:
        if a > at:
            pieces += clean_inline(raw[at - pos : a - pos], at, markdown=markdown)
        a, b = max(a, at), min(b, end)
        pieces += clean_inline(raw[a - pos : b - pos], a, markdown=False)
        at = b
    if at < end:
        pieces += clean_inline(raw[at - pos :], at, markdown=markdown)
    return pieces


def _norm(text: str) -> str:
    return " ".join(text.split()).strip(" :#").lower()


def _section(block: Block) -> str | None:
    text = _norm(block.text)
    if len(text) > 50:
        return None
    return next((kind for kind, pattern in _SECTIONS.items() if pattern.fullmatch(text)), None)


def _words(text: str) -> list[str]:
    return text.split()


def _is_label(text: str, max_words: int = 5) -> bool:
    """A short line that is not a sentence: a name, a role, a category, a tag."""
    return 0 < len(_words(text)) <= max_words and len(text) <= 60 and text.rstrip()[-1] not in ".?!"


def _is_name(text: str) -> bool:
    words = _words(text)
    return 1 < len(words) <= 5 and all(w[0].isupper() for w in words) and not any(c.isdigit() for c in text)


def _is_nav(block: Block, *, in_header: bool) -> bool:
    if _NAV_WORDS.fullmatch(_norm(block.text)):
        return True
    if not is_link_only(block.raw):
        return False
    return in_header or block.raw.count("](") >= 2


# Posts a bio may give without an article: "Nadia Orsolet is director of ...", "Ann Roe is professor of ..."
BARE_POSTS = (
    r"(?:director|head|chair|president|editor|professor|dean|founder|co-founder|chief|executive|deputy|"
    r"senior|principal|lead|managing)\b"
)
_BIO = re.compile(
    # ("Pieter Langmoor was Veskland's deputy finance minister ...": a post of a named body)
    rf"((?:[A-Z][\w’'.-]*\s+){{1,3}}[A-Z][\w’'-]*)\s+(?:(?:is|was|serves\s+as)\s+(?:(?:an?|the)\s+\w|{BARE_POSTS}|"
    r"(?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*[’']s\s+[a-z])|"
    # "Sefton Aldaine directs the regional security programme at ..."
    r"(?:directs|heads|leads|runs|chairs|teaches)\s+(?:the|an?)\s+\w)"
)


def _consume_author_box(page: Page, i: int) -> int:
    """Mark the box headed by block ``i`` (names, roles, bios, "**Field:** value" lines); return its end."""
    blocks, n = page.blocks, len(page.blocks)
    page.roles[i] = "author-box"
    names: list[str] = []
    j = i + 1
    while j < n:
        block, text = blocks[j], blocks[j].text
        if _section(block):
            break
        if is_link_only(block.raw) or is_bold_only(block.raw) or (j == i + 1 and _is_name(text)):
            names.append(text)
        elif bio := _BIO.match(text):
            # "Corin Ashdale is a senior fellow at ...": a bio that names its author without a name line above
            if bio.group(1) not in names:
                names.append(bio.group(1))
        elif not (
            any(text.startswith(name) for name in names)  # the bio that follows a name
            or _FIELD_LINE.match(block.raw)
            or _is_label(text)
        ):
            break
        page.roles[j] = "author-box"
        j += 1
    page.author_names.extend(n for n in names if _is_name(n) and n not in page.author_names)
    return j


def _consume_run(page: Page, i: int, role: str, max_words: int) -> int:
    """Mark block ``i`` and the short items (or link bars) after it with ``role``; return where they end."""
    page.roles[i] = role
    j = i + 1
    while j < len(page.blocks):
        block = page.blocks[j]
        section = _section(block)
        if section and not (role == "tags" and section == "list"):
            break  # another section begins
        if not (section or is_link_only(block.raw) or _is_label(block.text, max_words)):
            break
        page.roles[j] = role
        j += 1
    return j


def _consume_section(page: Page, i: int, kind: str) -> int:
    if kind == "rest":
        page.roles[i:] = ["clutter"] * (len(page.blocks) - i)
        return len(page.blocks)
    if kind == "authors":
        return _consume_author_box(page, i)
    if kind == "languages":
        return _consume_run(page, i, "languages", 3)
    return _consume_run(page, i, "tags", 10)


_DATED = re.compile(r"(?:published|posted|updated|issued|released)\b", re.IGNORECASE)


def dated_line(text: str) -> str | None:
    """The date of a header line that says who published it and when ("Published by the Westmere District
    Council, 15 September 2025"), where the date is one of its comma-separated parts; None otherwise."""
    line = text.strip()
    if "\n" in line or len(line) > 150 or not _DATED.match(line):
        return None
    return next(iter(part_dates(line)), None)


def _is_date_line(text: str, *, labelled: bool = True) -> bool:
    """Whether a header line is its date: a date alone, "Published by X, <date>", or (``labelled``) a date
    under a short label ("Last updated: <date>", "Opinion | <date>")."""
    # ("By Kim Lee · 4 March 2020", "Posted on <date> by Kim Lee": a byline that gives its date, read as one)
    if is_byline(text):
        return False
    # (a date under its label, or in one part of the line: "Admissions Office — last updated 8 August 2026")
    one_line = "\n" not in text.strip() and len(text) <= 150
    return bool(parse_date(text) or dated_line(text) or (labelled and one_line and line_dates(text)))


MAX_HEADER_LINES = 5
# A page's opening block may hold its whole header as lines (title, byline, date, "ABOUT THE AUTHORS", bios,
# a label, the standfirst), as scraped pages do when their header has no blank lines: more lines, and longer
# ones (a bio, a standfirst), when a byline or a date stands among its first lines
MAX_OPENING_LINES = 12
OPENING_LINE_CHARACTERS = 300
TITLE_WORDS = 5  # a first line's words before its date that make it a title, not a label ("Last updated:")


def title_with_date(text: str) -> bool:
    """Whether a header line is a title followed by its date: "Trip report: Grey Skerry Point, Sunday 14
    September 2026" (not "Published by the council, 15 September 2025", a dateline)."""
    head = re.split(rf",\s+|{SEPARATOR}", text.strip(), maxsplit=1)[0]
    return (
        "\n" not in text.strip()
        and head != text.strip()
        and len(head.split()) >= TITLE_WORDS
        and not line_dates(head)
        and not re.match(rf"\s*(?:{BYLINE_VERB}|(?:published|issued|updated|posted|released)\b)", head, re.I)
    )


def _heads_byline(blocks: list[Block], i: int) -> bool:
    """Whether block ``i`` opens the page right above its byline: a title and a standfirst written as two
    lines ("'I've sold cheese here for 27 years.'" then "An interview with trader Wilf Abernathy")."""
    if i != 0 or i + 1 >= len(blocks):
        return False
    after = blocks[i + 1].text.strip()
    return _byline_lines(after) or (is_byline(after.split("\n")[0]) and "\n" not in after)


def _dated_or_signed(line: str) -> bool:
    # (a byline is no sentence: "By noon the fire was out." starts a paragraph of text)
    return (is_byline(line) and line.rstrip()[-1] not in ".!?") or _is_date_line(line) or dated_byline(line)


def _opening_header(lines: list[str]) -> bool:
    """Whether the lines of a page's first block are its whole header: a byline or a date among the first
    three, every line short enough to be a title, a bio or a standfirst."""
    return (
        MAX_HEADER_LINES < len(lines) <= MAX_OPENING_LINES
        and all(len(line.strip()) <= OPENING_LINE_CHARACTERS for line in lines)
        and any(_dated_or_signed(line) for line in lines[1:3])
    )


def _header_lines(block: Block, *, before_byline: bool = False, opening: bool = False) -> list[Block] | None:
    """A header paragraph written as lines (title, byline, dateline under one another with no blank line
    between) as one block per line; None when the block is not such a header: more than a few lines, a long
    one, or none of them a byline or a date (``before_byline``: or the page's byline right under it).
    ``opening``: the page's first block, which may be its whole header (``_opening_header``)."""
    lines = block.text.strip().split("\n")
    if block.kind == "p" and opening and _opening_header(lines):
        pass
    elif (
        block.kind != "p"
        or not 2 <= len(lines) <= MAX_HEADER_LINES
        or any(len(line.strip()) > 200 for line in lines)
        # (a byline is no sentence: "By noon the fire was out." starts a paragraph of text)
        or not (before_byline or any(_dated_or_signed(line) for line in lines))
    ):
        return None
    pieces_by_line: list[list[Piece]] = [[]]
    for piece in block.pieces:
        at = 0
        for part in piece.text.split("\n"):
            if at:
                pieces_by_line.append([])
            start = None if piece.source_start is None else piece.source_start + at
            pieces_by_line[-1].append(Piece(part, start))
            at += len(part) + 1
    out = []
    for pieces in pieces_by_line:
        kept = trim(pieces)
        if kept:
            text = "".join(p.text for p in kept)
            start = next((p.source_start for p in kept if p.source_start is not None), block.start)
            out.append(Block(text, start, kept, "line"))
    return out


def _byline_lines(text: str) -> bool:
    """Whether a block of a few short lines is a byline and its dateline written together ("By Kim Lee" then
    "Published 4 March 2020" on the next line): every line one or the other, one of them a byline."""
    lines = [line.strip() for line in text.strip().split("\n")]
    if not 2 <= len(lines) <= 4 or any(len(line) > 120 for line in lines):
        return False
    bylines = [is_byline(line) for line in lines]
    # (a title that ends with its date heads the page: it is no byline's dateline)
    return any(bylines) and all(
        b or (_is_date_line(line) and not title_with_date(line))
        for b, line in zip(bylines, lines, strict=True)
    )


def byline_parts(text: str) -> tuple[str | None, list[str]]:
    """A byline block's byline line and its other lines (a dateline written under it)."""
    lines = [line.strip() for line in text.strip().split("\n")]
    byline = next((line for line in lines if is_byline(line)), None)
    return byline, [line for line in lines if line != byline]


def _header(page: Page) -> int:
    """Mark the header blocks (title, byline, date, furniture between them); return where the body starts."""
    blocks, roles = page.blocks, page.roles
    title_at: int | None = None
    repeated = False
    i = 0
    while i < len(blocks):
        block, text = blocks[i], blocks[i].text
        lines = (
            None
            if _byline_lines(text)
            else _header_lines(block, before_byline=_heads_byline(blocks, i), opening=i == 0)
        )
        if lines is not None:
            blocks[i : i + 1] = lines
            roles[i : i + 1] = ["body"] * len(lines)
            continue
        if not text:
            roles[i] = "empty"
        elif title_at is not None and not repeated and _norm(text) == _norm(blocks[title_at].text):
            # The page repeats its header (title, byline, ...): drop the first copy.
            roles[:i] = ["duplicate" if r in KEPT_ROLES else r for r in roles[:i]]
            roles[i], title_at, repeated = "title", i, True
        elif kind := _section(block):
            if kind in ("rest", "list"):
                break
            i = _consume_section(page, i, kind)
            continue
        elif title_at is None and not any(r in KEPT_ROLES for r in roles[:i]) and title_with_date(text):
            roles[i], title_at = "title", i
        elif _is_date_line(text, labelled=title_at is not None or block.kind == "line"):
            # (a labelled date is a dateline only under a title: "Elections on 5 May 2026" may be the title)
            roles[i] = "date"
        elif _ATTRIBUTION.match(text) and len(text) <= 300:
            roles[i] = "attribution"
        elif is_byline(text) and "\n" not in text.strip() or _byline_lines(text):
            roles[i] = "byline"
        elif _is_nav(block, in_header=True):
            roles[i] = "nav"
        elif title_at is None and (block.is_heading or ("\n" not in text and len(text) <= 200)):
            roles[i], title_at = "title", i
        elif block.kind == "line":
            pass  # a header line that is none of these ("Greyhaven Community Transport"): text, kept as written
        else:
            break
        i += 1
    return i


def classify(blocks: list[Block]) -> Page:
    """Give every block a role: header parts, ``body``, or the kind of furniture it is (dropped)."""
    page = Page(blocks, ["body"] * len(blocks))
    i = _header(page)
    seen_body = False
    while i < len(blocks):
        block, text = blocks[i], blocks[i].text
        kind = _section(block)
        if kind == "rest" and not seen_body:
            kind = None  # "Related" before any article text is the article's own word, not a teaser list
        if kind:
            i = _consume_section(page, i, kind)
            continue
        if not text:
            page.roles[i] = "empty"
        elif _ATTRIBUTION.match(text) and len(text) <= 300:
            page.roles[i] = "attribution"
        elif _is_nav(block, in_header=False):
            page.roles[i] = "nav"
        else:
            seen_body = True
        i += 1
    _closing_credit(page)
    if "byline" not in page.roles:
        for j, (block, role) in enumerate(zip(blocks, page.roles, strict=True)):
            if role == "author-box" and block.text.strip() in page.author_names:
                page.roles[j] = "author-name"
    return page


# "Marcus Defoe is a columnist for the Vayle Evening Post. This column appeared on 11/02/2026.", "*Gwen
# Marlowe is a retired nurse and a parish councillor in Ravensett.*": who wrote an opinion piece, said at its end
_CREDIT = re.compile(
    r"[*_\s]*(?P<name>(?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*\w)\s+(?:is|was|has\s+been|writes|wrote|works)\b"
)
# Words of a writer's credit, which a closing sentence about someone the article reports on rarely has
_CREDIT_WORDS = re.compile(
    r"\b(?:columnist|column|writes|writer|author|editor|correspondent|journalist|reporter|contributor|"
    r"freelance|commentator|critic|appeared|published)\b",
    re.IGNORECASE,
)
CREDIT_CHARACTERS = 300  # a credit is a line or two, not a paragraph of the article


def _closing_credit(page: Page) -> None:
    """Mark the page's last paragraph as its writer's credit when it is one: short, about a person the page
    never mentioned before, in italics or in a writer's words. Its name is an author's; it is quoted about the
    author, never as what the page argues."""
    body = [i for i, r in enumerate(page.roles) if r == "body"]
    if len(body) < 3 or any(r in AUTHOR_BOX_ROLES for r in page.roles):
        return  # (a page with an author box says who wrote it there)
    last = page.blocks[body[-1]]
    text = last.text.strip()
    m = _CREDIT.match(text)
    if m is None or len(text) > CREDIT_CHARACTERS or last.kind != "p":
        return
    emphasised = re.match(r"\s*(\*|_)[^*_]", last.raw) is not None and last.raw.rstrip().endswith(("*", "_"))
    if not (emphasised or _CREDIT_WORDS.search(text[m.end() :])):
        return
    surname = m.group("name").split()[-1]
    if any(surname in page.blocks[i].text for i in body[:-1]):
        return  # someone the page reports on, not its writer
    page.roles[body[-1]] = "author-box"
    page.credit = last
    if m.group("name") not in page.author_names:
        page.author_names.append(m.group("name"))


def _breaks_sentence(before: Block, after: Block) -> bool:
    """True when a blank line between two body blocks cut a sentence in two (the first has no ending)."""
    if before.is_heading or after.is_heading or after.kind == "li" or "code" in (before.kind, after.kind):
        return False
    head, tail = before.text.rstrip(), after.text.lstrip()
    if not head or not tail or head[-1] in _SENTENCE_END or re.match(r"[-*+>|#]|\d+[.)]\s", tail):
        return False
    last_word = head.split()[-1].lower()
    return tail[0].islower() or (last_word in _CONNECTORS and tail[0].isalnum())


def _paragraph_break(before: Block, original: str) -> Piece:
    end = before.source_end
    if end is not None and original.startswith("\n\n", end):
        return copied(original, end, end + 2)
    return Piece("\n\n")


def assemble(
    page: Page, original: str
) -> tuple[str, tuple[SourceSegment, ...], tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]]:
    """The kept blocks as one text (paragraphs separated by blank lines), its map back to ``original``, the
    ``(start, end)`` spans of that text which lie in an author box (one per box block), and the
    ``(start, end, level)`` spans of the article's headings (``#``..``######``, ``<h1>``..``<h6>``).

    The author box comes last, wherever the page had it: the article's header and body stay together as the
    page's reader meets them (and are chunked as before), and the box is one region of its own at the end.
    """
    builder = TextBuilder()
    box: list[tuple[int, int]] = []
    headings: list[tuple[int, int, int]] = []
    before: Block | None = None
    before_role = ""
    kept = [(b, r) for b, r in zip(page.blocks, page.roles, strict=True) if r in KEPT_ROLES and b.pieces]
    for block, role in [
        *((b, r) for b, r in kept if r not in AUTHOR_BOX_ROLES),
        *((b, r) for b, r in kept if r in AUTHOR_BOX_ROLES),
    ]:
        if before is not None:
            if before_role == role == "body" and _breaks_sentence(before, block):
                builder.add(Piece(" "))
            else:
                builder.add(_paragraph_break(before, original))
        start = len(builder)
        builder.extend(block.pieces)
        if role in AUTHOR_BOX_ROLES:
            box.append((start, len(builder)))
        elif block.is_heading:
            headings.append((start, len(builder), int(block.kind[1])))
        before, before_role = block, role
    text, segments = builder.build()
    return text, segments, tuple(box), tuple(headings)
