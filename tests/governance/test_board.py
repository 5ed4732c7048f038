"""The Board: membership, a meeting whose agenda is built from the papers, minutes and
decisions (with their PDF), the pack from the meeting; the consultation log; surveys."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import AuditEvent
from saferhub.governance.models import BoardMember, ConsultationEvent, SurveyWave
from saferhub.governance.services import board as board_services
from saferhub.governance.services import quarter_spend_record
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_membership_and_sub_groups() -> None:
    board = f.board("Safer City Board")
    with pytest.raises(ValidationError) as err:
        board_services.board_group_create(
            actor=SystemActor.TEST, name="Finance sub-group", kind="sub_group"
        )
    assert "reports to the Board" in err.value.message_dict["parent"][0]
    finance = board_services.board_group_create(
        actor=SystemActor.TEST, name="Finance sub-group", kind="sub_group", parent=board
    )
    with pytest.raises(ValidationError) as err:
        board_services.board_group_create(
            actor=SystemActor.TEST, name="Nested", kind="sub_group", parent=finance
        )
    assert "not to a sub-group" in err.value.message_dict["parent"][0]
    chair = board_services.board_member_add(
        actor=SystemActor.TEST,
        group=board,
        name="Chair of the partnership",
        organisation="City Council",
        role="chair",
        joined_on=dt.date(2024, 4, 1),
    )
    with pytest.raises(ValidationError) as err:
        board_services.board_member_leave(
            actor=SystemActor.TEST, member=chair, left_on=dt.date(2024, 1, 1)
        )
    assert "on or after the day they joined" in err.value.message_dict["left_on"][0]
    board_services.board_member_leave(
        actor=SystemActor.TEST, member=chair, left_on=dt.date(2025, 3, 31)
    )
    assert BoardMember.objects.get(pk=chair.pk).left_on == dt.date(2025, 3, 31)
    assert AuditEvent.objects.filter(action="board.member_edit").count() == 1


def test_a_meeting_from_agenda_to_minutes_pdf_and_pack(client_as: Any) -> None:
    year = f.derby_2005_06()
    line = year.expenditure_lines.get(title="Neighbourhood projects")
    quarter_spend_record(
        actor=SystemActor.TEST,
        line=line,
        quarter=1,
        actual=Decimal("100000"),
        forecast_outturn=Decimal("550000"),
        variance_reason="Two projects started late",
    )
    f.risk(title="Grant ends in March", likelihood_after=5, impact_after=4)
    board = f.board("Safer City Board")
    manager = client_as("manager")
    response = manager.post(
        reverse("governance:board_meeting_create", kwargs={"pk": board.pk}),
        {"held_on": "2026-01-20", "quarter": "2025-Q4"},
    )
    assert response.status_code == 302, response.content.decode()
    meeting = board.meetings.get()
    titles = [item["title"] for item in meeting.agenda]
    assert titles[1] == "Performance scorecard, 2025-Q4"
    assert titles[3] == "Risk ratings" and titles[4] == "Budget variance, 2005–06"
    risk_lines = " ".join(meeting.agenda[3]["lines"])
    assert "1 open risks, 1 high or very high after controls." in risk_lines
    assert "Grant ends in March" in risk_lines and "Very high" in risk_lines
    assert (
        "Neighbourhood projects: forecast £50,000.00 under budget – Two projects started late"
        in (meeting.agenda[4]["lines"])
    )
    # A quarter that cannot be read is a message on the field, nothing saved.
    bad = manager.post(
        reverse("governance:board_meeting_create", kwargs={"pk": board.pk}),
        {"held_on": "2026-02-20", "quarter": "2025-Q9"},
    )
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    assert board.meetings.count() == 1

    url = reverse("governance:board_minutes", kwargs={"pk": meeting.pk})
    assert (
        manager.post(url, {"present": "Chair\nPolice", "minutes": "Budget noted."}).status_code
        == 302
    )
    decision_url = reverse("governance:board_decision_add", kwargs={"pk": meeting.pk})
    late = manager.post(decision_url, {"text": "Fund the kits", "due_on": "2025-01-01"})
    assert late.status_code == 400
    assert "due on or after the meeting" in late.content.decode()
    manager.post(decision_url, {"text": "Fund the kits", "owner": "Finance officer"})

    viewer = client_as("viewer")
    assert viewer.post(url, {"minutes": "Changed"}).status_code == 403
    page = viewer.get(reverse("governance:board_meeting", kwargs={"pk": meeting.pk}))
    html = page.content.decode()
    assert "quarter=2025-Q4&amp;format=pdf" in html  # the Board pack in one click
    pdf = viewer.get(
        reverse("governance:board_meeting", kwargs={"pk": meeting.pk}), {"format": "pdf"}
    )
    text = _text(pdf.content)
    assert "Safer City Board: meeting of 20 January 2026" in text
    assert "Budget noted." in text and "Fund the kits Finance officer" in text
    pack = viewer.get(reverse("governance:board_pack"), {"quarter": "2025-Q4", "format": "pdf"})
    assert "Board pack: 2025-Q4" in _text(pack.content)


def test_the_consultation_log_refuses_bad_input_and_exports(client_as: Any) -> None:
    wave = SurveyWave.objects.create(
        survey="Residents' survey", wave_date=dt.date(2005, 10, 1), sample_size=1085
    )
    with pytest.raises(ValidationError) as err:
        f.consultation(groups_consulted="  \n ")
    assert "at least one group" in err.value.message_dict["groups_consulted"][0]
    with pytest.raises(ValidationError) as err:
        f.consultation(survey_wave=wave, participants=2000)
    assert (
        "2,000 is more than the survey's sample of 1,085"
        in (err.value.message_dict["participants"][0])
    )
    assert not ConsultationEvent.objects.exists()
    event = f.consultation()
    manager = client_as("manager")
    response = manager.post(
        reverse("governance:consultation_edit", kwargs={"pk": event.pk}),
        {
            "title": event.title,
            "held_on": "2002-03-01",
            "method": "interviews",
            "groups_consulted": "Residents of Newhall\nYoung people",
            "participants": "153",
            "feedback": event.feedback,
            "changes": "The Newhall and Midway Local Crime Reduction Group was set up.",
        },
    )
    assert response.status_code == 302
    csv = manager.get(reverse("governance:consultations"), {"format": "csv"}).content.decode()
    assert "Residents of Newhall; Young people" in csv
    assert "Local Crime Reduction Group was set up" in csv
    assert AuditEvent.objects.filter(action="consultation.edit").count() == 1


def test_survey_import_page_names_the_bad_row_and_saves_nothing(client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    finance = client_as("finance")
    url = reverse("governance:survey_import")
    form = {
        "survey": "Residents' survey",
        "wave_date": "2005-10-01",
        "sample_size": "1085",
    }
    bad = SimpleUploadedFile(
        "wave.csv",
        b"Question,Answer,Count\nA very good place to live?,Yes,1200\n",
        content_type="text/csv",
    )
    response = finance.post(url, form | {"file": bad})
    assert response.status_code == 400
    assert "1,200 is more than the 1,085 who answered the question" in response.content.decode()
    assert not SurveyWave.objects.exists()
    good = SimpleUploadedFile(
        "wave.csv",
        b"Question,Answer,Count\nA very good place to live?,Yes,814\nA very good place to live?,No,271\n",
        content_type="text/csv",
    )
    assert finance.post(url, form | {"file": good}).status_code == 302
    page = client_as("viewer").get(reverse("governance:surveys")).content.decode()
    assert "Residents&#x27; survey" in page and "1085" in page
