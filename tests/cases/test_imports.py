"""The exchange format and the command-line contracts, exactly as documented."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.cases.models import CaseReviewApplication, Complaint
from tests.cases import factories as f

pytestmark = pytest.mark.django_db

COMPLAINTS = """complaint_ref,victim_ref,behaviour_date,reported_date,agency_code,location_ref
C1,V1,2024-05-01,2024-05-01,derby-city-council,L1
C2,V1,2024-05-01,2024-05-03,derbyshire-constabulary,L1
C3,V1,2024-05-10,2024-05-10,derbyshire-constabulary,L1
C4,V1,2024-05-20,2024-05-21,derby-city-council,L2
C5,V2,2024-01-31,2024-03-01,derby-city-council,L9
C6,V2,2024-02-29,2024-03-29,derby-city-council,L9
"""
APPLICATIONS = """application_ref,victim_ref,received_date,applicant_type,consent
A1,V1,2024-06-01,victim,
A2,V2,2024-04-02,third_party,yes
"""
REVIEWS = """application_ref,review_date,recommendations
A1,2024-06-20,2
"""


def _set(
    folder: Path,
    complaints: str = COMPLAINTS,
    applications: str = APPLICATIONS,
    reviews: str = REVIEWS,
) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "complaints.csv").write_text(complaints)
    (folder / "applications.csv").write_text(applications)
    (folder / "reviews.csv").write_text(reviews)
    return folder


@pytest.fixture(autouse=True)
def _agencies() -> None:
    f.agency()
    f.police()


def run(*args: str) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out)
    return out.getvalue()


def test_import_a_folder_then_the_figures_and_the_check_exactly(tmp_path: Path) -> None:
    run("import", str(_set(tmp_path / "set")))
    assert Complaint.objects.count() == 6 and CaseReviewApplication.objects.count() == 2
    assert run("case-review-figures", "--year", "2024/25", "--format", "csv") == (
        "measure,value\n"
        "applications_received,2\n"
        "threshold_not_met,1\n"
        "reviews_carried_out,1\n"
        "reviews_with_recommendations,1\n"
    )
    # V1: C1 and C2 are one (same victim, date, place, two agencies); C3; C4 another place = 3.
    # V2: C5 reported late (31 Jan + 1 month = 29 Feb 2024), C6 on the leap day's month = 1.
    assert run("case-review-check", "--format", "csv") == (
        "application_ref,qualifying_complaints,threshold_met\nA1,3,yes\nA2,1,no\n"
    )
    assert run("case-review-check", "--threshold", "1", "--format", "csv").endswith("A2,1,yes\n")
    assert "threshold_not_met,0" in run(
        "case-review-figures", "--year", "2024/25", "--threshold", "1"
    )


def test_import_is_idempotent_and_reads_a_zip(tmp_path: Path) -> None:
    folder = _set(tmp_path / "set")
    archive = tmp_path / "set.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in ["complaints.csv", "applications.csv", "reviews.csv"]:
            z.write(folder / name, f"export/{name}")
    run("import", str(archive))
    out = run("import", str(archive))
    assert "Created {'complaint': 0, 'casereviewapplication': 0}" in out
    assert Complaint.objects.count() == 6


def test_a_threshold_above_3_is_refused() -> None:
    with pytest.raises(CommandError, match="above 3"):
        run("case-review-check", "--threshold", "4", "--format", "csv")
    with pytest.raises(CommandError, match="above 3"):
        run("case-review-figures", "--year", "2024/25", "--threshold", "4")


BAD = [
    (
        "C1,V1,2024-02-30,2024-03-01,derby-city-council,L1",
        "complaints.csv, row 2, column behaviour_date: “2024-02-30” is not a date",
    ),
    (
        "C1,V1,2024-03-02,2024-03-01,derby-city-council,L1",
        "complaints.csv, row 2, column behaviour_date: the behaviour is dated after",
    ),
    (
        "C1,V1,2024-03-01,2024-03-01,no-such-agency,L1",
        "complaints.csv, row 2, column agency_code: “no-such-agency” is not a SaferHub agency code",
    ),
]


@pytest.mark.parametrize(("row", "message"), BAD)
def test_bad_complaint_rows_are_reported_and_nothing_is_saved(
    tmp_path: Path, row: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    header = COMPLAINTS.splitlines()[0]
    folder = _set(
        tmp_path / "set",
        complaints=f"{header}\n{row}\n",
        applications=APPLICATIONS.splitlines()[0] + "\n",
        reviews=REVIEWS.splitlines()[0] + "\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("cases", "import", str(folder), stderr=err)
    assert message in err.getvalue()
    assert Complaint.objects.count() == 0


def test_bad_applications_and_reviews_are_reported_on_their_rows_and_nothing_is_saved(
    tmp_path: Path,
) -> None:
    applications = (
        "application_ref,victim_ref,received_date,applicant_type,consent\n"
        "A1,NOBODY,2024-06-01,victim,\n"
        "A2,V1,2024-06-01,third_party,no\n"
        "A3,V1,2024-06-01,neighbour,\n"
    )
    reviews = "application_ref,review_date,recommendations\nA9,2024-06-20,2\nA2,2024-06-20,-1\n"
    folder = _set(tmp_path / "set", applications=applications, reviews=reviews)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("cases", "import", str(folder), stderr=err)
    text = err.getvalue()
    assert "applications.csv, row 2, column victim_ref: there are no complaints" in text
    assert "applications.csv, row 3, column consent: a third party can apply only" in text
    assert "applications.csv, row 4, column applicant_type" in text
    assert "reviews.csv, row 2, column application_ref: there is no application “A9”" in text
    assert "reviews.csv, row 3, column recommendations" in text
    assert Complaint.objects.count() == 0  # the good complaints were not saved either


def test_wrong_columns_are_refused_naming_them(tmp_path: Path) -> None:
    folder = _set(tmp_path / "set", complaints="complaint_ref,victim\nC1,V1\n")
    with pytest.raises(CommandError, match="missing columns victim_ref, behaviour_date"):
        run("import", str(folder))


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="No exchange file"):
        run("import", str(tmp_path / "empty"))


@pytest.mark.parametrize(
    ("complaints", "expected"),
    [
        (COMPLAINTS.replace("C2,V1", 'C2,"V1', 1), "complaints.csv, row 3, column B: a quoted"),
        (COMPLAINTS.replace("location_ref", "Victim_Ref"), "“Victim_Ref” appears twice"),
        (COMPLAINTS.replace("C3,V1", "C3,V\x001"), "complaints.csv, row 4, column B: the cell"),
    ],
)
def test_a_broken_exchange_file_is_refused_by_the_shared_reader(
    tmp_path: Path, complaints: str, expected: str
) -> None:
    folder = _set(tmp_path / "set", complaints=complaints)
    with pytest.raises(CommandError) as info:
        run("import", str(folder))
    assert expected in str(info.value)
    assert Complaint.objects.count() == 0


def test_an_exchange_file_in_windows_1252_is_refused(tmp_path: Path) -> None:
    folder = _set(tmp_path / "set")
    (folder / "complaints.csv").write_bytes(COMPLAINTS.replace("L9", "Café").encode("cp1252"))
    with pytest.raises(CommandError, match=r"complaints.csv, row 6: byte [\d,]+ of the file"):
        run("import", str(folder))
    assert Complaint.objects.count() == 0
