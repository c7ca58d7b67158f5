"""Title, authors, date, address and publication of a page, read from its header and attribution lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from rag.ingest import outlets
from rag.ingest.clean import (
    BYLINE_VERB,
    FIRST_SENTENCE_END,
    KEPT_ROLES,
    POSTED_BY,
    Page,
    byline_parts,
    title_with_date,
)
from rag.ingest.dates import BY_ON, SEPARATOR, labelled_date, line_dates, parse_date
from rag.ingest.inline import links

_PUBLISHED_IN = re.compile(
    r"(?:also published in|originally (?:published|appeared) (?:in|at|on|by)|original publication)"
    r"\s*:?\s*(.+)",
    re.I | re.S,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.I)
_RELATIVE_LINK = re.compile(r"\]\((/[\w%~.-][^\s()]*)\)|\\?\((/[\w%~.-][^\s()\\]*)\\?\)")
_ABSOLUTE_LINK = re.compile(r"https?://[^\s()<>\[\]\\\"']+")


@dataclass(frozen=True)
class Metadata:
    """What a file says about its article; a field is None (or empty) when the file does not say."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    url: str | None = None
    publication: str | None = None

    def over(self, fallback: Metadata) -> Metadata:
        """These values, with the gaps filled from ``fallback``."""
        return replace(
            self, **{f.name: getattr(fallback, f.name) for f in fields(self) if not getattr(self, f.name)}
        )


# What a byline says after a name that is no author: the writer's desk, post or employer ("By Kim Lee,
# Consumer Safety Desk", "By Dr Ann Wu, Wrenfield Health Centre")
_AFFILIATION = re.compile(
    r"\b(?:desk|editor|correspondent|reporter|writer|staff|columnist|contributor|manager|officer|director|"
    r"head|chief|chair|secretary|spokes\w+|team|department|dept|centre|center|clinic|hospital|surgery|"
    r"university|college|school|institute|council|service|services|agency|news|press|times|post|"
    r"association|society|trust|foundation|group|club|ltd|inc|plc|llc|headteacher|headmaster|headmistress|"
    r"principal|observatory|office|bureau|laborator(?:y|ies)|museum|library|relations|communications|series|"
    r"board|committee|authority|ministry|government|police|charity|programme)\b"
    # ("By Nadia Ferrow, Tessendale Courier": the paper she writes for)
    rf"|\b(?:{outlets.PRESS_WORDS})$",
    re.I,
)


def split_authors(text: str) -> tuple[str, ...]:
    """Names in a byline ("by A, B and C") as a tuple, in order, without duplicates; what follows a name
    to say where or what its writer is ("By Kim Lee, Health Desk") is not a name."""
    text = re.sub(rf"^\s*{BYLINE_VERB}\s+", "", text.strip(), flags=re.I)
    names = [" ".join(n.split()).strip(" .") for n in _AUTHOR_SPLIT.split(text)]
    # "By Kim Lee for the Gazette": whom the writer wrote for is no name; "site warden Owen Maddox": nor the post
    names = [_LOWER_POST.sub("", _WRITING_FOR.sub("", n)) for n in names]
    named = [n for n in names if n and not (len(names) > 1 and _AFFILIATION.search(n))]
    return tuple(dict.fromkeys(named or [n for n in names if n]))


_BYLINE_SEPARATOR = re.compile(SEPARATOR)
_LOWER_POST = re.compile(
    r"^(?:(?!(?:the|a|an|van|von|de|der|den|da|di|du|la|le|al|bin|ibn|ter|ten)\s)[a-z][\w-]*\s+)+(?=[A-Z])"
)
_WRITING_FOR = re.compile(r"\s+for\s+(?:the\s+)?[A-Z].*$")


def _byline_fields(line: str) -> tuple[tuple[str, ...], list[str]]:
    """The authors of a byline and the dates written on its line: "By Kim Lee · 4 March 2020", "By Kim Lee,
    4 March 2020" (a part that reads as a date, or only a year, is no author's name). Of parts set apart
    by a dash or a bar, the names are in the first that is no date: the others say where the writer works or
    which series it is ("By Ewan Bray — Heritage Society, Local Lives series")."""
    # "Issued by the Highways Team, 14 May 2026. Contact officer: Petra Vance.": the byline is its first sentence
    line = FIRST_SENTENCE_END.split(line.strip(), maxsplit=1)[0]
    posted = POSTED_BY.fullmatch(line.strip())
    if posted:  # "Posted on 4 March 2026 by Harriet Noakes, Library Services Manager"
        return split_authors(posted.group("names")), [posted.group("date")]
    by_on = BY_ON.search(line)  # "Posted by Fenella Osgood on 3 March 2026"
    if by_on and parse_date(by_on.group("date")):
        return split_authors(by_on.group("names")), [by_on.group("date")]
    parts = _BYLINE_SEPARATOR.split(line)
    # (a part under a label, "last updated 8 August 2026"; not the byline part itself, "By Kim Lee, 4 March 2020")
    dates = [
        p
        for p in parts
        if parse_date(p) or (labelled_date(p) and not re.match(rf"\s*{BYLINE_VERB}\s", p, re.I))
    ]
    # ("Midshire Business Review · Rohan Achterberg · 12.05.2026": the outlet's part names no one)
    named = [p for p in parts if p not in dates and not outlets.is_outlet(p)]
    names = split_authors(named[0]) if named else ()
    kept = tuple(n for n in names if not parse_date(n) and not re.fullmatch(r"[\d\s,.]+", n))
    return kept, [*dates, *(n for n in names if parse_date(n))]


def proper_case(title: str, original: str) -> str:
    """An all-capitals title replaced by the same words cased properly elsewhere in the file, if any."""
    if not title or title != title.upper() or title == title.lower():
        return title
    words = [re.escape(w) for w in title.split()]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)
    for m in pattern.finditer(original):
        found = m.group()
        if found != found.upper():
            return " ".join(found.split())
    return title


def web_url(url: object) -> str | None:
    """``url`` when it is an absolute ``http(s)`` address, else None: a ``javascript:``, ``data:`` or relative
    address from a document's front matter or meta tags is never passed on to a reader or another client."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c in url for c in "\x00\r\n\t ")
    ):
        return None
    return url


def site_address(original: str) -> str | None:
    """The site a page came from: the scheme and host of absolute links whose paths match its relative links.

    A converted page keeps its own links relative ("/policy-analysis/...") and a few absolute ones
    ("https://www.example.org/policy-analysis/..."): the host those share a first path segment with is the
    site.
    """
    sections = {(m.group(1) or m.group(2)).split("/")[1] for m in _RELATIVE_LINK.finditer(original)} - {""}
    if not sections:
        return None
    hosts: Counter[str] = Counter()
    for m in _ABSOLUTE_LINK.finditer(original):
        parts = urlsplit(m.group())
        segment = parts.path.split("/")[1] if parts.path.count("/") >= 1 else ""
        if parts.netloc and segment in sections:
            hosts[f"{parts.scheme}://{parts.netloc}"] += 1
    return hosts.most_common(1)[0][0] if hosts else None


def _attribution(page: Page) -> tuple[str | None, str | None]:
    """``(url, publication)`` from lines like "Read the full article on X (url)", "Original publication X"."""
    url: str | None = None
    publication: str | None = None
    for block in page.having("attribution"):
        for _text, target in links(block.raw):
            if url is None and re.match(r"https?://", target):
                url = target
        m = _PUBLISHED_IN.match(block.text)
        if publication is None and m:
            publication = " ".join(m.group(1).split()).strip(" .:") or None
    return url, publication


def page_metadata(page: Page, original: str) -> Metadata:
    """Metadata from a classified page: title block, byline or author box, header date, attribution lines."""
    title_block = page.first("title")
    title = proper_case(title_block.text.strip(), original) if title_block else None
    byline = page.first("byline")
    stated, under = byline_parts(byline.text) if byline else (None, [])
    named, dated = _byline_fields(stated) if stated else ((), [])
    authors = named if stated else tuple(page.author_names)
    # a date on the byline's line or under it, in the same block, comes before a date line further down
    dates = (
        next(iter(line_dates(text)), None)
        # (and last, a title that gives its date: "Trip report: Grey Skerry Point, Sunday 14 September 2026")
        for text in [
            *dated,
            *under,
            *(b.text for b in page.having("date")),
            *([title] if title and title_with_date(title) else []),
        ]
    )
    credit = page.credit.text if page.credit is not None else ""
    # (a date the closing credit gives, "Published 7th May 2026.", when the header gives none)
    credit_dates = (labelled_date(s.rstrip(".")) for s in re.split(r"(?<=[.!?])\s+", credit) if s)
    url, publication = _attribution(page)
    return Metadata(
        title=title or None,
        authors=authors,
        date=next((d for d in dates if d), None) or next((d for d in credit_dates if d), None),
        url=url or site_address(original),
        publication=publication or _header_outlet(page, authors) or outlets.credited_outlet(credit),
    )


HEADER_WORDS = 12  # a paragraph this long starts the article: header lines above it are short


def _header_outlet(page: Page, authors: tuple[str, ...]) -> str | None:
    """The outlet named by a line of the page's header ("By Kim Lee, Tessendale Courier", "Orrinford
    Herald, Tuesday, 5 May 2026", "*The Orrinford Post, opinion*"), above its first paragraph of text."""
    for block, role in zip(page.blocks, page.roles, strict=True):
        if role == "title" or role not in KEPT_ROLES:
            continue
        if role == "body" and (len(block.text.split()) >= HEADER_WORDS or block.is_heading):
            return None
        for line in block.text.split("\n"):
            name = outlets.header_outlet(line)
            if name is not None and name not in authors:
                return name
    return None
