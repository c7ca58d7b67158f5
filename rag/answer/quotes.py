"""Check every quote in a generated answer against the passages it cites, and turn markers into citations.

This is the product's promise: a quote shown to a user is the document's exact words, at a recorded span.
Generated text marks quotes either as blockquote lines (``> words [n]``) or inline (``“words” [n]``), ``n``
being a passage number (``[2, 3]`` names several). Each quote is looked up in passage ``n`` ignoring
differences of white space and typographic quotation marks; when found, the answer shows the document's own
characters and the citation records the span (status ``verified``). A quote not found verbatim is repaired
to the closest verbatim span of its passage when one is close enough (``closest_span``), or to the same
words in another retrieved passage when the model only got the number wrong (status ``repaired``: the words
shown are then the document's). Anything else is marked unverified in the text, never shown as a quote. A
marker that names no passage is removed. A quotation of three words or more with no marker at all is looked
up in every passage the same way. Markers are renumbered 1, 2, ... in reading order, one per citation.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Citation, Document, Passage

_QUOTE_CHARS = str.maketrans(dict.fromkeys("“”„‟″«»", '"') | dict.fromkeys("‘’‚‛′", "'"))
_NUMBERS = r"\d+(?:[ \t]*,[ \t]*\d+)*"  # [2] or [2, 3]
# One pass over the text, in reading order: a blockquote line with a marker, a blockquote line without one,
# an inline quote with a marker, an inline quote without one, or a bare marker.
_PATTERN = re.compile(
    rf"^>[ \t]?(?P<block>.+?)[ \t]*\[(?P<block_n>{_NUMBERS})\][ \t]*[.,;]?[ \t]*$"
    r"|^>[ \t]?(?P<free_block>.*\S)[ \t]*$"
    rf"|(?P<open>[“\"])(?P<inline>[^“”\"\n]{{3,}}?)[”\"][ \t]*\[(?P<inline_n>{_NUMBERS})\]"
    r"|[“\"](?P<free>[^“”\"\n]{3,}?)[”\"]"
    rf"|\[(?P<bare_n>{_NUMBERS})\]",
    re.MULTILINE,
)
# An unmarked quotation shorter than this is a term or a scare quote (the “so-called” deal), not a citation.
_MIN_FREE_QUOTE_WORDS = 3
MAX_TITLES_READ = 1000  # documents whose titles are read to tell a title's quotation from a quote
_ELLIPSIS = re.compile(r"^(?:\.\.\.|…)\s*|\s*(?:\.\.\.|…)$")
UNVERIFIED = "*(unverified: not found in the cited passage)*"
UNVERIFIED_UNCITED = "*(unverified: not found in the documents)*"

# Repair. A model copying a sentence slips: a dropped or added word, another article, another form of a word
# ("handled" for "handling", "US" for "U.S."). Such a quote is aligned word by word (difflib's ratio,
# 2*matches / total words) with every window of the passage about its length, and the best window replaces
# it when the ratio is at least 0.8 and the window holds at least 85% of the quote's words: for a quote of
# ten words that allows one word to differ, while a paraphrase that rewords a sentence keeps well under two
# thirds of its words in order and stays unverified. The coverage rule stops a repair from keeping the
# document's half of a quote and dropping the model's claim ("Aliens built [the ferry terminal]"). Quotes
# under four words are never repaired: one changed word there is another statement. Nor is a window that
# differs from the quote in a number or a negation, or where the quote swaps a word for another one ("for"
# for "against") rather than a form of it: those change what the sentence says.
REPAIR_MIN_RATIO = 0.8
REPAIR_MIN_COVERAGE = 0.85
_MIN_REPAIR_WORDS = 4
_POSSESSIVE = re.compile(r"'s$")
_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:['’.\-]\w+)*")  # U.S. whole, with its last dot
_ARTICLES = frozenset({"a", "an", "the"})
_NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "without", "cannot"}
)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` with typographic quotes made plain and white-space runs made one space, plus for each
    character of the result the offset in ``text`` it came from."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for i, ch in enumerate(text.translate(_QUOTE_CHARS)):
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def find_verbatim(quote: str, text: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text`` ignoring white space and quotation-mark style, or None."""
    needle, _ = normalise_with_map(quote.strip())
    if not needle:
        return None
    haystack, offsets = normalise_with_map(text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


_OPENING, _CLOSING = "“\"‘'«", "”\"’'»"
_DOUBLE = re.compile('[“”"«»]')  # a quotation mark inside means the end marks belong to inner quotations


def _trim(quote: str) -> str:
    """The quoted words without wrapping quotation marks, leading/trailing ellipses or a trailing comma.

    Only marks that wrap the quote are removed: a pair at both ends, or a lone mark whose partner is not
    inside. A sentence that opens a quotation and goes on after it (“...,” he said.) keeps its mark.
    """
    words = _ELLIPSIS.sub("", quote.strip()).strip()
    while (
        len(words) > 1 and words[0] in _OPENING and words[-1] in _CLOSING and not _DOUBLE.search(words[1:-1])
    ):
        words = words[1:-1].strip()
    if words[:1] and words[0] in _OPENING and not any(c in words[1:] for c in _CLOSING):
        words = words[1:]
    if words[-1:] and words[-1] in _CLOSING and not any(c in words[:-1] for c in _OPENING):
        words = words[:-1]
    return words.strip().rstrip(",;:").rstrip()


def _find_exact(quote: str, text: str) -> tuple[int, int] | None:
    """``find_verbatim``, also forgiving a final full stop the model added where the sentence goes on."""
    span = find_verbatim(quote, text)
    if span is None and quote.endswith((".", "!", "?")):
        span = find_verbatim(quote[:-1], text)
    return span


def _words(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` compared case-, dot- and apostrophe-blind and crudely stemmed (U.S. ~ US, goals ~
    goal, handled ~ handling), with their spans."""
    return [(_stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _stem(word: str) -> str:
    word = _POSSESSIVE.sub("", word.lower().replace("’", "'").replace(".", ""))
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _critical(words: Sequence[str]) -> Counter[str]:
    return Counter(w for w in words if w in _NEGATIONS or w.endswith("n't") or any(c.isdigit() for c in w))


def _slips_only(found: list[str], wanted: list[str]) -> bool:
    """Whether every word the quote changed is a variant of the document's (handled ~ handling), not another
    word (for ~ against): added and dropped words are slips, a swapped word changes what is said."""
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, found, wanted, autojunk=False).get_opcodes():
        if op == "replace":
            ours, theirs = " ".join(found[a1:a2]), " ".join(wanted[b1:b2])
            if {ours, theirs} <= _ARTICLES:
                continue
            if difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() < 0.5:
                return False
    return True


def closest_span(quote: str, text: str, min_ratio: float = REPAIR_MIN_RATIO) -> tuple[int, int, float] | None:
    """The span of ``text`` whose words best align with ``quote``'s, and their similarity (0-1).

    The best window is the one that matches the most of the quote's words, then the tightest. None when the
    quote is under four words, no window reaches ``min_ratio``, or the best one changes what is said (see
    above). Unmatched words at the edges of the window are left out of the span.
    """
    wanted = [w for w, _, _ in _words(quote)]
    if len(wanted) < _MIN_REPAIR_WORDS:
        return None
    words = _words(text)
    tokens = [w for w, _, _ in words]
    slack = max(2, len(wanted) // 4)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)  # the matcher caches what it learns about its second sequence
    best: tuple[int, float, int, list[difflib.Match]] | None = None
    for length in range(max(1, len(wanted) - slack), len(wanted) + slack + 1):
        total = length + len(wanted)
        for i in range(len(tokens) - length + 1):
            matcher.set_seq1(tokens[i : i + length])
            bound = matcher.quick_ratio()  # a cheap upper bound first: most windows share too few words
            if bound < min_ratio or (best and bound * total / 2 < best[0]):
                continue
            ratio = matcher.ratio()
            matches = round(ratio * total / 2)
            if ratio >= min_ratio and (best is None or (matches, ratio) > best[:2]):
                best = (matches, ratio, i, matcher.get_matching_blocks())
    if best is None:
        return None
    matches, ratio, i, blocks = best
    if matches < REPAIR_MIN_COVERAGE * len(wanted):
        return None
    first = i + blocks[0].a
    last = i + max(b.a + b.size for b in blocks if b.size) - 1
    found = tokens[first : last + 1]
    if _critical(wanted) != _critical(found) or not _slips_only(found, wanted):
        return None
    start, end = words[first][1], words[last][2]
    if quote.rstrip().endswith((".", "!", "?")) and text[end : end + 1] in (".", "!", "?"):
        end += 1
    return start, end, ratio


_Found = tuple[Passage, int, int, str]  # passage, start, end (document offsets), status


@dataclass(frozen=True)
class Verified:
    """The answer text after checking, and one citation per quote kept."""

    text: str
    citations: tuple[Citation, ...]


class _Checker:
    """Checks the quotes of one answer in reading order, collecting citations numbered as they come."""

    def __init__(self, passages: Sequence[Passage], documents: dict[str, Document]) -> None:
        self.passages = list(passages)
        self.by_n = {p.n: p for p in passages}
        self.documents = documents
        self.citations: list[Citation] = []

    def _add(self, passage: Passage, quote: str, start: int, end: int, status: str) -> str:
        """Record a citation and return its marker; a verified or repaired one quotes the document's text."""
        document = self.documents[passage.doc_id]
        verified = status in ("verified", "repaired")
        source = document.source_span(start, end) if verified else None
        self.citations.append(
            Citation(
                n=len(self.citations) + 1,
                doc_id=document.doc_id,
                title=document.title,
                author=document.author,
                date=document.date,
                url=document.url,
                quote=document.text[start:end] if verified else quote,
                start=start,
                end=end,
                score=passage.score,
                verified=verified,
                status=status,
                passage_n=passage.n,
                source_path=document.source_path,
                source_start=source[0] if source else None,
                source_end=source[1] if source else None,
                page=document.page_of(start),
            )
        )
        return f"[{len(self.citations)}]"

    @staticmethod
    def _exact(quote: str, passages: Sequence[Passage], status: str) -> _Found | None:
        for passage in passages:
            if span := _find_exact(quote, passage.text):
                return passage, passage.start + span[0], passage.start + span[1], status
        return None

    def _closest(self, quote: str, passages: Sequence[Passage]) -> _Found | None:
        best: tuple[float, _Found] | None = None
        for passage in passages:
            close = closest_span(quote, passage.text)
            if close and (best is None or close[2] > best[0]):
                best = (close[2], (passage, passage.start + close[0], passage.start + close[1], "repaired"))
        return best[1] if best else None

    def cited_quote(self, raw_quote: str, numbers: list[int], block: bool) -> str:
        """The text that replaces a quote followed by a marker: the document's words where the quote is in a
        cited passage or close to a span of one, or in another passage (a wrong number); else marked."""
        quote = _trim(raw_quote) or raw_quote.strip()
        cited = [self.by_n[n] for n in numbers if n in self.by_n]
        if not cited:  # only passages that do not exist: drop the marker, keep the words, not as a quote
            return raw_quote.strip()
        others = [p for p in self.passages if p not in cited]
        found = (
            self._exact(quote, cited, "verified")
            or self._closest(quote, cited)
            or self._exact(quote, others, "repaired")
        )
        if found is None:
            marker = self._add(cited[0], quote, cited[0].start, cited[0].start, "unverified")
            return f"{quote} {marker} {UNVERIFIED}"
        return _show(self.citations, self._add(found[0], quote, *found[1:]), block)

    def free_quote(self, whole: str, raw_quote: str, block: bool) -> str:
        """The text that replaces a quotation with no marker: cited when it is in a passage, else marked."""
        quote = _trim(raw_quote)
        if len(quote.split()) < _MIN_FREE_QUOTE_WORDS:
            return whole
        found = self._exact(quote, self.passages, "verified") or self._closest(quote, self.passages)
        if found is None:
            return f"{quote} {UNVERIFIED_UNCITED}"
        return _show(self.citations, self._add(found[0], quote, *found[1:]), block)

    def reference(self, numbers: list[int]) -> str:
        """A marker without a quote: a reference to each whole passage; nothing for a missing passage."""
        return "".join(
            self._add(self.by_n[n], "", self.by_n[n].start, self.by_n[n].end, "reference")
            for n in numbers
            if n in self.by_n
        )


def _show(citations: list[Citation], marker: str, block: bool) -> str:
    """The last citation's quote as a blockquote line or an inline quotation, followed by its marker."""
    words = citations[-1].quote
    if block:  # keep a quote that spans lines inside one blockquote
        quoted = "> " + re.sub(r"\n[ \t]*", "\n> ", words)
        # After a code block's closing fence the marker needs its own line: "``` [1]" would not close it.
        fenced = words.rstrip().rsplit("\n", 1)[-1].lstrip().startswith(("```", "~~~"))
        return quoted + (f"\n> {marker}" if fenced else f" {marker}")
    return f"“{words}” {marker}"


def _numbers(group: str) -> list[int]:
    return [int(n) for n in group.split(",")]


def verify_answer(raw: str, passages: Sequence[Passage], documents: dict[str, Document]) -> Verified:
    """Check the quotes of generated text ``raw`` against ``passages`` and build its citations.

    Returns the text to show, in which every quotation is either the document's exact words followed by its
    renumbered marker or plain words marked unverified, and the citations in marker order.
    """
    checker = _Checker(passages, documents)
    # A title that holds a quotation ("'Thirty-one years on this water': the skipper speaks") is shown as the
    # document's name, not cited as its words
    # (the retrieved passages' titles; a small collection's every title, which a metadata answer may name)
    titles = {p.title for p in passages}
    if documents and len(documents) <= MAX_TITLES_READ:
        titles |= {d.title for d in documents.values()}

    def replace(m: re.Match[str]) -> str:
        if m["free"] is not None and any(m.group(0) in title for title in titles):
            return m.group(0)
        if m["bare_n"] is not None:
            return checker.reference(_numbers(m["bare_n"]))
        if m["block"] is not None:
            return checker.cited_quote(m["block"], _numbers(m["block_n"]), block=True)
        if m["inline"] is not None:
            return checker.cited_quote(m["inline"], _numbers(m["inline_n"]), block=False)
        if m["free_block"] is not None:
            return checker.free_quote(m.group(0), m["free_block"], block=True)
        return checker.free_quote(m.group(0), m["free"], block=False)

    text = _PATTERN.sub(replace, raw)
    return Verified(text=text, citations=tuple(checker.citations))
