"""Display: findings as a rich renderable (the CLI's ``docmine findings``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Finding


def format_findings(findings_by_doc: Mapping[str | None, list[Finding]]):
    """A rich renderable: findings grouped by report, then by kind. ``None`` is the whole corpus."""
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    parts: list[Any] = []
    total = sum(len(v) for v in findings_by_doc.values())
    if not total:
        return Text("No findings.", style="green")
    for doc_name in sorted(findings_by_doc, key=lambda k: (k is not None, k or "")):
        findings = findings_by_doc[doc_name]
        if not findings:
            continue
        title = doc_name if doc_name is not None else "Across reports"
        table = RichTable(
            title=f"{title} — {len(findings)} finding(s)", title_justify="left", show_lines=False, expand=True
        )
        table.add_column("kind", style="bold", no_wrap=True)
        table.add_column("sev", no_wrap=True)
        table.add_column("section", no_wrap=True)
        table.add_column("message")
        for f in sorted(findings, key=lambda f: (f.kind, f.section or "")):
            style = "red" if f.severity == "error" else "yellow"
            table.add_row(f.kind, Text(f.severity, style=style), f.section or "", f.message)
        parts.append(table)
    return Group(*parts)
