"""BEIR corpora: one JSON object per line (``_id``, ``title``, ``text``, ``metadata``) -> documents."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from rag.ingest.dates import parse_date
from rag.ingest.metadata import split_authors, web_url
from rag.ingest.result import SkippedFile
from rag.types import Document

logger = logging.getLogger(__name__)
_LOGGED_LINES = 5  # a file of broken lines gets a few warnings and a count, not thousands of lines of log


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_authors(value)
    if isinstance(value, list):
        return tuple(str(v) for v in value if str(v).strip())
    return ()


def _record_document(record: Any, line: bytes, path: Path) -> Document:
    """The document of one parsed record; ValueError says what is missing."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if "_id" not in record:
        raise ValueError("no '_id' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no 'text' (the record has nothing to search)")
    meta = record.get("metadata") if isinstance(record.get("metadata"), dict) else {}
    date = meta.get("date") or meta.get("published")
    return Document(
        doc_id=str(record["_id"]),
        text=text,  # the abstract only: BEIR keeps the title apart, and so do we
        title=str(record.get("title") or ""),
        authors=_authors(meta.get("authors") or meta.get("author")),
        date=parse_date(date) if isinstance(date, str) else None,
        url=web_url(meta.get("url")),
        publication=meta.get("journal") if isinstance(meta.get("journal"), str) else None,
        source_path=str(path),
        content_hash=hashlib.sha256(line).hexdigest(),
        segments=(),  # a record has no offsets in a file worth mapping back to
    )


def read_jsonl(data: bytes, path: Path) -> tuple[list[Document], list[SkippedFile]]:
    """One document per good line; one ``SkippedFile`` (``path:line``) per broken line, logged as a warning.

    ``content_hash`` is the sha256 of the line's bytes without its line ending. Blank lines are ignored. A
    repeated ``_id`` is skipped (and reported): the first record under an id is the one indexed.
    """
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    first_line: dict[str, int] = {}  # doc_id -> the line it was first seen on
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            document = _record_document(json.loads(line.decode("utf-8")), line, path)
            first = first_line.setdefault(document.doc_id, number)
            if first != number:  # two records under one id would share chunk ids: the second is refused
                raise ValueError(
                    f"repeated _id {document.doc_id!r} (first on line {first}); only that one is indexed"
                )
            documents.append(document)
        except UnicodeDecodeError:
            reason = "not UTF-8; re-save the file as UTF-8"
        except json.JSONDecodeError as e:
            reason = f"not valid JSON ({e.msg} at column {e.colno})"
        except ValueError as e:
            reason = str(e)
        else:
            continue
        skipped.append(SkippedFile(f"{path}:{number}", reason))
        if len(skipped) <= _LOGGED_LINES:
            logger.warning("Skipping line %d of %s: %s", number, path, reason)
    if len(skipped) > _LOGGED_LINES:
        logger.warning("Skipped %d broken lines in %s in all", len(skipped), path)
    return documents, skipped
