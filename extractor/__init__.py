"""docmine: Vietnamese government progress reports → an auditable SQLite database.

The package is the pipeline: ``formats`` (one parser per input format) → ``normalise`` → ``segment`` →
``metadata`` / ``citations`` / ``figures`` (extract) → ``audit`` → ``store``. ``model`` holds the dataclasses every
stage passes on.
"""

from __future__ import annotations

__version__ = "0.1.0"

# The Python API (extractor/api.py): extractor.read(path), extractor.read_text(text), extractor.extract(document).
# (The pipeline stage the store uses is ``extractor.extraction.extract_all``.)
from .api import Extracted, FootnoteCheck, extract, read, read_text

__all__ = ["Extracted", "FootnoteCheck", "__version__", "extract", "read", "read_text"]
