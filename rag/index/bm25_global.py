"""BM25 with collection-wide statistics, so that the shards of one collection score as one index would.

BM25 scores a chunk with its term's idf (from the number of chunks holding the term, out of all chunks) and
the chunk's length against the average length. Indexed alone, a shard would use its own counts: a term rare
in one shard would weigh more there, and scores from different shards would not compare. Each shard is
therefore indexed with the counts of the whole collection (``CorpusStats``, summed over the shards first),
with bm25s's own scoring functions, so that a chunk's BM25 score is the one the one-machine index gives it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
import scipy.sparse as sp
from bm25s import get_unique_tokens, scoring

from . import lexical


@dataclass
class CorpusStats:
    """Document frequency of every term, the number of chunks and their total length in terms."""

    df: Counter = field(default_factory=Counter)
    n_docs: int = 0
    total_length: int = 0

    @property
    def avg_length(self) -> float:
        # As bm25s computes it (np.mean over integer lengths): the same float, so the same scores.
        return float(np.float64(self.total_length) / self.n_docs) if self.n_docs else 0.0

    def to_dict(self) -> dict:
        return {"df": dict(self.df), "n_docs": self.n_docs, "total_length": self.total_length}

    @classmethod
    def from_dict(cls, record: dict) -> CorpusStats:
        return cls(Counter(record["df"]), int(record["n_docs"]), int(record["total_length"]))


def count(texts: Sequence[str]) -> CorpusStats:
    """The statistics of ``texts`` (tokenised as BM25 indexes them)."""
    tokens = lexical.tokenize(texts)
    stats = CorpusStats(n_docs=len(tokens), total_length=sum(len(t) for t in tokens))
    for terms in tokens:
        stats.df.update(set(terms))
    return stats


def merge(parts: Iterable[CorpusStats]) -> CorpusStats:
    """The statistics of the union of the collections ``parts`` describe."""
    total = CorpusStats()
    for part in parts:
        total.df.update(part.df)
        total.n_docs += part.n_docs
        total.total_length += part.total_length
    return total


def idf_table(stats: CorpusStats) -> dict[str, float]:
    """BM25's idf of every term of the collection (as ``lexical.idf_table`` gives for one index)."""
    n = stats.n_docs
    terms = list(stats.df)
    df = np.array([stats.df[t] for t in terms], dtype=np.float64)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return dict(zip(terms, idf.tolist(), strict=True))


class _GlobalBM25(bm25s.BM25):
    """bm25s's BM25 (same method, k1, b) whose idf and average length come from ``stats``."""

    def __init__(self, stats: CorpusStats) -> None:
        super().__init__()
        self._stats = stats
        self._terms: list[str] = []

    def build_index_from_tokens(self, corpus_tokens, show_progress=True, leave_progress=False):
        # bm25s numbers the vocabulary in this order (get_unique_tokens); kept to look the terms up again.
        self._terms = list(get_unique_tokens(corpus_tokens, show_progress=False))
        return super().build_index_from_tokens(corpus_tokens, show_progress, leave_progress)

    def build_index_from_ids(
        self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False
    ):
        self.nonoccurrence_array = None  # lucene BM25 has none; bm25s's save() reads the attribute
        local_df = scoring._calculate_doc_freqs(corpus_token_ids, unique_token_ids, show_progress=False)
        global_df = {i: self._stats.df.get(term, 0) for i, term in enumerate(self._terms)}
        idf = scoring._build_idf_array(
            global_df, self._stats.n_docs, scoring._select_idf_scorer(self.idf_method), self.dtype
        )
        data, doc_idx, vocab_idx = scoring._build_scores_and_indices_for_matrix(
            corpus_token_ids=corpus_token_ids,
            idf_array=idf,
            avg_doc_len=np.float64(self._stats.avg_length),
            doc_frequencies=local_df,  # sizes the arrays: the entries of this shard's own matrix
            k1=self.k1,
            b=self.b,
            delta=self.delta,
            nonoccurrence_array=None,
            method=self.method,
            dtype=self.dtype,
            int_dtype=self.int_dtype,
            show_progress=False,
        )
        matrix = sp.csc_matrix(
            (data, (doc_idx, vocab_idx)),
            shape=(len(corpus_token_ids), len(unique_token_ids)),
            dtype=self.dtype,
        )
        return {
            "data": matrix.data,
            "indices": matrix.indices,
            "indptr": matrix.indptr,
            "num_docs": len(corpus_token_ids),
        }


def build_bm25(texts: Sequence[str], stats: CorpusStats) -> bm25s.BM25:
    """A BM25 index over ``texts`` (one shard) scored with the collection's ``stats``.

    Raises:
        ValueError: bm25s is configured with a variant (BM25L/BM25+) whose constants this does not carry.
    """
    model = _GlobalBM25(stats)
    if model.method in model.methods_requiring_nonoccurrence:
        raise ValueError(f"Global BM25 statistics support lucene/robertson/atire, not {model.method}.")
    model.index(lexical.tokenize(texts), show_progress=False)
    return model
