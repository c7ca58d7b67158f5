"""Answers from your articles, quoted word for word, with exact citations.

>>> import rag
>>> answer = rag.ask("Who built the Bushehr nuclear power plant?")
>>> print(answer.text)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    EncodingUnavailableError,
    GeneratorError,
    IndexDamagedError,
    IndexMismatchError,
    IndexNotFoundError,
    InvalidQuestionError,
    MissingDependencyError,
    ModelUnavailableError,
    NothingToIndexError,
    RagError,
    SourceNotFoundError,
    UnknownGeneratorError,
)
from .settings import Settings, default_index_dir
from .types import Answer, Chunk, Citation, Document, Passage

# The rest is imported on first use: `rag index` then loads the indexing stages only, not the answering
# ones (and their libraries), which a process that builds an index never calls.
_LAZY = {
    "ask": (".answer.answering", "ask"),
    "ask_stream": (".answer.answering", "ask_stream"),
    "clean_question": (".answer.answering", "clean_question"),
    "available_generators": (".answer.generators", "available"),
    "MAX_UPLOAD_BYTES": (".collection", "MAX_UPLOAD_BYTES"),
    "UPLOAD_SUFFIXES": (".collection", "UPLOAD_SUFFIXES"),
    "DocumentInfo": (".collection", "DocumentInfo"),
    "add_documents": (".collection", "add_documents"),
    "get_document": (".collection", "get_document"),
    "list_documents": (".collection", "list_documents"),
    "remove_documents": (".collection", "remove_documents"),
    "safe_upload_name": (".collection", "safe_upload_name"),
    "IndexReport": (".index.build", "IndexReport"),
    "build_index": (".index.build", "build_index"),
    "check_index": (".index.health", "check_index"),
    "load_index": (".index.store", "load_index"),
    "count_tokens": (".index.tokens", "count_tokens"),
    "search": (".passages", "search"),
}

if TYPE_CHECKING:
    from .answer.answering import ask, ask_stream, clean_question
    from .answer.generators import available as available_generators
    from .collection import (
        MAX_UPLOAD_BYTES,
        UPLOAD_SUFFIXES,
        DocumentInfo,
        add_documents,
        get_document,
        list_documents,
        remove_documents,
        safe_upload_name,
    )
    from .index.build import IndexReport, build_index
    from .index.health import check_index
    from .index.store import load_index
    from .index.tokens import count_tokens
    from .passages import search


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'rag' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0], __name__), target[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "EncodingUnavailableError",
    "GeneratorError",
    "IndexDamagedError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexReport",
    "InvalidQuestionError",
    "MissingDependencyError",
    "ModelUnavailableError",
    "NothingToIndexError",
    "Passage",
    "RagError",
    "Settings",
    "SourceNotFoundError",
    "UnknownGeneratorError",
    "ask",
    "ask_stream",
    "build_index",
    "check_index",
    "clean_question",
    "count_tokens",
    "load_index",
    "DocumentInfo",
    "add_documents",
    "get_document",
    "list_documents",
    "remove_documents",
    "MAX_UPLOAD_BYTES",
    "UPLOAD_SUFFIXES",
    "available_generators",
    "default_index_dir",
    "safe_upload_name",
    "search",
]
