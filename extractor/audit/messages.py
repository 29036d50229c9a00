"""How findings write numbers, dates and quotes, and the message templates of ``rules/audit.yaml``.

Numbers are written as the reports write them ("7.568", "92,9"); the English message keeps the report's numbers
but writes percentages with a decimal point ("92.9%"), as the brief's messages do.
"""

from __future__ import annotations

import functools
from datetime import date

from ..resources import load_rules


@functools.cache
def settings() -> dict:
    """rules/audit.yaml, loaded once."""
    return load_rules("audit.yaml")


def template(name: str, lang: str) -> str:
    return settings()["messages"][name][lang]


def severity(kind: str) -> str:
    return settings()["severity"].get(kind, "warning")


def fmt_number(value: float, digits: int = 0) -> str:
    """Vietnamese style, as the reports write it: 7568 -> "7.568", 92.857 (1 digit) -> "92,9"; a value with a
    fraction and no digits asked keeps two ("970,46")."""
    if digits == 0 and abs(value - round(value)) > 1e-9:
        digits = 2
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float, digits: int = 0, lang: str = "en") -> str:
    """A percentage: 92.857 (1 digit) -> "92.9" in English, "92,9" in Vietnamese."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def fmt_date(d: date | str | None) -> str:
    if d is None:
        return "?"
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d)
        except ValueError:
            return d
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"
