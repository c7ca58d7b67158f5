"""PDFs through pypdf: text per page, pages joined by a blank line, metadata from the document info."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.ingest.errors import UnreadableFileError
from rag.ingest.metadata import Metadata, split_authors

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)
# Titles that tools write into PDF metadata without meaning them.
_JUNK_TITLE = re.compile(r"untitled|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pptx?|tex|pdf|dvi)", re.I)


@dataclass(frozen=True)
class PdfText:
    text: str
    page_starts: tuple[int, ...]
    metadata: Metadata


def _metadata(reader: PdfReader, text: str) -> Metadata:
    info = reader.metadata
    title = (info.title or "").strip() if info else ""
    if not title or _JUNK_TITLE.fullmatch(title):
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first if len(first) <= 150 else ""
    authors = split_authors(info.author) if info and info.author else ()
    date = None
    try:
        created = info.creation_date if info else None
        date = created.date().isoformat() if created else None
    except (ValueError, TypeError) as e:  # a malformed date string in the info dictionary
        logger.debug("Ignoring unreadable PDF creation date: %s", e)
    return Metadata(title=title or None, authors=authors, date=date)


def read_pdf(data: bytes) -> PdfText:
    """The text of every page (pages joined by "\\n\\n", ``page_starts`` where each begins) and its metadata.

    Raises UnreadableFileError when pypdf cannot parse the file, it is encrypted, or no page has text.
    """
    from pypdf import PdfReader  # here: a build of text files alone never loads it

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError("the PDF is encrypted; save an unencrypted copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        text = "\n\n".join(pages)
        metadata = _metadata(reader, text)
    except UnreadableFileError:
        raise
    except Exception as e:  # pypdf raises many kinds of error on malformed files; each means "cannot parse"
        raise UnreadableFileError(f"pypdf cannot parse this PDF ({type(e).__name__}: {e})") from e
    if not any(pages):
        raise UnreadableFileError("the PDF has no extractable text (a scan?); run OCR on it first")
    starts: list[int] = []
    offset = 0
    for page_text in pages:
        starts.append(offset)
        offset += len(page_text) + 2
    return PdfText(text, tuple(starts), metadata)
