"""``search()``: the passages retrieval finds for a query, with their scores, without writing an answer."""

from __future__ import annotations

from pathlib import Path

from .answer.answering import clean_question
from .answer.pipeline import get_pipeline
from .errors import InvalidQuestionError
from .settings import Settings, default_index_dir
from .types import Passage


def search(
    query: str,
    k: int | None = None,
    *,
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> list[Passage]:
    """The ``k`` passages that best match ``query``, best first, each with its fused, dense and BM25 scores.

    The same hybrid retrieval ``ask()`` answers from; the query is cleaned the same way (control characters
    dropped, a very long query cut at ``settings.max_question_chars``).

    Raises:
        InvalidQuestionError: an empty query, or ``k`` outside 1-50. IndexNotFoundError / IndexMismatchError:
        no usable index at ``index_dir``.
    """
    settings = settings or Settings.from_env()
    text, _ = clean_question(query, settings.max_question_chars)
    k = settings.top_k if k is None else k
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 50:
        raise InvalidQuestionError(f"k must be a whole number between 1 and 50, got {k!r}.")
    folder = Path(index_dir) if index_dir is not None else default_index_dir()
    retriever = get_pipeline(folder, settings).retriever
    return retriever.passages(retriever.search(text, k))
