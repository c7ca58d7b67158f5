"""IVF search that widens per query when its candidates are poor, so off-topic questions keep their recall.

An IVF index searches the ``nprobe`` cells whose centroids are nearest the query. Tuned on questions like the
collection, that breadth fails questions unlike it: their nearest vectors are scattered over many cells whose
centroids all look alike (measured at 1M chunks around random centres: recall@10 0.85 even at nprobe 512).

The rule here: a stored vector ``x`` in cell ``c`` scores ``q.x = q.mu_c + q.(x - mu_c)``. Its cell can hold
one of the best ``k`` only if ``q.mu_c >= s_k - margin``, where ``s_k`` is the k-th best exact score found so
far and ``margin`` bounds ``q.(x - mu_c)`` for the vectors that make a top k. The margin is measured at build
time on probe queries of both kinds, in-distribution and random directions (a high quantile of that gap over
their true top 10). After the tuned ``nprobe`` cells, every further cell that passes the test is searched too,
up to ``max_nprobe``. A question like the collection finds a high ``s_k`` at once and stops there; an
off-topic one finds a low ``s_k`` and keeps going, as far as its recall needs.
"""

from __future__ import annotations

import weakref
from typing import Any

import faiss
import numpy as np

MARGIN_QUANTILE = 0.995  # of the gaps of true top-10 vectors: the share of them the rule keeps in reach
# The parameters of each loaded index, kept beside it: faiss's Python objects refuse new attributes.
_PARAMETERS: weakref.WeakKeyDictionary[faiss.Index, tuple[float, int]] = weakref.WeakKeyDictionary()


def measure_margin(index: faiss.Index, vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> float:
    """The margin: a high quantile of ``s_10 - q.mu_c`` over every true top-10 vector ``x`` of each query
    (``c`` its cell), so that the rule keeps that share of them in reach.

    ``truth`` holds the rows of each query's exact top 10, best first.
    """
    ivf = faiss.extract_index_ivf(index)
    centroids = ivf.quantizer.reconstruct_n(0, ivf.nlist)
    rows = truth.reshape(-1)
    _, cells = ivf.quantizer.search(np.ascontiguousarray(vectors[np.sort(rows)], dtype=np.float32), 1)
    cell_of = dict(zip(np.sort(rows).tolist(), cells[:, 0].tolist(), strict=True))
    gaps = []
    for q, top in zip(queries, truth, strict=True):
        s10 = float(np.asarray(vectors[top[-1]], dtype=np.float32) @ q)
        for row in top.tolist():
            gaps.append(s10 - float(centroids[cell_of[row]] @ q))
    return float(np.quantile(np.asarray(gaps), MARGIN_QUANTILE))


def configure(index: faiss.Index, record: dict[str, Any]) -> None:
    """Attach the widening parameters of a manifest ``record`` (if it has them) to a loaded index."""
    if "widen_margin" in record:
        _PARAMETERS[index] = (float(record["widen_margin"]), int(record["max_nprobe"]))
    else:
        _PARAMETERS.pop(index, None)


def parameters(index: faiss.Index) -> tuple[float, int] | None:
    """(margin, max_nprobe) of a loaded index that widens, else None."""
    return _PARAMETERS.get(index)


def widened_candidates(
    index: faiss.Index, query: np.ndarray, fetch: int, k: int, exact_scores, margin: float, max_nprobe: int
) -> np.ndarray:
    """Candidate rows for one ``query`` (shape ``(1, d)``): the tuned cells, then the cells the rule adds.

    ``exact_scores(rows)`` returns the exact scores of ``rows`` (sorted) against the query, from the stored
    vectors. Returns sorted rows.
    """
    ivf = faiss.extract_index_ivf(index)
    nprobe = ivf.nprobe
    widest = max(nprobe, min(max_nprobe, ivf.nlist))
    centroid_scores, cells = ivf.quantizer.search(query, widest)
    found = _search_cells(ivf, query, fetch, cells[:, :nprobe], centroid_scores[:, :nprobe])
    candidates = np.sort(found[found >= 0])
    if widest == nprobe or len(candidates) == 0:
        return candidates
    scores = exact_scores(candidates)
    s_k = float(np.sort(scores)[-min(k, len(scores))])
    # Cells come sorted by centroid score: those still in reach are a prefix of the rest.
    reach = int(np.searchsorted(-centroid_scores[0, nprobe:], -(s_k - margin), side="right"))
    if reach == 0:
        return candidates
    more_cells = cells[:, nprobe : nprobe + reach]
    more = _search_cells(ivf, query, fetch, more_cells, centroid_scores[:, nprobe : nprobe + reach])
    return np.union1d(candidates, more[more >= 0])


def _search_cells(ivf: faiss.IndexIVF, query: np.ndarray, k: int, cells: np.ndarray, scores: np.ndarray):
    """The ``k`` best rows of the given cells for one query.

    Through faiss's C++ call with per-call parameters: its Python wrapper insists on the index's own
    ``nprobe``, and setting that would race with other threads searching the same index.
    """
    cells = np.ascontiguousarray(cells, dtype=np.int64)
    scores = np.ascontiguousarray(scores, dtype=np.float32)
    distances = np.empty((1, k), dtype=np.float32)
    labels = np.empty((1, k), dtype=np.int64)
    params = faiss.SearchParametersIVF()
    params.nprobe = int(cells.shape[1])
    ivf.search_preassigned_c(
        1, faiss.swig_ptr(query), k, faiss.swig_ptr(cells), faiss.swig_ptr(scores),
        faiss.swig_ptr(distances), faiss.swig_ptr(labels), False, params,
    )  # fmt: skip
    return labels[0]
