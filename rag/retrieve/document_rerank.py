"""An opt-in second pass over a document ranking (``RAG_DOCUMENT_RERANK=late``, ``rag eval --beir --rerank``).

``late`` re-orders the default ranking's top ``RERANKED`` documents by their score plus two evidences, each
a z-score as the default's are:

- ``LATE_WEIGHT`` x token-level MaxSim with the same embedder (``late_interaction.py``), z over those
  documents;
- ``SENTENCE_WEIGHT`` x the best cosine between the query and any one sentence or clause of the document
  (the texts answering scores), read from the index's stored sentence vectors (``RAG_SENTENCE_VECTORS=1`` at
  index time), z over the ``SENTENCE_DEPTH`` documents it ranks highest. A document whose one sentence says
  what the query asks stands out here, where the best chunk's vector blurs it with the chunk's other sentences.

Chosen together on SciFact's train queries (README "A last round towards 0.75"; each alone was within noise).
An index without stored sentence vectors is re-ranked by MaxSim alone, with the weight train chose for that
case, and a warning says how to add them: the user asked for a better ranking, and MaxSim alone still gives
part of it, while refusing would make the option useless on every index built with the default settings.
Documents below the re-ranked top keep their order and are scored below it. It costs the query's token
vectors and those of any top document not yet cached: ~50 ms once warm on SciFact, ~0.04-0.1 s of CPU per
document not yet cached (README "A last round towards 0.75").
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import SettingError
from ..index import sentence_store
from .late_interaction import get_late_interaction
from .retrieval import Retriever

log = logging.getLogger(__name__)

RERANKS = ("none", "late")
RERANKED = 30  # documents of the default ranking re-ordered
LATE_WEIGHT = 0.5  # of MaxSim's z with the sentence evidence (train grid 0-1.5: 0.3-1.0 within 0.001)
SENTENCE_WEIGHT = 0.3  # of the best sentence's z (train grid 0-0.5)
LATE_ALONE_WEIGHT = 1.0  # of MaxSim's z when the index stores no sentence vectors (train grid 0.1-1.0)
SENTENCE_DEPTH = 300  # documents the best sentence's z is taken over
NO_SENTENCE = -1.0  # the best cosine of a document with no stored sentence (none of six words or more)


def check_rerank(name: str) -> str:
    """``name`` when it is a known re-ranking.

    Raises:
        SettingError: an unknown name (the message lists the known ones and the setting).
    """
    if name not in RERANKS:
        raise SettingError(
            f"Unknown document re-ranking '{name}'. Known: {', '.join(RERANKS)} "
            "(set RAG_DOCUMENT_RERANK or rag eval --rerank)."
        )
    return name


def rerank_documents(
    retriever: Retriever, query: str, ranking: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """``ranking`` (doc_id, score; best first) with its top ``RERANKED`` re-ordered by the late evidences."""
    head, tail = ranking[:RERANKED], ranking[RERANKED:]
    if len(head) < 2:
        return ranking
    documents = [retriever.index.documents[doc_id] for doc_id, _ in head]
    scores = np.array([score for _, score in head], dtype=np.float64)
    late = _z(get_late_interaction(retriever.settings).maxsim(query, documents).astype(np.float64))
    sentences = _sentence_evidence(retriever)
    if sentences is None:
        scores += LATE_ALONE_WEIGHT * late
    else:
        best = sentences.best(retriever.embedder.embed_query(query))
        z = _z_top(best, SENTENCE_DEPTH)
        scores += LATE_WEIGHT * late + SENTENCE_WEIGHT * z[[sentences.column[d] for d, _ in head]]
    order = np.argsort(-scores, kind="stable")
    reranked = [(head[i][0], float(scores[i])) for i in order.tolist()]
    if tail:
        shift = min(0.0, float(scores.min()) - tail[0][1] - 1.0)  # keep the tail's scores below the head's
        reranked += [(doc_id, score + shift) for doc_id, score in tail]
    return reranked


@dataclass(frozen=True)
class SentenceEvidence:
    """Every stored sentence vector of an index's chunks, grouped by document, to take each one's best."""

    vectors: np.ndarray  # (occurrences, dimension): a sentence in two documents appears twice
    starts: np.ndarray  # first row of each document with sentences (rows are grouped by document)
    columns: np.ndarray  # that document's position in ``document_ids``
    column: dict[str, int]  # doc_id -> position in ``document_ids``

    def best(self, query_vector: np.ndarray) -> np.ndarray:
        """Each document's best sentence cosine with ``query_vector`` (``NO_SENTENCE`` when it has none)."""
        out = np.full(len(self.column), NO_SENTENCE, dtype=np.float64)
        if len(self.vectors):
            out[self.columns] = np.maximum.reduceat(self.vectors @ query_vector, self.starts)
        return out


_EVIDENCE: dict[Path, SentenceEvidence | None] = {}
_EVIDENCE_KEPT = (
    2  # generations whose evidence stays in memory (~140 MB for SciFact): the live one and the last
)
_EVIDENCE_LOCK = threading.Lock()


def _sentence_evidence(retriever: Retriever) -> SentenceEvidence | None:
    """The index generation's sentence evidence, built once per process; None without stored vectors."""
    path = retriever.index.path
    with _EVIDENCE_LOCK:
        if path not in _EVIDENCE:
            store = retriever.sentence_vectors
            if store is None:
                log.warning(
                    "The index at %s stores no sentence vectors: documents are re-ranked by MaxSim alone. "
                    "Add them with: RAG_SENTENCE_VECTORS=1 rag index --index-dir DIR",
                    path.parent,
                )
                _EVIDENCE[path] = None
            else:
                _EVIDENCE[path] = _build_evidence(retriever, store)
            while len(_EVIDENCE) > _EVIDENCE_KEPT:  # an update's older generations are not searched again
                del _EVIDENCE[next(iter(_EVIDENCE))]
        return _EVIDENCE[path]


def _build_evidence(retriever: Retriever, store: sentence_store.SentenceStore) -> SentenceEvidence:
    ids = retriever.index.document_ids
    column = {doc_id: i for i, doc_id in enumerate(ids)}
    texts: list[str] = []
    owners: list[int] = []
    for chunk in retriever.index.chunks:
        found = sentence_store.chunk_sentences([chunk.text])
        texts += found
        owners += [column[chunk.doc_id]] * len(found)
    keys = sentence_store.text_keys(texts)
    at = np.minimum(np.searchsorted(store.keys, keys), max(len(store.keys) - 1, 0))
    held = store.keys[at] == keys if len(store.keys) else np.zeros(len(keys), dtype=bool)
    rows, owner = at[held], np.asarray(owners, dtype=np.int64)[held]
    order = np.argsort(owner, kind="stable")
    rows, owner = rows[order], owner[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, np.int64)
    vectors = np.ascontiguousarray(store.vectors[rows], dtype=np.float32)
    return SentenceEvidence(vectors, starts, owner[starts], column)


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def _z_top(values: np.ndarray, k: int) -> np.ndarray:
    """z over the top ``k`` values (ties at the bound included); below them, the lowest z of the top."""
    if len(values) <= k:
        return _z(values)
    bound = -np.partition(-values, k - 1)[k - 1]
    top = values[values >= bound]
    spread = float(top.std()) or 1.0
    return (np.maximum(values, top.min()) - top.mean()) / spread
