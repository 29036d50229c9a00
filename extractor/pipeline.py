"""load → normalise → segment → (metadata): turn a file into a ready :class:`~extractor.model.Document`."""

from __future__ import annotations

from pathlib import Path

from .formats import parse_bytes
from .metadata import extract_metadata
from .model import Document
from .normalise import normalise_document
from .segment import segment


def prepare(doc: Document) -> Document:
    """Normalise, segment and read the report metadata of a freshly parsed document."""
    normalise_document(doc)
    segment(doc)
    doc.metadata = extract_metadata(doc)
    return doc


def read_bytes(data: bytes, path: str | None = None) -> Document:
    """Parse bytes of any supported format (recognised by content, not name) into a prepared Document."""
    return prepare(parse_bytes(data, path))


def read(path: str | Path) -> Document:
    """Read one report file into the document model."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path))
