"""The Board report PDF, rendered once per version of its content (decision record 0013).

Rendering the PDF (WeasyPrint) takes seconds; the report's content (the judgements and
charts) is quick. So the content is built for each request, as before, and its HTML
with the production time left out is hashed: that digest is the version of every
input the report shows (indicators, measurements, targets, incident counts, the
reader's scope). The PDF of a version is rendered once, under an exclusive file lock
so that parallel first requests (any process on the machine) wait for the one render
instead of each rendering, and kept as a file; later requests read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from saferhub.performance.reports import BoardReport, board_report_pdf

TEMPLATE = "performance/board_report_pdf.html"
KEEP = 200  # cached PDFs kept (the oldest are removed beyond this)
_FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "board-reports"


def report_version(report: BoardReport) -> str:
    """SHA-256 of the PDF's HTML with the production time fixed: changes exactly when
    anything the report shows changes."""
    html = render_to_string(
        TEMPLATE, {"report": dataclasses.replace(report, generated_at=_FIXED_TIME)}
    )
    return hashlib.sha256(html.encode()).hexdigest()


def board_report_pdf_cached(report: BoardReport) -> tuple[bytes, bool]:
    """The PDF for this report's version and whether it came from the cache."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report_version(report)}.pdf"
    if path.exists():
        return path.read_bytes(), True
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel first requests wait for one render
        try:
            if path.exists():
                return path.read_bytes(), True
            pdf = board_report_pdf(report)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(pdf)
            partial.replace(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    path.with_suffix(".lock").unlink(missing_ok=True)
    _prune(folder)
    return pdf, False


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
