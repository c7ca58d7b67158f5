"""Answers from your articles, quoted word for word, with exact citations.

>>> import rag
>>> answer = rag.ask("Who built the Bushehr nuclear power plant?")
>>> print(answer.text)
"""

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
from .errors import (
    EncodingUnavailableError,
    GeneratorError,
    IndexDamagedError,
    IndexMismatchError,
    IndexNotFoundError,
    InvalidQuestionError,
    MissingDependencyError,
    ModelUnavailableError,
    RagError,
    SourceNotFoundError,
    UnknownGeneratorError,
)
from .index.build import IndexReport, build_index
from .index.health import check_index
from .index.store import load_index
from .index.tokens import count_tokens
from .passages import search
from .settings import Settings, default_index_dir
from .types import Answer, Chunk, Citation, Document, Passage

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
