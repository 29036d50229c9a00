"""notebooks/audit-walkthrough.ipynb runs top to bottom with nbclient on the bundled corpus; it is committed without
outputs, so every output a reader sees is regenerated here, never stale."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "audit-walkthrough.ipynb"


def test_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_runs_top_to_bottom(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
                   ).execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    # the bundled corpus (each report as .docx, .md and .pdf): every file read
    m = re.search(r"(\d+) files, (\d+) read, 0 errors", text)
    assert m and m.group(1) == m.group(2) and int(m.group(1)) >= 9
    assert "footnote_count_mismatch" in text and "ratio_mismatch" in text
    html = "\n".join(o.data.get("text/html", "") for o in outputs if "data" in o)
    assert "CITATION" in html and "Xã Mỹ Thạnh Đông" in html  # the displaCy view and the pivot
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the matplotlib plot
    nbformat.write(nb, tmp_path / "executed.ipynb")  # an executed copy, for a person to open
