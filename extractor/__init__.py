"""docmine: Vietnamese government progress reports → an auditable SQLite database.

The package is the pipeline, one folder per stage, each importing only from the stages before it:

    formats/  read a file (DOCX, PDF, .doc, text, legacy fonts) into a ``model.Document``
    prepare/  normalise text, segment it, read report metadata
    lang/     Vietnamese numbers and dates
    extract/  citations, figures, footnote lists, tables, localities, indicators
    audit/    arithmetic and consistency findings
    store/    the SQLite database (schema, writes, derived tables)
    run/      batches: ingest, executors, workers, limits

``pipeline`` runs the per-document stages in order; ``model`` holds the dataclasses every stage passes on;
``api``, ``cli``, ``serve``, ``export`` and ``annotate`` are the interfaces.
"""

from __future__ import annotations

# The Python API (extractor/api.py): extractor.read(path), extractor.read_text(text), extractor.extract(document).
# (The pipeline stage the store uses is ``extractor.pipeline.extract_all``.) The stage package extractor/extract/ is
# imported first: importing a subpackage sets the package attribute of its name, so loaded after the function it
# would replace ``extractor.extract`` with the package.
from . import extract as _extract_stage  # noqa: F401
from .api import Extracted, FootnoteCheck, extract, read, read_text
from .version import __version__

__all__ = ["Extracted", "FootnoteCheck", "__version__", "extract", "read", "read_text"]
