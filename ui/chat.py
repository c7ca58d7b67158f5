"""What the app's events do: ask (streamed), upload, list documents, and the API endpoints.

Only the ``rag`` API is called here; retrieval, answering and indexing live in the library. Each browser
session keeps its own conversation (a ``gr.State``): the messages as shown, and the plain question/answer
turns that follow-up questions are answered with.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rag

from .documents import render_documents, render_remove_report, render_upload_error, render_upload_report
from .render import render_answer, render_draft, render_error, render_user
from .sources import safe_url

log = logging.getLogger(__name__)

MAX_TURNS = 12  # earlier turns kept for follow-ups; older ones no longer help and only slow generators down


@dataclass
class Conversation:
    """One browser session's chat: ``shown`` feeds the Chatbot, ``turns`` feeds ``ask_stream(history=)``."""

    shown: list[dict[str, str]] = field(default_factory=list)
    turns: list[dict[str, str]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)  # Answer.to_dict() of each reply, for export


def failure_message(error: Exception, generator: str) -> str:
    """A message for the chat; the traceback goes to the server log, never to the browser."""
    if isinstance(error, rag.NothingToIndexError):  # an installed copy before its first documents
        return "No documents are indexed yet: add some in the Documents tab (or run: rag index SOURCES)."
    if isinstance(error, rag.RagError):
        return str(error)
    log.exception("The %s generator failed", generator)
    detail = " ".join(str(error).split())[:300]
    return (
        f"The “{generator}” generator failed ({type(error).__name__}{': ' + detail if detail else ''}). "
        "Try again, or choose another generator under Settings."
    )


class ChatApp:
    """The event handlers of one app, bound to one index folder and settings."""

    def __init__(self, index_dir: Path, settings: rag.Settings) -> None:
        self.index_dir = index_dir
        self.settings = settings

    def document_text(self, doc_id: str) -> str | None:
        """The cleaned text citation spans point into; None when the document is no longer indexed."""
        try:
            return rag.get_document(doc_id, index_dir=self.index_dir, settings=self.settings).text
        except rag.RagError:
            return None

    def respond(
        self, question: str, conversation: Conversation | None, generator: str, k: float, show_passages: bool
    ) -> Iterator[tuple[list[dict[str, str]], Conversation, str]]:
        """Stream the answer to ``question`` into the chat: a draft as it is written, then the checked answer.

        Yields (chat messages, conversation, text box value).
        """
        conversation = conversation if conversation is not None else Conversation()
        if not question or not question.strip():
            yield conversation.shown, conversation, ""
            return
        shown = [
            *conversation.shown,
            {"role": "user", "content": render_user(question)},
            {"role": "assistant", "content": render_draft("")},
        ]
        yield list(shown), conversation, ""
        pieces: list[str] = []
        try:
            for item in rag.ask_stream(
                question,
                k=int(k),
                generator=generator or None,
                history=conversation.turns[-2 * MAX_TURNS :],
                index_dir=self.index_dir,
                settings=self.settings,
            ):
                if isinstance(item, rag.Answer):
                    shown[-1] = {
                        "role": "assistant",
                        "content": render_answer(item, self.document_text, show_passages=show_passages),
                    }
                    turns = [
                        *conversation.turns,
                        {"role": "user", "content": item.question},
                        {"role": "assistant", "content": item.text},
                    ]
                    answers = [*conversation.answers, item.to_dict()]
                    conversation = Conversation(shown=shown, turns=turns, answers=answers)
                else:
                    pieces.append(item)
                    shown[-1] = {"role": "assistant", "content": render_draft("".join(pieces))}
                yield list(shown), conversation, ""
        except Exception as e:  # any failure becomes a message in the chat
            shown[-1] = {"role": "assistant", "content": render_error(failure_message(e, generator))}
            yield shown, Conversation(shown=shown, turns=conversation.turns, answers=conversation.answers), ""

    def clear(self) -> tuple[list[dict[str, str]], Conversation, str]:
        return [], Conversation(), ""

    def _documents(self) -> list[rag.DocumentInfo]:
        """What is indexed; none yet for a new index with nothing to build it from (uploads will)."""
        try:
            return rag.list_documents(self.index_dir, settings=self.settings)
        except rag.NothingToIndexError:
            return []

    def documents_html(self) -> str:
        try:
            return render_documents(self._documents())
        except rag.RagError as e:
            return render_upload_error(str(e))

    def upload(
        self, files: list[str] | None, progress: Callable[..., Any] | None = None
    ) -> tuple[str, str, None]:
        """Add uploaded files to the index. Returns (report HTML, document list HTML, cleared file input)."""
        if not files:
            return "", self.documents_html(), None
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", str(f))) for f in files]
        try:
            report = rag.add_documents(
                paths,
                index_dir=self.index_dir,
                settings=self.settings,
                progress=(lambda fraction, message: progress(fraction, desc=message)) if progress else None,
            )
        except rag.RagError as e:
            return render_upload_error(str(e)), self.documents_html(), None
        except Exception as e:  # never a stack trace in the browser
            log.exception("Adding %s failed", [p.name for p in paths])
            return (
                render_upload_error(f"Adding the files failed ({type(e).__name__}: {e})."),
                self.documents_html(),
                None,
            )
        names = []
        for p in paths:
            try:
                names.append(rag.safe_upload_name(p.name))
            except rag.RagError:
                continue
        return render_upload_report(report, names), self.documents_html(), None

    # --- API endpoints (gradio_client) -------------------------------------------------------------------

    def api_ask(
        self, question: str, k: int = 5, generator: str = "", history: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        """Answer ``question`` from the indexed documents; returns ``rag.Answer.to_dict()``.

        ``history`` is the conversation so far, ``[{"role": "user"|"assistant", "content": "..."}]``.
        """
        # k and history are checked by ask() itself, so a malformed one is a message, not a traceback.
        answer = rag.ask(
            question,
            k=k,
            generator=generator or None,
            history=history or None,
            index_dir=self.index_dir,
            settings=self.settings,
        )
        data = answer.to_dict()
        for citation in data["citations"]:  # other clients may show it as a link: only http(s) addresses
            citation["url"] = safe_url(citation.get("url"))
        return data

    def api_documents(self) -> list[dict[str, Any]]:
        """Every indexed document: doc_id, title, author, date, url, chunks, source_path."""
        documents = [d.to_dict() for d in self._documents()]
        for document in documents:
            document["url"] = safe_url(document.get("url"))
        return documents

    # --- removing documents --------------------------------------------------------------------------------

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc_id) of every indexed document, for the remove picker."""
        try:
            documents = self._documents()
        except rag.RagError:
            return []
        return [(f"{d.title} ({d.doc_id})" if d.title != d.doc_id else d.doc_id, d.doc_id) for d in documents]

    def remove(self, doc_ids: list[str] | None) -> tuple[str, str]:
        """Remove the chosen documents. Returns (report HTML, document list HTML)."""
        if not doc_ids:
            return render_upload_error("Choose the documents to remove first."), self.documents_html()
        try:
            report = rag.remove_documents(list(doc_ids), index_dir=self.index_dir, settings=self.settings)
        except rag.RagError as e:
            return render_upload_error(str(e)), self.documents_html()
        except Exception as e:  # never a stack trace in the browser
            log.exception("Removing %s failed", doc_ids)
            return render_upload_error(f"Removing failed ({type(e).__name__}: {e})."), self.documents_html()
        return render_remove_report(report), self.documents_html()


__all__ = ["ChatApp", "Conversation"]
