"""A GBNF grammar, per question, under which every quotation a model writes is copied from the passages.

llama.cpp samples only tokens the grammar allows, so the quotes are verbatim *before* the quote check runs
(the check still runs). The grammar lets the model write anything outside quotation marks, but:

- a quotation (opened with ``"`` or ``“``) must be one of a passage's sentences, or a run of consecutive
  sentences of one passage, copied exactly and followed by that passage's ``[n]``;
- a line that starts with ``>`` is a blockquote of the same kind (sentences that themselves contain
  quotation marks can only be quoted this way, since an inline quotation cannot hold them);
- square brackets and ``>`` occur nowhere else, so there is no marker without a quote.

Runs are chained rules (``s1 ::= "first" (" " s2)?``), so the grammar grows with the number of sentences,
not with the number of runs. White space inside a sentence is written as one space: the quote check ignores
white-space differences and shows the document's own characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...index.sentences import split_sentences
from ...types import Passage

# Outside quotes: any character but line breaks, quotation marks, brackets and ">".
_FREE_CHAR = '[^\\n\\r"“”\\[\\]>]'
_QUOTE_MARKS = re.compile('["“”]')
_MIN_WORDS = 3  # a quotation of fewer words says too little to be worth quoting
MAX_RUN = 3  # sentences in one quotation: longer runs let a small model copy on until it runs out of tokens
LEAD_CHARS = 160  # when a quote is required: how much the model may write before its first one


def literal(text: str) -> str:
    """``text`` as a GBNF string literal (white space collapsed to single spaces)."""
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def passage_sentences(passage: Passage) -> list[str]:
    """The sentences of ``passage`` that can be quoted, in order, white space collapsed."""
    out = []
    for start, end in split_sentences(passage.text):
        sentence = " ".join(passage.text[start:end].split())
        if len(sentence.split()) >= _MIN_WORDS:
            out.append(sentence)
    return out


def _runs(prefix: str, sentences: Sequence[str | None], max_run: int) -> tuple[list[str], list[str]]:
    """Rules ``{prefix}{i}-{k} ::= sentence_i (" " {prefix}{i+1}-{k-1})?``: a run of up to ``k`` sentences
    from sentence ``i`` (None: a gap that breaks runs), and the names of the rules a quotation may start with.
    Each sentence's words appear once, in the rule ``{prefix}{i}``."""
    rules, starts = [], []
    for i, sentence in enumerate(sentences):
        if sentence is None:
            continue
        rules.append(f"{prefix}{i} ::= {literal(sentence)}")
        for k in range(1, max_run + 1):
            following = k > 1 and i + 1 < len(sentences) and sentences[i + 1] is not None
            more = f' (" " {prefix}{i + 1}-{k - 1})?' if following else ""
            rules.append(f"{prefix}{i}-{k} ::= {prefix}{i}{more}")
        starts.append(f"{prefix}{i}-{max_run}")
    return rules, starts


def quote_grammar(passages: Sequence[Passage], *, require_quote: bool = False, max_run: int = MAX_RUN) -> str:
    """The GBNF grammar for an answer from ``passages`` (see the module docstring).

    Args:
        passages: the passages shown to the model, each cited by its ``n``.
        require_quote: the answer must open with a quotation, after at most ``LEAD_CHARS`` characters of
            lead-in on its first line (the model cannot decline to quote, nor ramble before quoting).
        max_run: the most consecutive sentences one quotation may hold.
    """
    rules: list[str] = []
    inline_quotes, block_quotes = [], []
    for passage in passages:
        sentences = passage_sentences(passage)
        if not sentences:
            continue
        marker = f'" [{passage.n}]"'
        # Inline: only sentences without quotation marks (a quotation cannot contain one).
        inline = [None if _QUOTE_MARKS.search(s) else s for s in sentences]
        inline_rules, inline_starts = _runs(f"p{passage.n}i", inline, max_run)
        if inline_starts:
            rules += inline_rules
            rules.append(f'q{passage.n} ::= ["“] ({" | ".join(inline_starts)}) ["”]{marker}')
            inline_quotes.append(f"q{passage.n}")
        block_rules, block_starts = _runs(f"p{passage.n}b", sentences, max_run)
        rules += block_rules
        rules.append(f"b{passage.n} ::= ({' | '.join(block_starts)}){marker}")
        block_quotes.append(f"b{passage.n}")
    if not block_quotes:  # nothing to quote: free text only (the answer will be an abstention)
        return f'root ::= line ("\\n" line)*\nline ::= {_FREE_CHAR}*\n'
    inline = f"({_FREE_CHAR} | quote)*" if inline_quotes else f"{_FREE_CHAR}*"
    lead = f"{_FREE_CHAR}{{0,{LEAD_CHARS}}} quote {inline}" if inline_quotes else None
    head = [
        'root ::= first ("\\n" line)*' if require_quote else 'root ::= line ("\\n" line)*',
        f'line ::= "> " blockquote | {inline}',
        'first ::= "> " blockquote' + (f" | {lead}" if lead else ""),
        f"blockquote ::= {' | '.join(block_quotes)}",
    ]
    if inline_quotes:
        head.append(f"quote ::= {' | '.join(inline_quotes)}")
    return "\n".join(head + rules) + "\n"


__all__ = ["literal", "passage_sentences", "quote_grammar"]
