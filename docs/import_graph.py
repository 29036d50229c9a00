"""Draw docs/import-graph.svg: which stage of ``extractor`` imports which (pydeps, Graphviz's ``dot``).

Run from the checkout: ``python docs/import_graph.py`` (``--modules`` draws every module instead of the stages).
The arrows point from the importing stage to the imported one; tests/test_layers.py checks they all point down the
layers of pyproject.toml's [tool.importlinter].
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if shutil.which("dot") is None:
        print("Graphviz's dot is needed (apt-get install graphviz)", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "import-graph.svg"
    depth = [] if "--modules" in argv else ["--max-module-depth", "2"]  # extractor.store.db → extractor.store
    cmd = [sys.executable, "-m", "pydeps", "extractor", "--only", "extractor", "--no-config", "--noshow",
           "--rankdir", "TB", "--reverse", "--exclude", "extractor.data", *depth, "-T", "svg", "-o", str(out)]
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
