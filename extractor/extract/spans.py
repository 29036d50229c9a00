"""Character spans ``(start, end)``, end exclusive: the one overlap test every extractor and audit uses.

>>> overlaps([(0, 4), (10, 12)], 3, 6), overlaps([(0, 4)], 4, 6), overlaps([], 0, 1)
(True, False, False)

:class:`SpanSet` answers the same question in time independent of how many spans it holds (for short spans, as
numbers, dates and document numbers are): the figure and audit passes ask it for every number of a block against
every span taken so far, and a list scanned on each question made a block of 60,000 "1%" quadratic (minutes for
200 KB). Spans are kept in buckets of ``BUCKET`` characters: a span is filed under every bucket it touches, a
question looks only at the buckets its own span touches.
"""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]

BUCKET = 64


class SpanSet:
    """Half-open spans ``(start, end)``; ``overlaps`` and ``contains_point`` look at nearby spans only."""

    __slots__ = ("_buckets", "_count")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._buckets: dict[int, list[tuple[int, int]]] = {}
        self._count = 0
        for start, end in spans:
            self.add(start, end)

    def __len__(self) -> int:
        return self._count

    def add(self, start: int, end: int) -> None:
        self._count += 1
        for b in range(start // BUCKET, max(start, end - 1) // BUCKET + 1):
            self._buckets.setdefault(b, []).append((start, end))

    def extend(self, spans: Iterable[tuple[int, int]]) -> None:
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span ``(s, e)`` has ``s < end and start < e``."""
        if not self._count:
            return False
        buckets = self._buckets
        for b in range(start // BUCKET, max(start, end - 1) // BUCKET + 1):
            for s, e in buckets.get(b, ()):
                if s < end and start < e:
                    return True
        return False

    def contains_point(self, pos: int) -> bool:
        """Whether some span ``(s, e)`` has ``s <= pos < e``."""
        return any(s <= pos < e for s, e in self._buckets.get(pos // BUCKET, ()))


def overlaps(spans: Iterable[Span] | SpanSet, start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares at least one character with any of ``spans`` (touching ends do not)."""
    if isinstance(spans, SpanSet):
        return spans.overlaps(start, end)
    return any(s < end and start < e for s, e in spans)
