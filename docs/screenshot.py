"""Take docs/screenshots/*.png: what an analyst sees on the main Datasette pages of `docmine serve` (the documents
overview, the findings, a canned query, a report's row page, the documents table), (the README shows findings.png).

Ingests the real reports (../shared/corpus/docx when present, else the bundled corpus/reports) into a temporary
database, serves it on loopback, and photographs each page with Debian's headless chromium
(`apt-get install -y chromium`). Nothing but 127.0.0.1 is contacted.

    python docs/screenshot.py [--db FILE] [--out-dir docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (URLError, ConnectionError, OSError):
            if proc.poll() is not None:
                raise RuntimeError("docmine serve exited before answering") from None
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("chromium not found: install it with `apt-get install -y chromium`")


def screenshot(url: str, out: Path, width: int = 1500, height: int = 1900) -> None:
    with tempfile.TemporaryDirectory(prefix="docmine-chromium-") as profile:
        cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--screenshot={out}", "--virtual-time-budget=5000", url]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def dump_dom(url: str) -> str:
    """The page's DOM after its scripts ran, as headless chromium renders it."""
    with tempfile.TemporaryDirectory(prefix="docmine-chromium-") as profile:
        cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
               "--dump-dom", url]
        return subprocess.run(cmd, check=True, capture_output=True, timeout=120, text=True).stdout


def pages(db: Path) -> dict[str, tuple[str, int]]:
    """The pages to photograph: file name → (path, window height). The row page is Tuyên Quang's report (or the
    first document) as ingested in ``db``."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        row = conn.execute("select id from documents where duplicate_of is null "
                           "order by file_name not like 'tuyen-quang%', file_name limit 1").fetchone()
    name = db.stem
    out = {
        "documents.png": (f"/{name}/documents_overview", 1500),
        "findings.png": (f"/{name}/findings?_sort=severity", 1500),
        "query.png": (f"/{name}/citation_date_conflicts", 1300),
        "home.png": ("/", 1100),
        "table.png": (f"/{name}/documents", 1300),  # the raw documents table, its long columns left out
    }
    if row:
        out["row.png"] = (f"/{name}/documents/{row[0]}", 1500)
    return out


def served(db: Path, log_path: Path):
    """Start ``docmine serve`` on ``db`` on a free loopback port; returns (process, base URL) once it answers."""
    port = _free_port()
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", str(db), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/-/versions.json", proc)
    except BaseException:
        proc.terminate()
        proc.wait(timeout=10)
        raise
    finally:
        log.close()
    return proc, base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an ingested database (default: ingest the corpus afresh)")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docmine-shot-") as tmp:
        db = args.db
        if db is None:
            sys.path.insert(0, str(ROOT))  # this checkout's extractor
            from extractor.run.ingest import ingest

            shared = ROOT.parent / "shared" / "corpus" / "docx"
            corpus = shared if shared.is_dir() else ROOT / "corpus" / "reports"
            db = Path(tmp) / "reports.db"
            ingest([corpus], db)
        proc, base = served(db, Path(tmp) / "serve.log")
        try:
            args.out_dir.mkdir(parents=True, exist_ok=True)
            for file, (path, height) in pages(db).items():
                screenshot(base + path, args.out_dir / file, height=height)
                print(f"wrote {args.out_dir / file}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
