"""Imported once by the ``multiprocessing`` fork server: loads and warms up the pipeline, so every worker forked from
it starts ready (no imports, rules already compiled)."""

from __future__ import annotations

from .worker import warm_up

warm_up()
