"""House rules that can be checked in the templates themselves."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "saferhub"
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))


def test_templates_were_found() -> None:
    assert any(t.name == "base.html" for t in TEMPLATES)


def test_every_page_with_form_fields_has_the_error_summary() -> None:
    missing = [
        str(t.relative_to(SRC))
        for t in TEMPLATES
        if "{% extends" in (text := t.read_text())
        and "includes/field.html" in text
        and "includes/error_summary.html" not in text
    ]
    assert not missing, f"Pages with form fields but no error summary: {missing}"


# Documents rendered to PDF or written as a self-contained file are never served under
# the Content Security Policy, so they carry their own print styles.
DOCUMENT_TEMPLATES = {
    "assessment/report_file.html",
    "performance/board_report_pdf.html",
    "governance/board_pack_pdf.html",
    "problems/minutes_pdf.html",
    "public/plan_large_print.html",  # rendered only into the large-print PDF
    "cases/case_review_letter.html",  # the outcome letter, rendered into its PDF
    "governance/board_minutes_pdf.html",
    "governance/end_of_year_pdf.html",
}


def test_no_inline_scripts_styles_or_handlers() -> None:
    """The Content Security Policy blocks them, so they would silently not work."""
    problems = []
    for t in TEMPLATES:
        text = t.read_text()
        if any(str(t).endswith(name) for name in DOCUMENT_TEMPLATES):
            if re.search(r"<script\b", text):
                problems.append(f"{t.relative_to(SRC)}: a document with a script")
            continue
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                problems.append(f"{t.relative_to(SRC)}: inline {tag}")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=\"", text):
            problems.append(f"{t.relative_to(SRC)}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            problems.append(f"{t.relative_to(SRC)}: inline event handler")
    assert not problems, "\n".join(problems)


def test_every_table_has_a_caption_and_header_scopes() -> None:
    problems = []
    for t in TEMPLATES:
        text = t.read_text()
        for table in re.findall(r"<table\b.*?</table>", text, flags=re.S):
            if "<caption" not in table:
                problems.append(f"{t.relative_to(SRC)}: a table without a caption")
            for th in re.findall(r"<th\b[^>]*>", table):
                if "scope=" not in th:
                    problems.append(f"{t.relative_to(SRC)}: {th} without scope")
    assert not problems, "\n".join(problems)
