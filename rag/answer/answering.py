"""``ask()``: question in, verified and cited answer out."""

from __future__ import annotations

import logging
import numbers
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..errors import GeneratorError, InvalidQuestionError, ModelUnavailableError
from ..retrieve.conversation import normalise_history, standalone_question
from ..settings import Settings, default_index_dir
from ..types import Answer
from . import planning
from .generators import Generator
from .pipeline import Pipeline, get_pipeline
from .quotes import verify_answer
from .support import shown_answer

History = Sequence[Mapping[str, str]] | Sequence[Sequence[str]] | None
_SURROGATE = re.compile(
    "[\ud800-\udfff]"
)  # never valid text: undecodable bytes (surrogateescape), half pairs
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
log = logging.getLogger(__name__)


def clean_question(question: object, max_chars: int) -> tuple[str, list[str]]:
    """The question made safe to search with, and notes for the user about what was changed.

    Control characters are removed and white space collapsed; a question longer than ``max_chars`` is cut at
    a word boundary (and the note says so) rather than refused, so a pasted paragraph still gets an answer.

    Raises:
        InvalidQuestionError: not a string, or nothing left to ask.
    """
    if not isinstance(question, str):
        raise InvalidQuestionError(f"The question must be text, not {type(question).__name__}.")
    notes: list[str] = []
    broken = len(_SURROGATE.findall(question))
    if broken:  # bytes that were not UTF-8 (a latin-1 terminal), or half of a character: not encodable text
        question = _SURROGATE.sub("\ufffd", question)
        notes.append(
            f"The question held {broken} character{'s' if broken != 1 else ''} that could not be read as text "
            f"(bytes that are not UTF-8); {'they were' if broken != 1 else 'it was'} replaced by \ufffd."
        )
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", question))
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestionError("The question is empty: type a question about the documents.")
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
        notes.append(
            f"The question was {len(question):,} characters long; only its first {len(text):,} "
            "characters were used."
        )
    if not any(ch.isalnum() for ch in text):
        raise InvalidQuestionError("The question has no words in it: type a question about the documents.")
    return text, notes


def check_k(k: object) -> int | None:
    """``k`` as an int (None stays None: the settings' default); a whole number from 1 to 50 is expected.

    Raises:
        InvalidQuestionError: anything else ("abc", 2.5, True, 0), with what is expected.
    """
    if k is None:
        return None
    whole = isinstance(k, numbers.Integral) or (isinstance(k, numbers.Real) and float(k).is_integer())
    if isinstance(k, bool) or not whole or not 1 <= int(k) <= 50:
        shown = repr(k) if len(repr(k)) <= 40 else repr(k)[:40] + "..."
        raise InvalidQuestionError(
            f"k must be between 1 and 50, a whole number of passages to retrieve; got {shown}."
        )
    return int(k)


def check_history(history: object) -> None:
    """Refuse a ``history`` that is not a list of turns, saying what is expected.

    Expected: ``[{"role": "user"|"assistant", "content": text}, ...]`` or ``[[user text, assistant text], ...]``.

    Raises:
        InvalidQuestionError: the first thing that is not a turn, and where it is.
    """
    expected = (
        "history must be a list of turns: [{'role': 'user' or 'assistant', 'content': text}, ...] "
        "or [[user text, assistant text], ...]"
    )
    if history is None:
        return
    if isinstance(history, str | bytes | Mapping) or not isinstance(history, Sequence):
        raise InvalidQuestionError(f"{expected}; got {type(history).__name__}.")
    for i, item in enumerate(history):
        if isinstance(item, Mapping):
            ok = item.get("role") in ("user", "assistant", "system") and isinstance(item.get("content"), str)
        else:
            ok = (
                isinstance(item, Sequence)
                and not isinstance(item, str | bytes)
                and 1 <= len(item) <= 2
                and all(x is None or isinstance(x, str) for x in item)
            )
        if not ok:
            shown = repr(item) if len(repr(item)) <= 60 else repr(item)[:60] + "..."
            raise InvalidQuestionError(f"{expected}; turn {i} is {shown}.")


def ask_stream(
    question: str,
    *,
    k: int | None = None,
    generator: str | Generator | None = None,
    history: History = None,
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> Iterator[str | Answer]:
    """Like ``ask``, but yields the answer text in pieces as it is generated, then the verified ``Answer``.

    The pieces are the generator's raw text; only the final ``Answer`` carries checked quotes. When the
    generator fails and ``settings.fallback_generator`` is set, the fallback's pieces follow (after a blank
    line if the failed one had begun) and the ``Answer`` is the fallback's, with a note saying why.
    """
    started = time.perf_counter()
    settings = settings or Settings.from_env()
    text, notes = clean_question(question, settings.max_question_chars)
    k = check_k(k)
    k = settings.top_k if k is None else k
    if not 1 <= k <= 50:
        raise InvalidQuestionError(f"k must be between 1 and 50, got {k}.")
    check_history(history)
    turns = normalise_history(history)
    pipeline = get_pipeline(Path(index_dir) if index_dir is not None else default_index_dir(), settings)
    retriever = pipeline.retriever
    writer = (
        generator
        if generator is not None and not isinstance(generator, str)
        else pipeline.generator(generator)
    )
    timings: dict[str, float] = {}

    t = time.perf_counter()
    query = standalone_question(text, turns)
    # The question's kind and the documents it names decide what is retrieved (one document, each document).
    passages = planning.retrieve(retriever, query, k, planning.plan(text, retriever.documents, query))
    timings["retrieve"] = time.perf_counter() - t

    t = time.perf_counter()
    pieces: list[str] = []
    try:
        yield from _generate(writer, text, passages, turns, pieces, notes)
    except (GeneratorError, ModelUnavailableError) as e:
        writer = _fallback(writer, e, settings, pipeline, notes)
        if pieces:  # part of the failed answer was streamed: set the fallback's answer apart from it
            yield "\n\n"
        pieces.clear()
        yield from _generate(writer, text, passages, turns, pieces, notes)
    timings["generate"] = time.perf_counter() - t

    t = time.perf_counter()
    verified = verify_answer("".join(pieces), passages, retriever.documents)
    # Unsupported text is never shown as an answer (a model's prose without a verified quote).
    from_documents = getattr(writer, "quotes_only", False)
    shown = shown_answer(verified.text, verified.citations, from_documents=from_documents, passages=passages)
    timings["verify"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    yield Answer(
        question=text,
        text=shown.text,
        citations=verified.citations,
        passages=tuple(passages),
        abstained=shown.abstained,
        generator=writer.name,
        timings=timings,
        notes=tuple(notes),
        uncited=shown.uncited,
        model_text=shown.model_text,
    )


def _generate(
    writer: Generator, question: str, passages, turns, pieces: list[str], notes: list[str]
) -> Iterator[str]:
    """The writer's pieces, also collected in ``pieces``; its notes (passages that did not fit) added to
    ``notes`` once it has finished."""
    stream = writer.stream(question, passages, turns)
    for piece in stream:
        pieces.append(piece)
        yield piece
    notes.extend(getattr(stream, "notes", ()))


def _fallback(
    failed: Generator, error: Exception, settings: Settings, pipeline: Pipeline, notes: list[str]
) -> Generator:
    """The generator that answers instead of ``failed`` (``settings.fallback_generator``), with a note saying
    why; re-raises ``error`` when no fallback is configured."""
    name = settings.fallback_generator.strip()
    if name.lower() in ("", "none") or name == failed.name:
        raise error
    log.warning("The %s generator failed; the %s generator answers instead. %s", failed.name, name, error)
    notes.append(f"The {failed.name} generator failed, so the {name} generator wrote this answer: {error}")
    return pipeline.generator(name)


def ask(
    question: str,
    *,
    k: int | None = None,
    generator: str | Generator | None = None,
    history: History = None,
    index_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer ``question`` from the indexed documents with verbatim, cited quotes.

    Args:
        question: what to ask; control characters are dropped, very long questions are truncated (noted).
        k: how many passages to retrieve (default from settings, 5).
        generator: a generator name ("extractive", ...) or object; default from settings / ``RAG_GENERATOR``.
        history: earlier turns, ``[{"role": "user"|"assistant", "content": ...}]`` or ``[(user, bot)]``.
        index_dir: the index folder (default ``vectors/``, or ``RAG_INDEX_DIR``).
        settings: all other configuration (default: ``Settings.from_env()``).

    Returns:
        An ``Answer`` whose quotes are each the cited document's exact words at the recorded span.

    Raises:
        InvalidQuestionError: an empty question. IndexNotFoundError / IndexMismatchError: no usable index.
        UnknownGeneratorError: no such generator. GeneratorError / ModelUnavailableError: the generator failed
        and no fallback is configured (``fallback_generator="none"``); otherwise the fallback answers, noted.
    """
    result: Answer | None = None
    for item in ask_stream(
        question, k=k, generator=generator, history=history, index_dir=index_dir, settings=settings
    ):
        if isinstance(item, Answer):
            result = item
    assert result is not None
    return result
