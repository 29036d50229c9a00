"""docmine: Vietnamese government progress reports → an auditable SQLite database.

The package is the pipeline: ``formats`` (one parser per input format) → ``normalise`` → ``segment`` →
``metadata`` / ``citations`` / ``figures`` (extract) → ``audit`` → ``store``. ``model`` holds the dataclasses every
stage passes on.
"""

from __future__ import annotations

__version__ = "0.1.0"

# The Python API (extractor/api.py): extractor.read(path), extractor.read_text(text), extractor.extract(document).
# ``extractor.extract`` names the API function; the pipeline stage of the same name stays importable as
# ``from extractor.extract import extract`` (sys.modules["extractor.extract"]): the package keeps its attribute when
# that submodule loads, instead of letting the import replace the function with the module.
import sys as _sys
import types as _types

from .api import Extracted, FootnoteCheck, extract, read, read_text


class _Package(_types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name == "extract" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

__all__ = ["Extracted", "FootnoteCheck", "__version__", "extract", "read", "read_text"]
