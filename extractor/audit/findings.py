"""The one way a finding is made: :func:`make` fills the Vietnamese and English messages of ``rules/audit.yaml``
and records the severity, where it is (section, page) and the figures and citations involved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Citation, Figure, Finding
from .messages import severity as default_severity
from .messages import template


def make(
    kind: str,
    params: Mapping[str, Any],
    *,
    template_name: str | None = None,
    en: Mapping[str, Any] | None = None,
    severity: str | None = None,
    text: str | None = None,
    key: str | None = None,
    section: str | None = None,
    page: int | None = None,
    figures: Iterable[Figure] = (),
    citations: Iterable[Citation] = (),
    document_id: str | None = None,
) -> Finding:
    """A finding of ``kind`` whose messages are the templates ``template_name`` (default: the kind) filled with
    ``params`` (and ``en`` over them in English). Where it is comes from the first figure or citation involved
    unless given."""
    figures, citations = list(figures), list(citations)
    first = figures[0] if figures else citations[0] if citations else None
    name = template_name or kind
    return Finding(
        kind=kind,
        severity=severity or default_severity(kind),
        message=template(name, "vi").format(**params),
        message_en=template(name, "en").format(**{**params, **(en or {})}),
        key=key,
        text=text,
        document_id=document_id,
        section=section if section is not None or first is None else first.section,
        page=page if page is not None or first is None else first.page,
        figures=[f.text for f in figures],
        citations=[c.text for c in citations],
    )
