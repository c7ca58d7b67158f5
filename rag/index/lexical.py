"""BM25 over chunk texts with bm25s: English stop words removed, Snowball-stemmed, sparse scoring."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from scipy import sparse

# bm25s sets its own logger to DEBUG, which floods any application that configures logging.
logging.getLogger("bm25s").setLevel(logging.WARNING)

TOKENIZER_ID = "bm25s:stopwords=en:stemmer=snowball-english:name-parts"  # recorded in the manifest


@functools.lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """The BM25 terms of each text, the same way for documents and queries."""
    if len(texts) > _CACHED_CALL:
        return _tokenize(texts)
    # Answering tokenizes the same question and sentences many times over, a few at a time, and each call
    # of bm25s costs a fixed ~0.2 ms: the few texts not seen yet are tokenized together, once.
    missing = [t for t in dict.fromkeys(texts) if t not in _TERMS]
    if missing:
        if len(_TERMS) > _CACHE_SIZE:
            _TERMS.clear()
        _TERMS.update(zip(missing, (tuple(terms) for terms in _tokenize(missing)), strict=True))
    return [list(_TERMS[t]) for t in texts]


_CACHED_CALL = 64  # texts: a larger call is an index being built, whose texts do not come back
_CACHE_SIZE = 50_000
_TERMS: dict[str, tuple[str, ...]] = {}


# A name written as code: snake_case or CONSTANT_CASE ("RAG_FUSION", "strip_exif").
_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")


def _with_parts(text: str) -> str:
    """``text`` with each snake_case name followed by its words: a README's table row keyed `RAG_FUSION` is
    found by "the fusion method", which the whole name (one term) never matches; the whole name stays a term
    of its own, so a question that writes it still matches it best."""
    if "_" not in text:
        return text
    return _IDENTIFIER.sub(lambda m: f"{m.group(0)} {m.group(0).replace('_', ' ')}", text)


def _tokenize(texts: Sequence[str]) -> list[list[str]]:
    # (each text's terms do not depend on the other texts of the call)
    return bm25s.tokenize(
        [_with_parts(t) for t in texts],
        stopwords="en",
        stemmer=_stemmer(),
        return_ids=False,
        show_progress=False,
    )


def document_text(title: str | None, text: str) -> str:
    """What document-level BM25 indexes for a document: its title (when the text does not open with it) and
    its whole text. Titles of scientific abstracts and articles name what the text is about."""
    return f"{title}\n{text}" if title and not text.startswith(title) else text


def build_bm25(texts: Sequence[str]) -> bm25s.BM25:
    """A BM25 index over ``texts`` (row i of the index is text i)."""
    model = bm25s.BM25()
    model.index(tokenize(texts), show_progress=False)
    return model


def save_bm25(model: bm25s.BM25, folder: Path) -> None:
    model.save(str(folder), show_progress=False)


def load_bm25(folder: Path, *, mmap: bool = True) -> bm25s.BM25:
    """Load a saved index; memory-mapped so a large index costs little RAM until it is read."""
    return bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False)


def bm25_search(model: bm25s.BM25, query: str, n: int, corpus_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Row ids and scores of the best ``n`` rows with a positive score, best first; the scores of bm25s.

    Summed here from bm25s's precomputed sparse matrix (a column of per-chunk scores per word) rather than by
    ``model.retrieve``: the query's columns in one sparse product (``_term_matrix``), the best rows by a
    bounded partition (``top_rows``). Measured at a million chunks: see README "Speed and scale" (bm25s's
    own retrieve took 44 ms at the 95th percentile there).
    """
    terms = tokenize([query])[0]
    if not terms or corpus_size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if getattr(model, "nonoccurrence_array", None) is not None:  # BM25L/BM25+: bm25s adds a per-term constant
        return _bm25s_retrieve(model, terms, n, corpus_size)
    scores = _summed_columns(model, terms)
    if scores is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    top = top_rows(scores, min(n, corpus_size, len(scores)))
    top = top[scores[top] > 0]
    return top.astype(np.int64), scores[top]


def bm25_scores(model: bm25s.BM25, query: str) -> np.ndarray:
    """The BM25 score of ``query`` for every row of ``model`` (0 where no query term occurs), float32.

    For a ranking that normalises scores by their spread over the whole collection (document ranking,
    ``rag.retrieve.documents``): one sparse product, the same cost as ``bm25_search``.
    """
    rows = int(model.scores["num_docs"])
    terms = tokenize([query])[0]
    scores = _summed_columns(model, terms) if terms else None
    return np.zeros(rows, dtype=np.float32) if scores is None else scores


def _summed_columns(model: bm25s.BM25, terms: list[str]) -> np.ndarray | None:
    """Sum of the query terms' score columns (one score per row), or None when no term is indexed."""
    columns = [model.vocab_dict.get(term) for term in terms]
    matrix = _term_matrix(model)
    present = [c for c in columns if c is not None and c < matrix.shape[1]]
    if not present:
        return None
    # A repeated query word counts again, as in bm25s: its column is weighted by its count.
    unique, counts = np.unique(np.asarray(present, dtype=np.int64), return_counts=True)
    return np.asarray(matrix[:, unique] @ counts.astype(np.float32), dtype=np.float32)


def top_rows(scores: np.ndarray, k: int, step: int = 64) -> np.ndarray:
    """Rows of the ``k`` largest ``scores``, best first (ties by row).

    The k-th largest of every 64th score can only be lower than the k-th largest of all, so it bounds the
    rows worth sorting to a few thousand. Over a million scores, a third of them zero, numpy's ``argpartition``
    took 57 ms and this 1.1 ms (same rows), on the shared machine under load.
    """
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    sample = scores[::step]
    if len(sample) >= k and len(scores) > 4 * k:
        bound = np.partition(sample, len(sample) - k)[len(sample) - k]
        candidates = np.flatnonzero(scores >= bound)
    else:
        candidates = np.arange(len(scores))
    if len(candidates) > k:
        candidates = np.sort(candidates[np.argpartition(-scores[candidates], k - 1)[:k]])
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _term_matrix(model: bm25s.BM25) -> sparse.csc_matrix:
    """bm25s's precomputed scores as a (chunks x terms) sparse matrix, built once per loaded index.

    Summing a query's columns is then one sparse product in C (scipy's csc_matvec), which reads each posting
    once; numpy fancy-index addition gathers and scatters every posting (a million rows, eight columns of
    1,000-300,000 postings: 11 ms against 30 ms on the shared machine under load).
    """
    matrix = getattr(model, "_rag_term_matrix", None)
    if matrix is None:
        data, indices, indptr = model.scores["data"], model.scores["indices"], model.scores["indptr"]
        shape = (int(model.scores["num_docs"]), len(indptr) - 1)
        matrix = sparse.csc_matrix((data, indices, indptr), shape=shape, copy=False)
        model._rag_term_matrix = matrix
    return matrix


def _bm25s_retrieve(
    model: bm25s.BM25, terms: list[str], n: int, corpus_size: int
) -> tuple[np.ndarray, np.ndarray]:
    ids, scores = model.retrieve([terms], k=min(n, corpus_size), show_progress=False, n_threads=1)
    ids, scores = np.asarray(ids[0], dtype=np.int64), np.asarray(scores[0], dtype=np.float32)
    keep = scores > 0
    return ids[keep], scores[keep]


def idf_table(model: bm25s.BM25) -> dict[str, float]:
    """Inverse document frequency of every indexed term (BM25's idf), from the index's sparse columns."""
    n = int(model.scores["num_docs"])
    df = np.diff(np.asarray(model.scores["indptr"]))
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return {term: float(idf[column]) for term, column in model.vocab_dict.items() if column < len(idf)}
