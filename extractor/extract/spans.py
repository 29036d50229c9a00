"""Character spans ``(start, end)``, end exclusive: the one overlap test every extractor and audit uses.

>>> overlaps([(0, 4), (10, 12)], 3, 6), overlaps([(0, 4)], 4, 6), overlaps([], 0, 1)
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]


def overlaps(spans: Iterable[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares at least one character with any of ``spans`` (touching ends do not)."""
    return any(s < end and start < e for s, e in spans)
