"""The outlet a page was published in, where its header or its closing credit names it.

"By Nadia Ferrow, Tessendale Courier", "Midshire Business Review · Rohan Achterberg · 12.05.2026", "*The
Orrinford Post, opinion*", "Marcus Defoe is a columnist for the Vayle Evening Post.": a masthead is a short run
of capitalised words ending in a word that newspapers and magazines are named by. Such a part of a byline is
where its writer works, not a second author; and a question may name the page by it ("the Courier report").
"""

from __future__ import annotations

import re

from rag.ingest.dates import SEPARATOR

# The last word of a newspaper's or magazine's name. (Words that end other names too, "Society", "Trust",
# "Institute", are left out: "Heritage Society, Local Lives series" is no outlet.)
PRESS_WORDS = (
    r"courier|herald|gazette|post|times|review|weekly|daily|monthly|quarterly|voice|ledger|journal|chronicle|"
    r"echo|mail|telegraph|guardian|observer|standard|express|tribune|record|recorder|news|bulletin|argus|"
    r"mercury|advertiser|press|star|magazine|register|sentinel|dispatch|examiner|independent|digest|"
    r"globe|enquirer|inquirer|citizen|clarion|messenger|spectator|mirror|insider|bugle|dispatches"
)
_CAPITALISED = r"[A-Z][\w’'.-]*"
# "The Lowland Ledger", "Midshire Business Review", "Stannick Evening Post": up to four words before the last
MASTHEAD = rf"(?:The\s+)?(?:{_CAPITALISED}\s+){{0,4}}(?i:{PRESS_WORDS})"
_MASTHEAD = re.compile(MASTHEAD)
_PRESS_WORD = re.compile(rf"(?i:{PRESS_WORDS})")
# A section's label, not a paper's name: "Local News", "Business Review"
_SECTION_WORDS = frozenset(
    [
        "local",
        "world",
        "business",
        "sport",
        "sports",
        "breaking",
        "latest",
        "top",
        "national",
        "international",
        "regional",
        "health",
        "science",
        "politics",
        "arts",
        "community",
        "weekend",
        "morning",
        "evening",
    ]
)
_BYLINE_START = re.compile(
    r"\s*(?:(?:written|compiled|edited|prepared|reported|posted|issued|interview)\s+)?by\b", re.I
)
_PARTS = re.compile(rf",\s+|{SEPARATOR}|\s+-\s+")
# "... is a columnist for the Vayle Evening Post", "This column first appeared in The Orrinford Post"
_CREDITED = re.compile(rf"\b(?:for|in|at|with|of)\s+((?:the\s+)?{MASTHEAD})(?![\w’'-])")


def masthead(part: str) -> str | None:
    """``part`` (one part of a header line) when it is an outlet's name, as written; else None."""
    name = " ".join(part.strip(" *_.:;").split())
    if not name or not _MASTHEAD.fullmatch(name):
        return None
    last = name.split()[-1]
    # (the last word capitalised, as a name's is: "Local news" is a section, "Weekly" alone is no name)
    words = name.removeprefix("The ").split()
    if not last[0].isupper() or len(words) == 1 and words[0].casefold() in ("news", "press", "review"):
        return None
    if len(words) == 2 and words[0].casefold() in _SECTION_WORDS:
        return None
    return name


def header_outlet(line: str) -> str | None:
    """The outlet a header line names in one of its parts ("Orrinford Herald, Tuesday, 5 May 2026",
    "Column | Hallowdale Herald, Saturday Comment"), or None."""
    if len(line) > 200 or "\n" in line.strip():
        return None
    return next(
        (
            name
            for part in _PARTS.split(line.strip())
            if not _BYLINE_START.match(part) and (name := masthead(part))
        ),
        None,
    )


def credited_outlet(text: str) -> str | None:
    """The outlet a closing credit says its writer writes for ("... is a columnist for the Vayle Evening
    Post."), or None."""
    for m in _CREDITED.finditer(text):
        name = m.group(1).removeprefix("the ")  # ("for the Vayle Evening Post": "the" is the sentence's)
        if masthead(name):
            return name
    return None


def is_outlet(name: str) -> bool:
    """Whether ``name`` (a part of a byline) is an outlet's name rather than a person's."""
    return masthead(name) is not None and _PRESS_WORD.fullmatch(name.split()[-1]) is not None
