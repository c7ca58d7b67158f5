"""Token-aware chunks of whole sentences, with overlap, that always fit the embedder's window.

Chunks are sized in tiktoken ``cl100k_base`` tokens (the budget users and LLM prompts think in), but the
embedder counts its own word pieces and silently truncates past its window; so every chunk is also checked
with a ``fits`` test supplied by the embedder and split further when it would not fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..types import Chunk, Document
from .sections import code_blocks, section_starts, table_rows
from .sentences import split_sentences
from .tokens import get_encoding


@dataclass(frozen=True)
class ChunkerSettings:
    """Recorded in the index manifest: changing any of them rebuilds the index."""

    chunk_tokens: int = 200
    overlap_tokens: int = 40
    encoding: str = "cl100k_base"

    def __post_init__(self) -> None:
        if self.chunk_tokens < 16:
            raise ValueError(f"chunk_tokens must be at least 16, got {self.chunk_tokens}")
        if not 0 <= self.overlap_tokens < self.chunk_tokens // 2:
            raise ValueError(
                f"overlap_tokens must be between 0 and half of chunk_tokens ({self.chunk_tokens // 2}), "
                f"got {self.overlap_tokens}"
            )


Span = tuple[int, int]


def _token_pieces(text: str, start: int, end: int, budget: int) -> list[Span]:
    """Split one over-long sentence into spans of at most ``budget`` tokens, cut on token boundaries."""
    enc = get_encoding()
    tokens = enc.encode(text[start:end], disallowed_special=())
    _, offsets = enc.decode_with_offsets(tokens)
    pieces: list[Span] = []
    for i in range(0, len(tokens), budget):
        piece_start = start + offsets[i]
        piece_end = start + offsets[i + budget] if i + budget < len(tokens) else end
        if piece_end > piece_start:
            pieces.append((piece_start, piece_end))
    return pieces


def _pack(sentences: list[Span], lengths: list[int], budget: int, overlap: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into windows of at most ``budget`` tokens; returns (first, last+1) indices.

    Each window after the first starts with the trailing sentences of the previous one, up to ``overlap``
    tokens, so a fact that straddles a boundary is whole in at least one chunk.
    """
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last, used = first, 0
        while last < len(sentences) and (last == first or used + lengths[last] <= budget):
            used += lengths[last]
            last += 1
        windows.append((first, last))
        if last >= len(sentences):
            break
        back, carried = last, 0
        while back - 1 > first and carried + lengths[back - 1] <= overlap:
            back -= 1
            carried += lengths[back]
        first = back
    return windows


def chunk_text(text: str, settings: ChunkerSettings, fits: Callable[[str], bool] | None = None) -> list[Span]:
    """Chunk spans over ``text``: whole sentences, at most ``settings.chunk_tokens`` tokens each, overlapping.

    ``fits`` is the embedder's window test; a span that fails it is re-chunked with half the budget until it
    fits (a single word that does not fit is the caller's problem and cannot happen with real text).
    """
    return _chunk_spans(text, split_sentences(text), settings.chunk_tokens, settings.overlap_tokens, fits)


def _chunk_spans(
    text: str, sentences: list[Span], budget: int, overlap: int, fits: Callable[[str], bool] | None
) -> list[Span]:
    enc = get_encoding()
    pieces: list[Span] = []
    for s, e in sentences:
        n = len(enc.encode(text[s:e], disallowed_special=()))
        pieces.extend([(s, e)] if n <= budget else _token_pieces(text, s, e, budget))
    # Count each piece with the white space before it, so the sum is the chunk's real length.
    lengths = [
        len(enc.encode(text[pieces[i - 1][1] if i else s : e], disallowed_special=()))
        for i, (s, e) in enumerate(pieces)
    ]
    spans: list[Span] = []
    for first, last in _pack(pieces, lengths, budget, overlap):
        span = (pieces[first][0], pieces[last - 1][1])
        body = text[span[0] : span[1]]
        too_long = len(enc.encode(body, disallowed_special=())) > budget or (
            fits is not None and not fits(body)
        )
        if not too_long or last - first == 1 and budget <= 8:
            spans.append(span)
        else:
            smaller = budget // 2 if fits is not None and not fits(body) else budget - 8
            spans.extend(_chunk_spans(text, pieces[first:last], smaller, min(overlap, smaller // 4), fits))
    return spans


def chunk_document(
    document: Document, settings: ChunkerSettings, fits: Callable[[str], bool] | None = None
) -> list[Chunk]:
    """The document's chunks, ids ``{doc_id}#{i}`` in reading order, each ``text == document.text[start:end]``.

    The author box (``Document.author_box``) is chunked apart from the rest: no chunk mixes a biography with
    the article's own sentences, so neither blurs the other's vector. A document with headings
    (``Document.headings``) is chunked section by section: a chunk never runs on past a heading line.
    """
    cuts = _region_cuts(document)
    spans = (
        _region_spans(document, cuts, settings, fits) if cuts else chunk_text(document.text, settings, fits)
    )
    return [
        Chunk(
            chunk_id=f"{document.doc_id}#{i}", doc_id=document.doc_id, start=s, end=e, text=document.text[s:e]
        )
        for i, (s, e) in enumerate(spans)
    ]


def _region_cuts(document: Document) -> list[int]:
    """Where the text must be cut into regions that are chunked on their own: around the author box (whose
    lines make one region) and before every heading. Empty when nothing has to be cut."""
    text = document.text
    regions: list[list[int]] = []
    for a, b in sorted(document.author_box):
        if regions and not text[regions[-1][1] : a].strip():  # the box's next line: the same region
            regions[-1][1] = max(regions[-1][1], b)
        else:
            regions.append([a, b])
    inside_box = [x for region in regions for x in region]
    headings = [x for x in section_starts(document) if not any(a < x < b for a, b in regions)]
    # A code block ends its chunk: the block, its heading and lead-in are found together, not diluted by
    # the prose after it (which starts a chunk of its own, with the heading path as context).
    after_code = [b for _a, b in code_blocks(document)]
    return sorted({*inside_box, *headings, *after_code} - {0, len(text)})


def _region_spans(
    document: Document, cuts: list[int], settings: ChunkerSettings, fits: Callable[[str], bool] | None
) -> list[Span]:
    """Chunk spans of each region between two cuts, each region chunked on its own."""
    text = document.text
    bounds = [0, *cuts, len(text)]
    sentences = _whole_code_blocks(
        _whole_rows(text, split_sentences(text), table_rows(document)), code_blocks(document)
    )
    spans: list[Span] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        inside = [(max(s, lo), min(e, hi)) for s, e in sentences if s < hi and e > lo]
        inside = [(s, e) for s, e in inside if text[s:e].strip()]
        if inside:
            spans += _chunk_spans(text, inside, settings.chunk_tokens, settings.overlap_tokens, fits)
    return spans


def _whole_rows(text: str, sentences: list[Span], rows: list[Span]) -> list[Span]:
    """The sentence spans with each table row as one unit: a row's cells often end with a full stop, and a
    chunk cut there would leave the row's closing bar, and the table's shape, to the next chunk."""
    if not rows:
        return sentences
    out: list[Span] = list(rows)
    for s, e in sentences:
        cursor = s
        for a, b in rows:  # what of the sentence lies outside every row stays a unit of its own
            if b <= cursor or a >= e:
                continue
            if text[cursor:a].strip():
                out.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < e and text[cursor:e].strip():
            out.append((cursor, e))
    return sorted(set(out))


def _whole_code_blocks(sentences: list[Span], blocks: list[tuple[int, int]]) -> list[Span]:
    """The sentence spans with each code block as one unit: a full stop in code ends no sentence, and a
    block cut in two could not be quoted whole (one longer than a chunk is still cut, by tokens)."""
    out: list[Span] = []
    for s, e in sentences:
        block = next(((a, b) for a, b in blocks if a < e and s < b), None)
        if block is not None and out and out[-1][1] > block[0] and out[-1][0] < block[1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))  # the same block as the span before: one unit
        else:
            out.append((s, e))
    return out
