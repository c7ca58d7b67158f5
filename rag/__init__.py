"""Answers from your articles, quoted word for word, with exact citations.

>>> import rag
>>> answer = rag.ask("Who built the Bushehr nuclear power plant?")
>>> print(answer.text)
"""

from .answer import ask, ask_stream, clean_question
from .collection import DocumentInfo, add_documents, get_document, list_documents
from .errors import (
    EncodingUnavailableError,
    GeneratorError,
    IndexMismatchError,
    IndexNotFoundError,
    InvalidQuestionError,
    ModelUnavailableError,
    RagError,
    SourceNotFoundError,
    UnknownGeneratorError,
)
from .indexing import IndexReport, build_index
from .settings import Settings
from .store import load_index
from .types import Answer, Chunk, Citation, Document, Passage

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "EncodingUnavailableError",
    "GeneratorError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexReport",
    "InvalidQuestionError",
    "ModelUnavailableError",
    "Passage",
    "RagError",
    "Settings",
    "SourceNotFoundError",
    "UnknownGeneratorError",
    "ask",
    "ask_stream",
    "build_index",
    "clean_question",
    "load_index",
    "DocumentInfo",
    "add_documents",
    "get_document",
    "list_documents",
]
