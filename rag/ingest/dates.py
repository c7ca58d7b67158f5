"""Dates as written on web pages and in metadata, turned into ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_PREFIX = r"(?:(?:published|posted|updated|date|dated)(?:\s+on)?\s*:?\s*)?"
_TIME = r"(?:[T ,]+\d{1,2}:\d{2}.*)?"
_ORD = r"(?:st|nd|rd|th)?"
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_PREFIX + r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME, re.I), "ymd"),
    (re.compile(_PREFIX + r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME, re.I), "ymd"),
    # Dotted dates are day-first wherever they are used ("23.05.19").
    (re.compile(_PREFIX + r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME, re.I), "dmy"),
    # Slashed dates with the year last are day-first unless the day cannot be ("11/02/2026"; "02/13/2026").
    (re.compile(_PREFIX + r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME, re.I), "dmy?"),
    (re.compile(_PREFIX + r"([a-z]{3,9})\.?\s+(\d{1,2})" + _ORD + r",?\s+(\d{4})" + _TIME, re.I), "mdy"),
    (re.compile(_PREFIX + r"(\d{1,2})" + _ORD + r"\s+([a-z]{3,9})\.?,?\s+(\d{4})" + _TIME, re.I), "dmy"),
)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years on news sites are this century's unless that is in the future
        year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
    return year


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS.get(text.lower(), 0)


def parse_date(text: str) -> str | None:
    """The ISO date a short text spells in full ("Jan 11, 2022", "23.05.19", "2022-01-11T09:00Z"), else None.

    Only a text that *is* a date (optionally "Published ..." and a time) counts: a sentence that mentions one
    does not.
    """
    text = text.strip()
    if len(text) > 60:
        return None
    for pattern, order in _FORMS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "ymd":
                day = dt.date(_year(a), _month(b), int(c))
            elif order == "mdy" or (order == "dmy?" and int(b) > 12):
                day = dt.date(_year(c), _month(a), int(b))
            else:
                day = dt.date(_year(c), _month(b), int(a))
        except ValueError:  # month 0 (not a month name), day 31 of a short month, ...
            continue
        return day.isoformat()
    return None


# How a one-line header sets its parts apart: "By Kim Lee · 4 March 2020", "Published by the council, 15
# September 2025". (A byline's commas may also separate its authors: ``SEPARATOR`` alone does not split them.)
SEPARATOR = r"\s+[·|•—–]\s+"
_PARTS = re.compile(rf",\s+|{SEPARATOR}")
# "Posted by Rhona Vell on 3 March 2026": who, then the byline's date after "on"
BY_ON = re.compile(r"\b(?i:by)\s+(?P<names>\S.*?)\s+on\s+(?P<date>\S[^,·|]*?)[\s.]*$")


def part_dates(line: str) -> list[str]:
    """The dates (ISO 8601) that parts of a one-line header give, in order ("Summary published 3 February
    2027, prepared by ...": a part may be a date under its label)."""
    return [d for part in _PARTS.split(line) if (d := parse_date(part) or labelled_date(part))]


LABEL_WORDS = 4  # words a header's date line may say besides its date ("Date of decision:", "Last updated:")
_SENTENCE_END = re.compile(r"[.!?]\s*$")


def labelled_date(line: str) -> str | None:
    """The date of a short header line that is a date under a label: "Last updated: 11 January 2026",
    "Opinion | 5 May 2026", "Reviewed 3 April 2026", "Sunday 22 March 2026"; None for anything longer or a
    sentence ("It opened on 5 May 2026.")."""
    line = line.strip()
    if len(line) > 60 or "\n" in line or _SENTENCE_END.search(line):
        return None
    for pattern, _order in _FORMS:
        for m in pattern.finditer(line):
            rest = re.sub(r"[^\w\s]", " ", line[: m.start()] + " " + line[m.end() :]).split()
            if len(rest) <= LABEL_WORDS and (day := parse_date(m.group())):
                return day
    return None


def line_dates(line: str) -> list[str]:
    """Every date a header line gives, in order and once each: the line as a date, a date under its label, or
    one of its parts ("By Kim Lee · 4 March 2020", "Summary published 3 February 2027, prepared by ...")."""
    by_on = BY_ON.search(line)
    found = [
        parse_date(line),
        labelled_date(line),
        *part_dates(line),
        by_on and parse_date(by_on.group("date")),
    ]
    return list(dict.fromkeys(d for d in found if d))
