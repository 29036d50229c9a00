"""Ingest progress counts pages: the OCR loop reports each page of a scanned PDF (from the worker processes too),
the display shows "trang 3/6" while it is read, and the ETA is the pages left at the pages-per-second rate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from extractor import cli
from extractor.formats.progress import PageEvent, listening, page_done, reading
from extractor.run import progress as run_progress
from extractor.run.progress import PageProgress, estimate_pages

SCAN = "scan/son-tra-2024.pdf"  # six scanned pages (rendered and counted by eye), no text layer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_eta_counts_pages_not_files():
    clock = Clock()
    weights = {"scan.pdf": 12, "a.docx": 1, "old.pdf": 7}
    tracker = PageProgress(weights, clock=clock, weigh=weights.__getitem__)
    assert tracker.total == 20 and tracker.eta() is None  # no page read yet: no rate, no guess
    tracker.file_done("old.pdf", skipped=True)  # unchanged: done at once, and costs nothing
    clock.now += 1
    assert tracker.done == 7 and tracker.eta() is None  # skipped pages are not a reading rate
    for n in (1, 2, 3):
        clock.now += 2
        tracker.page(PageEvent(done=n, total=12, page=n, path="scan.pdf"))
    assert tracker.done == 10 and tracker.last.page == 3
    # 3 pages read in 7 s: 10 pages left at 3/7 pages a second (by files it would be 1 of 2 files read: 7 s)
    assert tracker.eta() == pytest.approx(10 / (3 / 7))
    tracker.file_done("scan.pdf")
    assert tracker.done == 19 and tracker.last is None and tracker.files_done == 2
    tracker.file_done("a.docx")
    assert tracker.done == tracker.total == 20 and tracker.eta() == 0


def test_mixed_pdf_credits_its_share():
    """A mixed PDF OCRs only its pages without text: 2 of 4 OCRed pages is half the file's weight."""
    tracker = PageProgress(["m.pdf"], weigh=lambda p: 10)
    tracker.page(PageEvent(done=2, total=4, page=7, path="m.pdf"))
    assert tracker.done == 5
    tracker.page(PageEvent(done=1, total=4, page=3, path="m.pdf"))  # never backwards
    assert tracker.done == 5


def test_events_go_to_the_listener_of_the_context():
    got: list[PageEvent] = []
    page_done(1, 2, 1)  # no listener: nothing happens
    with listening(got.append), reading("x.pdf"):
        page_done(1, 2, 5)
    page_done(2, 2, 6)
    assert got == [PageEvent(done=1, total=2, page=5, path="x.pdf")]

    def broken(event: PageEvent) -> None:
        raise RuntimeError("display gone")

    with listening(broken):
        page_done(1, 1, 1)  # a listener's error is not the file's


@pytest.mark.shared
def test_estimate_pages(shared_corpus: Path):
    assert estimate_pages(shared_corpus / SCAN) == 6
    assert estimate_pages(shared_corpus / "scan" / "tuyen-quang-cao-diem-2023.pdf") == 16
    assert estimate_pages(next((shared_corpus / "docx").glob("*.docx"))) == 1  # not a PDF: one unit
    assert estimate_pages(Path(__file__)) == 1


@pytest.mark.shared
def test_scanned_pdf_reports_its_pages_through_a_worker(shared_corpus: Path, tmp_path: Path, monkeypatch):
    """The CLI ingests a scan with one worker process: the page events cross the result channel, in order, the
    display names them in Vietnamese first, the ETA counts pages, and the summary is that of one file read."""
    seen: list[tuple[PageEvent, float, float | None]] = []

    class Recording(PageProgress):
        def page(self, event: PageEvent) -> None:
            super().page(event)
            seen.append((event, self.done, self.eta()))

    trackers: list[Recording] = []

    def make(*args, **kwargs):
        trackers.append(Recording(*args, **kwargs))
        return trackers[-1]

    monkeypatch.setattr(run_progress, "PageProgress", make)
    screen = Console(record=True, force_terminal=True, width=220, color_system=None)
    monkeypatch.setattr(cli, "console", screen)
    scan = shared_corpus / SCAN
    result = CliRunner().invoke(cli.app, ["ingest", str(scan), "--db", str(tmp_path / "p.db"), "--jobs", "1"])
    assert result.exit_code == 0, result.output

    (tracker,) = trackers
    assert tracker.total == 6
    events = [e for e, _, _ in seen]
    assert [e.done for e in events] == [1, 2, 3, 4, 5, 6]
    assert [e.page for e in events] == [1, 2, 3, 4, 5, 6]
    assert {e.total for e in events} == {6} and {e.path for e in events} == {str(scan)}
    assert [done for _, done, _ in seen] == [1, 2, 3, 4, 5, 6]  # each page is one of the six units
    assert all(eta is not None and eta >= 0 for _, _, eta in seen[:-1]) and seen[-1][2] == 0
    assert tracker.files_done == 1 and tracker.done == 6

    shown = screen.export_text()
    frames = re.findall(r"Đang nhận dạng chữ \(OCR\) trang (\d)/6 — tệp son-tra-2024\.pdf / OCR page \1/6", shown)
    assert frames, shown[-2000:]
    assert [int(n) for n in frames] == sorted(int(n) for n in frames)  # never backwards
    assert "/6 trang" in shown and "còn" in shown
    assert "Đang nhận dạng chữ" not in result.output.split("docmine ingest")[-1]  # not in the summary
    assert re.search(r"pdf\s+│\s+1\s+│\s+1\s+│\s+0", result.output), result.output  # one PDF read, ok

