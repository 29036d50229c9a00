"""One exception class per failure a caller can act on. The message is what ends up in ``documents.error``."""

from __future__ import annotations


class DocmineError(Exception):
    """Base class: a file could not be read. ``str(err)`` says what the file is and what to do."""


class UnsupportedFormat(DocmineError):
    """The bytes are not a format docmine reads (an image, an archive, random bytes ...)."""


class CorruptDocument(DocmineError):
    """The bytes claim a known format but cannot be parsed (truncated, damaged)."""


class EncryptedDocument(DocmineError):
    """The file is password-protected or encrypted."""


class EmptyDocument(DocmineError):
    """The file is empty or holds no text."""


class TooLarge(DocmineError):
    """The file (or a part of it) exceeds a safety limit."""


class MissingTool(DocmineError):
    """An external program needed for this file (Tesseract, LibreOffice) is not installed."""


class TimeLimitExceeded(TooLarge):
    """Reading the file took longer than the per-file time limit; its worker was stopped."""


class WorkerCrashed(CorruptDocument):
    """The worker process reading the file died (out of memory, or a crash in a native library)."""


class NotAFile(UnsupportedFormat):
    """An input name that is not a regular file (a FIFO, a device, a socket): never opened."""


class SkippedLink(DocmineError):
    """A symbolic link that is not followed: a loop, dangling, or pointing outside the folders given."""


class StorageError(DocmineError):
    """The database could not be written (disk full, an I/O error, a read-only or damaged file): the run stopped.
    Everything committed before stays; the document being written was rolled back."""
