"""Take docs/findings.png: what an analyst sees on the Datasette findings page of `docmine serve`.

Ingests the real reports (../shared/corpus/docx when present, else the bundled corpus/reports) into a temporary
database, serves it on loopback, and photographs the findings page with Debian's headless chromium
(`apt-get install -y chromium`). Nothing but 127.0.0.1 is contacted.

    python docs/screenshot.py [--db FILE] [--out docs/findings.png] [--path /db/findings]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an ingested database (default: ingest the corpus afresh)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "findings.png")
    parser.add_argument("--path", default="/{db}/findings?_sort_desc=severity",
                        help="the page to photograph ({db} is the database name)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docmine-shot-") as tmp:
        db = args.db
        if db is None:
            from extractor.run.ingest import ingest

            shared = ROOT.parent / "shared" / "corpus" / "docx"
            corpus = shared if shared.is_dir() else ROOT / "corpus" / "reports"
            db = Path(tmp) / "reports.db"
            ingest([corpus], db)
        port = _free_port()
        log = (Path(tmp) / "serve.log").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "serve", str(db), "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/-/versions.json", proc)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            screenshot(base + args.path.format(db=db.stem), args.out)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            log.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
