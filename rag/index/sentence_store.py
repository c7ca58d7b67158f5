"""Stored sentence vectors (optional): each sentence and clause of each chunk, embedded alone at index time.

Answering scores the sentences of the retrieved passages (and the clauses of long ones) by their cosine to
the question; embedding them is most of the time an extractive answer takes. With ``sentence_vectors`` on
(``RAG_SENTENCE_VECTORS=1``), the build embeds every sentence of every chunk, and the clauses of the long
ones, once and keeps their vectors beside the chunks' own; answering reads them instead (README "ask()
latency": it costs index time and disk, more than the chunks' own vectors). Each vector is that of the text
embedded alone, the vector answering would compute (the backends' vectors do not depend on their batch), so
answers do not change. A text the store lacks (a labelled line scored with its author's name, a sentence of
a newer splitter) is embedded when it is asked for, as without the store.

Files, in the generation folder: ``sentences.keys.npy`` (a 64-bit hash of each text, ascending) and
``sentences.npy`` (the vectors, in the same order), written keys last; both are memory-mapped.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .embedding import Embedder
from .sentences import clauses, split_sentences

log = logging.getLogger(__name__)

KEYS = "sentences.keys.npy"
VECTORS = "sentences.npy"
MIN_WORDS = 6  # shorter lines are headings and bylines, never scored as answers (the generator's own floor)
CLAUSES_FROM_WORDS = 20  # a sentence this long is scored by its clauses too (extractive.CLAUSE_MIN_SENTENCE)


def text_keys(texts: Sequence[str]) -> np.ndarray:
    """A 64-bit hash of each text (blake2b): what the store is looked up by."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little") for t in texts),
        dtype=np.uint64,
        count=len(texts),
    )


def chunk_sentences(chunk_texts: Iterable[str]) -> list[str]:
    """The distinct texts of the chunks that answering may score: each sentence of at least ``MIN_WORDS``
    words, and the clauses of the long ones."""
    found: dict[str, None] = {}
    for text in chunk_texts:
        for start, end in split_sentences(text):
            sentence = text[start:end]
            words = len(sentence.split())
            if words >= MIN_WORDS:
                found[sentence] = None
            if words >= CLAUSES_FROM_WORDS:
                found.update(dict.fromkeys(clauses(sentence)))
    return list(found)


class SentenceStore:
    """Read-only look-up of stored sentence vectors by text."""

    def __init__(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} sentence keys but {len(vectors)} vectors")
        self.keys = keys
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vector of each of ``texts`` the store holds (float32 copies); the others are left out."""
        if not texts or not len(self.keys):
            return {}
        wanted = text_keys(texts)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[at] == wanted
        rows = at[hit]
        vectors = np.asarray(self.vectors[rows], dtype=np.float32)
        return dict(zip((t for t, h in zip(texts, hit.tolist(), strict=True) if h), vectors, strict=True))


def load(folder: Path) -> SentenceStore | None:
    """The store in generation ``folder``, memory-mapped; None when it has none (or an unreadable one)."""
    if not (folder / KEYS).is_file() or not (folder / VECTORS).is_file():
        return None
    try:
        return SentenceStore(np.load(folder / KEYS, mmap_mode="r"), np.load(folder / VECTORS, mmap_mode="r"))
    except (OSError, ValueError) as e:
        log.warning(
            "Ignoring the stored sentence vectors in %s (%s); sentences are embedded when asked.", folder, e
        )
        return None


def write(
    folder: Path, chunk_texts: Iterable[str], embedder: Embedder, previous: Path | None = None
) -> SentenceStore:
    """Embed the sentences of ``chunk_texts`` and store them in generation ``folder``.

    ``previous``: an older generation whose stored vectors are reused for the sentences it already holds
    (an update re-embeds only the sentences of new or changed documents).
    """
    texts = chunk_sentences(chunk_texts)
    keys = text_keys(texts)
    order = np.argsort(keys, kind="stable")
    keys, texts = keys[order], [texts[i] for i in order]
    unique = np.ones(len(keys), dtype=bool)
    unique[1:] = keys[1:] != keys[:-1]  # (a 64-bit collision between two sentences: the first is kept)
    keys, texts = keys[unique], [t for t, u in zip(texts, unique.tolist(), strict=True) if u]
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    old = load(previous) if previous is not None and previous != folder else None
    known = old.lookup(texts) if old is not None else {}
    missing = [i for i, t in enumerate(texts) if t not in known]
    for i, t in enumerate(texts):
        if t in known:
            vectors[i] = known[t]
    if missing:
        vectors[missing] = embedder.embed_documents([texts[i] for i in missing])
    # Vectors first, keys last: a folder with keys has its vectors (load() needs both).
    for name, array in ((VECTORS, vectors), (KEYS, keys)):
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            np.save(f, array)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, folder / name)
    log.info("Stored %d sentence vectors (%d embedded, %d reused).", len(texts), len(missing), len(known))
    return SentenceStore(keys, vectors)
