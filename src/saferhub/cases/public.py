"""The ASB Case Review on the public site: the section (how to apply, the point of contact,
the four figures each year) and the application form (no sign-in).

The form resists spam without a CAPTCHA: a honeypot field people never see, a minimum time
between showing the form and sending it, and a limit of applications per address per hour.
It creates the application through the same service as the staff page, as the public.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from saferhub.accounts.actors import SystemActor
from saferhub.cases.models import CaseReviewApplication
from saferhub.public.registry import PublicSection, PublicTable, public_section

SIGNER_SALT = "saferhub.cases.public-form"
HONEYPOT = "website"

APPLICANT_TYPES = [
    ("victim", _("I am the victim")),
    ("third_party", _("I am applying for the victim, with their consent")),
    ("business", _("I am applying for a business")),
    ("community_group", _("I am applying for a community group")),
]


def figure_years() -> list[str]:
    """The April-March years that have an application received or a review held."""
    received = CaseReviewApplication.objects.values_list("received_date", flat=True)
    reviewed = CaseReviewApplication.objects.filter(review_date__isnull=False).values_list(
        "review_date", flat=True
    )
    days = {*received.order_by().distinct(), *reviewed.order_by().distinct()}
    starts = {d.year if d.month >= 4 else d.year - 1 for d in days if d is not None}
    return [f"{y}/{(y + 1) % 100:02d}" for y in sorted(starts, reverse=True)]


def _figures_rows() -> list[list[Any]]:
    from saferhub.cases.services.case_review import case_review_figures

    rows = []
    for year in figure_years():
        f = case_review_figures(year=year)
        rows.append(
            [
                year,
                f["applications_received"],
                f["threshold_not_met"],
                f["reviews_carried_out"],
                f["reviews_with_recommendations"],
            ]
        )
    return rows


def _content() -> dict[str, Any]:
    return {
        "figures_rows": _figures_rows(),
        "contact": settings.SAFERHUB_CASE_REVIEW_CONTACT,
        "threshold": settings.SAFERHUB_CASE_REVIEW_THRESHOLD,
        "working_days": settings.SAFERHUB_CASE_REVIEW_DECISION_WORKING_DAYS,
    }


def _table() -> PublicTable:
    return PublicTable(
        [
            "year",
            "applications_received",
            "threshold_not_met",
            "reviews_carried_out",
            "reviews_with_recommendations",
        ],
        _figures_rows(),
        "ASB Case Review applications and reviews recorded by the partnership "
        "(ASB, Crime and Policing Act 2014 s.104). Years run April to March.",
    )


def register() -> None:
    public_section(
        PublicSection(
            "asb-case-review",
            _("ASB Case Review"),
            _(
                "If you have reported anti-social behaviour three times in six months "
                "and feel nothing has been done, you can ask for a case review."
            ),
            order=40,
            template="cases/public/case_review_section.html",
            content=_content,
            table=_table,
            depends_on=("cases.CaseReviewApplication",),
        )
    )


class PublicApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("Who is applying?"), choices=APPLICANT_TYPES, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("The victim agrees to me applying for them"), required=False
    )
    name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), required=False, max_length=200)
    phone = forms.CharField(label=_("Telephone number"), required=False, max_length=40)
    account = forms.CharField(
        label=_("What has happened?"),
        help_text=_(
            "Tell us what the anti-social behaviour is, roughly when it happened, and who "
            "you reported it to (for example the police, the council or your landlord)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
    # The honeypot: hidden from people (and from assistive technology); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    shown = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not (data.get("phone") or "").strip():
            self.add_error("email", _("Give an email address or a telephone number."))
        if data.get("applicant_type") == "third_party" and not data.get("consent"):
            self.add_error("consent", _("You can apply for someone else only if they agree."))
        return data


def _shown_token() -> str:
    return signing.dumps(time.time(), salt=SIGNER_SALT)


def _seconds_since_shown(token: str) -> float | None:
    try:
        shown = float(signing.loads(token, salt=SIGNER_SALT, max_age=24 * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - shown


def _rate_key(request: HttpRequest) -> str:
    from saferhub.accounts.middleware import client_ip

    address = client_ip(request) or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:32]
    return f"cases:public-form:{digest}"


def _over_the_limit(request: HttpRequest) -> bool:
    """Count this sending against the address's hour; True once past the limit."""
    key = _rate_key(request)
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > settings.SAFERHUB_CASE_REVIEW_FORM_PER_HOUR


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    from saferhub.public.views import _render as public_render

    return public_render(request, template, context, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The public application form; a reference is given on submission."""
    from saferhub.cases.services.case_review import case_review_application_create

    if request.method != "POST":
        form = PublicApplicationForm(initial={"shown": _shown_token()})
        return _render(request, "cases/public/apply.html", {"form": form})
    form = PublicApplicationForm(request.POST.copy())
    if _over_the_limit(request):
        return _render(request, "cases/public/apply_limit.html", {}, status=429)
    if request.POST.get(HONEYPOT):
        # A person never sees the field: answer as if received, keep nothing.
        return _render(request, "cases/public/apply_done.html", {"reference": None})
    if form.is_valid():
        elapsed = _seconds_since_shown(form.cleaned_data["shown"])
        if elapsed is None or elapsed < settings.SAFERHUB_CASE_REVIEW_FORM_MIN_SECONDS:
            form.add_error(
                None,
                _("Your application was sent very quickly. Check your answers and send it again."),
            )
        else:
            d = form.cleaned_data
            contact = ", ".join(x for x in (d["email"], d["phone"].strip()) if x)
            try:
                application = case_review_application_create(
                    actor=SystemActor.PUBLIC,
                    received_date=timezone.localdate(),
                    applicant_type=d["applicant_type"],
                    consent=True if d["consent"] else None,
                    source=CaseReviewApplication.Source.PUBLIC,
                    applicant_name=d["name"],
                    applicant_contact=contact,
                    account=d["account"],
                )
            except ValidationError as exc:
                from saferhub.core.views import form_errors_from

                form_errors_from(form, exc)
            else:
                return _render(
                    request,
                    "cases/public/apply_done.html",
                    {
                        "reference": application.application_ref,
                        "decision_due": application.decision_due,
                        "contact": settings.SAFERHUB_CASE_REVIEW_CONTACT,
                    },
                )
    form.data["shown"] = _shown_token()  # type: ignore[index]  # a fresh start time for the next sending
    return _render(request, "cases/public/apply.html", {"form": form}, status=400)
