"""Import of an action plan modelled on North East Derbyshire's action plan tables
(Target / Outcome/Goal / Lead partner(s) / Success indicator), from XLSX and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from saferhub.accounts.models import Agency, AuditEvent
from saferhub.actions.imports import ImportRefused, action_plan_import
from saferhub.actions.models import Action, ActionPlan, PartnerContribution
from saferhub.actions.selectors import contribution_matrix, key_players
from tests.actions import factories as f

SAC = "Reducing Serious Acquisitive Crime"
SAC_TARGET = "To reduce Serious Acquisitive Crime"
SAC_INDICATOR = (
    "Reduce the number of serious acquisitive crimes from 813 in 2008/2009 "
    "to at least 796 by 2010/2011"
)
DA = "Reducing Violent Crime"
ASB = "Taking Action Against ASB"
ASB_INDICATOR = (
    "Reduce the proportion of residents who agree that anti-social behaviour is big or "
    "fairly big problem from 15% in 2009 to 13% in 2011"
)
FEAR = "Reducing Fear of crime/public reassurance"

HEADER = [
    "Priority",
    "Target",
    "Term",
    "Outcome/Goal",
    "Lead Partner(s)",
    "Success Indicator",
    "Due date",
    "Quantity target",
]
# Rows taken from the plan's text (North East Derbyshire CSP Plan 2008-11, 2010 update).
ROWS: list[list[Any]] = [
    [
        SAC,
        SAC_TARGET,
        "Short Term (year 1)",
        "Analysis of problematic areas – profile the area to ensure best value intervention to be completed by June 2010",
        "NED Community Safety Partnership/Police",
        SAC_INDICATOR,
        "",
        "",
    ],
    [
        SAC,
        SAC_TARGET,
        "Short",
        "At least 2500 homes issued by 2010 with Burglary kits. As part of the Police's Burglary Action Plan.",
        "NED Community Safety Partnership/Police",
        SAC_INDICATOR,
        "31/12/2010",
        "2,500 homes",
    ],
    [
        SAC,
        SAC_TARGET,
        "Short",
        "Planned Community Clean-up's, in consultation with local community and Safer Neighbourhood Teams, at least 2 to take place in 2010",
        "NED Community Safety Partnership/Rykneild/Police",
        SAC_INDICATOR,
        "",
        "2 clean-ups",
    ],
    [
        SAC,
        SAC_TARGET,
        "Medium",
        "2 new and active neighbourhood watch schemes to have been established by 2010.",
        "NED Community Safety Partnership/Police/NHW",
        SAC_INDICATOR,
        "2010-12-31",
        "",
    ],
    [
        SAC,
        SAC_TARGET,
        "Long",
        "Further development of the ANPR system.",
        "Police",
        SAC_INDICATOR,
        "",
        "",
    ],
    [
        DA,
        "To reduce Domestic Abuse",
        "Short",
        "Review and enhance Sanctuary Scheme by June 2010",
        "NED Community Safety Partnership/NDWA/Police",
        "",
        "",
        "",
    ],
    [
        DA,
        "To reduce Domestic Abuse",
        "Short",
        "To have assisted NDWA with the organisation and running of an appropriate conference focussed upon hard to reach groups – Conference for 80 people",
        "NED Community Safety Partnership/NDWA/Police",
        "",
        "",
        "80 people",
    ],
    [
        DA,
        "To reduce Domestic Abuse",
        "Medium",
        "Improve and promote the use of CareCall telephone monitoring",
        "NEDDC",
        "",
        "",
        "",
    ],
    [
        ASB,
        ASB,
        "Short",
        "Analysis of troublesome areas of District – Mapping exercise to determine ASB hotspots by Spring 2010.",
        "NED Community Safety Partnership",
        ASB_INDICATOR,
        "",
        "",
    ],
    [
        ASB,
        ASB,
        "Short",
        "To have used Family Intervention Workers to facilitate change within 5 problematic families by 2011",
        "NED Community Safety Partnership/Police/NEDDC/DCC",
        ASB_INDICATOR,
        "2011-03-31",
        "5 families",
    ],
    [
        ASB,
        ASB,
        "Short",
        "Develop joint protocols in terms with all major Housing Associations in NED by December 2010",
        "NED Community Safety Partnership/NEDDC",
        ASB_INDICATOR,
        "Christmas",
        "",
    ],
    [
        FEAR,
        "To reduce the fear of crime/public reassurance",
        "Short",
        "Participate in Safety Crew 2010, with at 1500 children taking part",
        "NED Community Safety Partnership",
        "",
        "",
        "1,500 children",
    ],
    [
        FEAR,
        "To reduce the fear of crime/public reassurance",
        "Medium",
        "Utilise all resources to ensure effective working and interface with the community",
        "All Partners",
        "",
        "",
        "",
    ],
]
# Appendix 1, "An Illustrative Table of Partner Contributions" (abridged).
CONTRIBUTIONS = [
    ["Partner", "Priority", "Contribution"],
    [
        "Police",
        SAC,
        "Tackling priority offenders. Increase the number of Neighbourhood Watch Schemes.",
    ],
    [
        "Rykneld Homes",
        SAC,
        "Installation of high security measures (doors, windows, lighting) in hot spots.",
    ],
    ["Probation Service", SAC, "Working with PPOs focusing on acquisitive crime."],
    ["DFRS", SAC, "Co-ordinated approach to Clean-ups and Cracking Crime events."],
    ["NDWA", DA, "Independent Domestic Violence Advocate (IDVA) employed by NDWA."],
    ["Police", DA, "Contribute to the PubWatch System and further expand it."],
    ["Women's Refuge", DA, "Not a partner of this plan."],
]
GOOD_ROWS = 10  # rows 4, 5 and 12 of the sheet cannot be read


def ned_xlsx(with_contributions: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Priority actions"
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    if with_contributions:
        sheet = wb.create_sheet("Contributions")
        for row in CONTRIBUTIONS:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ned_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def plan(db: Any) -> ActionPlan:
    return f.plan("NED action plan 2010/11", dt.date(2010, 4, 1), dt.date(2011, 3, 31))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_ned_action_plan_imports(kind: str, plan: ActionPlan, ned_partners: Any) -> None:
    content = ned_xlsx() if kind == "xlsx" else ned_csv()
    report = action_plan_import(
        actor="test", plan=plan, filename=f"ned-action-plan.{kind}", content=content
    )
    assert report.rows_read == len(ROWS)
    assert len(report.created) == GOOD_ROWS
    # The rows that could not be read: row number (header is row 1), column, why.
    problems = [(e.row, e.column, e.message) for e in report.errors if e.column != "Partner"]
    assert problems == [
        (4, "Lead Partner(s)", "“Rykneild” is not a partner agency of the partnership"),
        (5, "Lead Partner(s)", "“NHW” is not a partner agency of the partnership"),
        (
            12,
            "Due date",
            "“Christmas” is not a date: write it as 2010-06-30, 30/06/2010 or June 2010",
        ),
    ]
    assert str(report.errors[0]) == (
        "Row 4, column “Lead Partner(s)”: “Rykneild” is not a partner agency of the partnership"
    )

    actions = {a.description[:30]: a for a in plan.actions.all()}
    kits = actions["At least 2500 homes issued by "]
    assert kits.target_quantity == Decimal(2500) and kits.target_unit == "homes"
    assert kits.due_date == dt.date(2010, 12, 31)
    assert kits.priority == SAC and kits.objective == SAC_TARGET
    assert kits.success_indicator == SAC_INDICATOR
    assert {a.code for a in kits.lead_partners.all()} == {"ned-csp", "police"}
    assert kits.term == Action.Term.SHORT and kits.status == Action.Status.NOT_STARTED
    # "by June 2010" in the text gives the due date when the Due date cell is blank.
    analysis = actions["Analysis of problematic areas "]
    assert analysis.due_date == dt.date(2010, 6, 30)
    assert analysis.term == Action.Term.SHORT  # "Short Term (year 1)"
    sanctuary = actions["Review and enhance Sanctuary S"]
    assert sanctuary.due_date == dt.date(2010, 6, 30)
    assert actions["Further development of the ANP"].term == Action.Term.LONG
    # "All Partners" means every partner agency.
    everyone = actions["Utilise all resources to ensur"]
    assert everyone.lead_partners.count() == Agency.objects.count() == len(ned_partners)
    # References are given to rows that have none, in order.
    assert sorted(report.created) == [f"A{n:03d}" for n in range(1, GOOD_ROWS + 1)]

    if kind == "xlsx":
        assert report.contributions == 6
        assert report.errors[-1].column == "Partner"
        assert "Women's Refuge" in report.errors[-1].message
        matrix = contribution_matrix(plan)
        assert SAC in matrix.priorities and DA in matrix.priorities
        police = ned_partners["police"]
        assert matrix.cell(police, DA).startswith("Contribute to the PubWatch")
        players = key_players(plan)
        assert players.cell(police, SAC) == "leads, contributes"
        assert players.cell(ned_partners["ndwa"], DA) == "leads, contributes"
        assert players.cell(ned_partners["dfrs"], SAC) == "contributes"


def test_importing_the_same_file_twice_changes_nothing(plan: ActionPlan, ned_partners: Any) -> None:
    action_plan_import(actor="test", plan=plan, filename="ned.xlsx", content=ned_xlsx())
    events = AuditEvent.objects.count()
    modified = sorted(plan.actions.values_list("modified_at", flat=True))
    again = action_plan_import(actor="test", plan=plan, filename="ned.xlsx", content=ned_xlsx())
    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == GOOD_ROWS
    assert plan.actions.count() == GOOD_ROWS
    assert PartnerContribution.objects.filter(plan=plan).count() == 6
    assert sorted(plan.actions.values_list("modified_at", flat=True)) == modified
    assert AuditEvent.objects.count() == events + 1  # only the import itself is recorded


def test_a_corrected_row_imports_and_a_changed_row_updates(
    plan: ActionPlan, ned_partners: Any
) -> None:
    action_plan_import(actor="test", plan=plan, filename="ned.csv", content=ned_csv())
    ROWS_FIXED = [list(r) for r in ROWS]
    ROWS_FIXED[2][4] = "NED Community Safety Partnership/Rykneld Homes/Police"
    ROWS_FIXED[1][7] = "3,000 homes"
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *ROWS_FIXED])
    report = action_plan_import(
        actor="test", plan=plan, filename="ned.csv", content=out.getvalue().encode()
    )
    assert len(report.created) == 1 and len(report.updated) == 1
    kits = plan.actions.get(description__startswith="At least 2500 homes")
    assert kits.target_quantity == Decimal(3000)
    event = AuditEvent.objects.filter(action="actions.action_edit").latest("sequence")
    assert event.old_values == {"target_quantity": "2500.00"}
    assert event.new_values == {"target_quantity": "3000.00"}


def test_dry_run_saves_nothing(plan: ActionPlan, ned_partners: Any) -> None:
    report = action_plan_import(
        actor="test", plan=plan, filename="ned.xlsx", content=ned_xlsx(), dry_run=True
    )
    assert len(report.created) == GOOD_ROWS and len(report.errors) == 4
    assert plan.actions.count() == 0


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "plan.csv",
            b"Name,Date\nSomething,2010-01-01\n",
            "has no Lead partner(s) and no Action or Outcome/Goal column. Columns found: Name, Date",
        ),
        (
            "plan.csv",
            b"Lead partner,Date\nPolice,2010-01-01\n",
            "has no Action or Outcome/Goal column",
        ),
        ("plan.xlsx", b"this is not a workbook", "could not be opened as an Excel (XLSX) workbook"),
        ("plan.pdf", b"%PDF", "choose a CSV or XLSX file"),
        ("plan.csv", b"", "has no rows to import"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(
    filename: str, content: bytes, message: str, plan: ActionPlan
) -> None:
    with pytest.raises(ImportRefused, match=None) as info:
        action_plan_import(actor="test", plan=plan, filename=filename, content=content)
    assert message in str(info.value)
    assert plan.actions.count() == 0


def test_export_imports_back_unchanged(plan: ActionPlan, ned_partners: Any, client_as: Any) -> None:
    action_plan_import(actor="test", plan=plan, filename="ned.xlsx", content=ned_xlsx())
    client = client_as("manager")
    xlsx = client.get(f"/actions/?plan={plan.pk}&format=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.max_row == GOOD_ROWS + 1
    csv_text = client.get(f"/actions/?plan={plan.pk}&format=csv").content.decode()
    assert csv_text.splitlines()[0].startswith("Reference,Priority,Target,Term,Outcome/Goal,Action")
    for filename, content in (("export.xlsx", xlsx), ("export.csv", csv_text.encode())):
        report = action_plan_import(actor="test", plan=plan, filename=filename, content=content)
        assert report.errors == [] and report.created == [] and report.updated == []
        assert len(report.unchanged) == GOOD_ROWS
    # Into a new plan the export makes the same actions.
    other = f.plan("Copy", dt.date(2011, 4, 1), dt.date(2012, 3, 31))
    report = action_plan_import(actor="test", plan=other, filename="export.xlsx", content=xlsx)
    assert sorted(report.created) == sorted(plan.actions.values_list("reference", flat=True))


def test_import_page_runs_a_job_and_reports_rows_not_read(
    plan: ActionPlan,
    ned_partners: Any,
    client_as: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferhub.core.models import Job

    client = client_as("manager")
    upload = SimpleUploadedFile("ned-action-plan.xlsx", ned_xlsx())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/actions/plans/{plan.pk}/import/", {"file": upload})
    job = Job.objects.get(kind="actions.import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED and job.total == len(ROWS)
    job_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/actions/imports/{job.pk}/" in job_page
    page = client.get(f"/actions/imports/{job.pk}/").content.decode()
    assert "13 rows read: 10 actions added, 0 changed, 0 unchanged, 6 partner contributions" in page
    assert "4 rows could not be read" in page
    assert "“Rykneild” is not a partner agency of the partnership" in page
    lines = client.get(f"/actions/imports/{job.pk}/?format=csv").content.decode().splitlines()
    assert lines[0] == "Row,Column,Problem" and lines[1].startswith("4,Lead Partner(s),")
    assert plan.actions.count() == GOOD_ROWS
    # Another manager cannot see this manager's import.
    other = client_as("administrator")
    assert other.get(f"/actions/imports/{job.pk}/").status_code == 404


def test_check_and_download_problems_imports_nothing(
    plan: ActionPlan, ned_partners: Any, client_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("manager")
    upload = SimpleUploadedFile("ned-action-plan.csv", ned_csv())
    response = client.post(f"/actions/plans/{plan.pk}/import/", {"file": upload, "format": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "Row,Column,Problem"
    assert lines[1].startswith("4,Lead Partner(s),")
    assert plan.actions.count() == 0
    # A refused file gives the error summary on the form, never an error page.
    bad = SimpleUploadedFile("notes.txt", b"hello")
    page = client.post(
        f"/actions/plans/{plan.pk}/import/", {"file": bad, "format": "csv"}
    ).content.decode()
    assert "There is a problem" in page and "choose a CSV or XLSX file" in page


def test_a_refused_file_in_a_job_is_reported_on_the_form(
    plan: ActionPlan, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferhub.core.models import Job

    client = client_as("manager")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/actions/plans/{plan.pk}/import/",
            {"file": SimpleUploadedFile("plan.csv", b"Name,Date\nx,y\n")},
        )
    job = Job.objects.get(kind="actions.import")
    page = client.get(f"/actions/imports/{job.pk}/").content.decode()
    assert "The file was not imported" in page and "Columns found: Name, Date" in page


def test_rows_link_to_the_priorities_objectives_and_indicators_of_performance(
    plan: ActionPlan, ned_partners: Any
) -> None:
    from saferhub.performance import services as performance
    from saferhub.performance.models import Indicator

    priority = performance.priority_create(actor="test", title=SAC)
    objective = performance.objective_create(actor="test", priority=priority, title=SAC_TARGET)
    ni16 = performance.indicator_create(
        actor="test",
        priority=priority,
        code="NI 16",
        title="Serious Acquisitive Crime Rate",
        kind=Indicator.Kind.PARTNER_REPORTED,
        unit="offences",
        direction=Indicator.Direction.LOWER,
        baseline_period="2008/09",
        baseline_value=Decimal("813"),
        target_kind=Indicator.TargetKind.ABSOLUTE,
        target_value=Decimal("796"),
        target_period="2010/11",
        lead_agency=ned_partners["police"],
    )
    rows = [
        [*HEADER, "Indicator"],
        [*ROWS[1], "NI 16"],
        [*ROWS[5], ""],
        [*ROWS[7], "NI 999"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = action_plan_import(
        actor="test", plan=plan, filename="ned.csv", content=out.getvalue().encode()
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "Indicator", "“NI 999” is not the code of an indicator in Performance")
    ]
    kits = plan.actions.get(description__startswith="At least 2500 homes")
    assert kits.performance_priority == priority
    assert kits.performance_objective == objective
    assert kits.indicator == ni16
    assert kits.success_indicator == SAC_INDICATOR  # the plan's own words are kept
    sanctuary = plan.actions.get(description__startswith="Review and enhance")
    assert sanctuary.performance_priority is None and sanctuary.priority == DA
    assert list(plan.priorities.all()) == [priority]
    # The links carry into next year's plan, and the plan keeps its priorities.
    from saferhub.actions.services import plan_carry_forward

    next_plan, carried = plan_carry_forward(
        actor="test",
        plan=plan,
        title="NED 2011/12",
        starts_on=dt.date(2011, 4, 1),
        ends_on=dt.date(2012, 3, 31),
    )
    copy = next_plan.actions.get(reference=kits.reference)
    assert copy.indicator == ni16 and copy.performance_objective == objective
    assert list(next_plan.priorities.all()) == [priority]
    # Exported with the indicator's code, it imports back unchanged.
    from saferhub.actions.selectors import EXPORT_COLUMNS, action_export_rows

    out = io.StringIO()
    csv.writer(out).writerows([EXPORT_COLUMNS, *action_export_rows(plan.actions.all())])
    again = action_plan_import(
        actor="test", plan=plan, filename="export.csv", content=out.getvalue().encode()
    )
    assert again.errors == [] and again.updated == [] and len(again.unchanged) == 2


def _ned_csv_lines() -> list[str]:
    return ned_csv().decode("utf-8").splitlines(keepends=True)


def _broken_plan(kind: str) -> tuple[bytes, str]:
    lines = _ned_csv_lines()
    if kind == "unbalanced quote, to the end":
        first, rest = lines[2].split(",", 1)
        lines[2] = f'{first},"{rest.replace(chr(34), "")}'
        lines[3:] = [line.replace('"', "") for line in lines[3:]]
        return "".join(lines).encode(), "plan.csv, row 3, column B: a quoted field begins there"
    if kind == "unbalanced quote, swallowing rows":
        first, rest = lines[2].split(",", 1)
        lines[2] = f'{first},"{rest.replace(chr(34), "")}'
        lines[4] = lines[4].rstrip("\r\n").replace('"', "") + '"\r\n'
        return "".join(lines).encode(), "plan.csv, row 3, column B: a quoted field begins there"
    if kind == "duplicated heading":
        header = next(csv.reader([lines[0]]))
        header[-1] = header[1].upper()
        out = io.StringIO()
        csv.writer(out).writerow(header)
        lines[0] = out.getvalue()
        return "".join(lines).encode(), f"appears twice (columns B and {chr(64 + len(header))})"
    if kind == "NUL byte":
        lines[3] = lines[3].replace(",", ",\x00", 1)
        return "".join(lines).encode(), "plan.csv, row 4, column B: the cell contains a NUL byte"
    assert kind == "Windows-1252"
    text = "".join(lines)
    row = next(n for n, line in enumerate(lines, start=1) if not line.isascii())
    return text.encode("cp1252"), f"plan.csv, row {row}: byte "


@pytest.mark.parametrize(
    "kind",
    [
        "unbalanced quote, to the end",
        "unbalanced quote, swallowing rows",
        "duplicated heading",
        "NUL byte",
        "Windows-1252",
    ],
)
def test_a_broken_plan_csv_is_refused_naming_the_row_and_column(
    kind: str, plan: ActionPlan, ned_partners: Any
) -> None:
    """The shared reader refuses, and nothing is imported: there is no silent fallback to
    Windows-1252 any more, and a runaway quote never swallows the rows after it."""
    content, expected = _broken_plan(kind)
    with pytest.raises(ImportRefused) as info:
        action_plan_import(actor="test", plan=plan, filename="plan.csv", content=content)
    assert expected in str(info.value)
    assert plan.actions.count() == 0


def test_a_duplicated_heading_in_the_plan_workbook_names_the_sheet(
    plan: ActionPlan, ned_partners: Any
) -> None:
    wb = load_workbook(io.BytesIO(ned_xlsx()))
    ws = wb["Priority actions"]
    ws.cell(row=1, column=ws.max_column + 1, value=HEADER[0].lower())
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportRefused) as info:
        action_plan_import(actor="test", plan=plan, filename="plan.xlsx", content=out.getvalue())
    assert "plan.xlsx (sheet “Priority actions”): the column heading" in str(info.value)
    assert "appears twice (columns A and" in str(info.value)
    assert plan.actions.count() == 0
