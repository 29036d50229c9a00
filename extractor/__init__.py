"""docmine: Vietnamese government progress reports → an auditable SQLite database.

The package is the pipeline: ``formats`` (one parser per input format) → ``normalise`` → ``segment`` →
``metadata`` / ``citations`` / ``figures`` (extract) → ``audit`` → ``store``. ``model`` holds the dataclasses every
stage passes on.
"""

from __future__ import annotations

__version__ = "0.1.0"
