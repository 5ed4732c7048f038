"""The governance API: the same selectors, services and permissions as the pages.

Everyone with the budget's read permission (the Board) reads; the partnership manager and
the finance officer enter spend and keep the risks (``manage_budget``, ``manage_risks``).
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.models import User
from saferhub.governance import end_of_year as eoy
from saferhub.governance import project_selectors as psel
from saferhub.governance import risk_selectors as rsel
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.models import ExpenditureLine, FinancialYear, Risk


def _actor(request: Request) -> User:
    """The signed-in user (every endpoint here requires a permission, so never anonymous)."""
    return cast(User, request.user)


class YearSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancialYear
        fields = ["id", "label", "starts_on", "ends_on", "status", "summary_published_at"]


class LineSerializer(serializers.ModelSerializer):
    priority = serializers.CharField(source="priority.title", allow_null=True, default=None)
    actual_to_date = serializers.DecimalField(max_digits=14, decimal_places=2)
    variance = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)

    class Meta:
        model = ExpenditureLine
        fields = [
            "id",
            "title",
            "kind",
            "priority",
            "provider",
            "budget",
            "profile_q1",
            "profile_q2",
            "profile_q3",
            "profile_q4",
            "actual_q1",
            "actual_q2",
            "actual_q3",
            "actual_q4",
            "actual_to_date",
            "forecast_outturn",
            "variance",
            "variance_reason",
        ]


class RiskSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    score_before = serializers.IntegerField()
    score_after = serializers.IntegerField()
    band_before = serializers.CharField()
    band_after = serializers.CharField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "cause",
            "consequence",
            "owner",
            "existing_controls",
            "likelihood_before",
            "impact_before",
            "likelihood_after",
            "impact_after",
            "score_before",
            "score_after",
            "band_before",
            "band_after",
            "review_on",
            "status",
        ]


class TableSerializer(serializers.Serializer):
    """A table as the workbook holds it: its name, column headings and rows of values."""

    name = serializers.CharField(required=False)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class YearListApi(APIView):
    """Financial years with their income, expenditure and forecast totals."""

    required_permission = sel.VIEW

    @extend_schema(responses=YearSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(YearSerializer(sel.years(), many=True).data)


class YearDetailApi(APIView):
    """One financial year: its totals and its expenditure lines."""

    required_permission = sel.VIEW

    class OutputSerializer(serializers.Serializer):
        year = YearSerializer()
        income_total = serializers.DecimalField(max_digits=14, decimal_places=2)
        expenditure_total = serializers.DecimalField(max_digits=14, decimal_places=2)
        actual_total = serializers.DecimalField(max_digits=14, decimal_places=2)
        forecast_total = serializers.DecimalField(max_digits=14, decimal_places=2)
        lines = LineSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        year = sel.year_get_for_user(user=request.user, id=pk)
        summary = sel.budget_summary(year)
        return Response(
            self.OutputSerializer(
                {
                    "year": year,
                    "income_total": summary.income_total,
                    "expenditure_total": summary.expenditure_total,
                    "actual_total": summary.actual_total,
                    "forecast_total": summary.forecast_total,
                    "lines": sel.expenditure_lines(year),
                }
            ).data
        )


class QuarterSpendApi(APIView):
    """Enter a quarter's actual spend on a line, with the forecast outturn and any reason."""

    required_permission = sel.MANAGE

    class InputSerializer(serializers.Serializer):
        quarter = serializers.IntegerField()
        actual = serializers.DecimalField(max_digits=14, decimal_places=2)
        forecast_outturn = serializers.DecimalField(max_digits=14, decimal_places=2)
        variance_reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={200: LineSerializer})
    def post(self, request: Request, pk: int) -> Response:
        line = sel.expenditure_line_get_for_user(user=request.user, id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.quarter_spend_record(
            actor=_actor(request), line=line, **data.validated_data
        )
        return Response(LineSerializer(line).data)


class RiskListApi(APIView):
    """Open risks with their scores and bands."""

    required_permission = sel.VIEW

    @extend_schema(responses=RiskSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(RiskSerializer(rsel.open_risks(), many=True).data)


class RiskReviewApi(APIView):
    """Review a risk: its new scores (1–5 each) and next review date; the history is kept."""

    required_permission = rsel.MANAGE_RISKS

    class InputSerializer(serializers.Serializer):
        likelihood_before = serializers.IntegerField()
        impact_before = serializers.IntegerField()
        likelihood_after = serializers.IntegerField()
        impact_after = serializers.IntegerField()
        review_on = serializers.DateField()
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={200: RiskSerializer})
    def post(self, request: Request, pk: int) -> Response:
        risk = rsel.risk_get_for_user(user=request.user, id=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        risk = services.risk_rescore(actor=_actor(request), risk=risk, **data.validated_data)
        return Response(RiskSerializer(risk).data)


class ProjectListApi(APIView):
    """Funded projects, one row per output, with cost per output."""

    required_permission = sel.VIEW

    @extend_schema(responses=TableSerializer)
    def get(self, request: Request) -> Response:
        columns = psel.PROJECT_COLUMNS
        rows = psel.project_rows()
        return Response({"columns": columns, "rows": rows})


class EndOfYearApi(APIView):
    """The end-of-year report for a financial year: its tables, as in the workbook."""

    required_permission = sel.VIEW

    class OutputSerializer(serializers.Serializer):
        period = serializers.CharField()
        year = serializers.CharField()
        final = serializers.BooleanField(help_text="False while the outturn is estimated.")
        outturn_total = serializers.DecimalField(max_digits=14, decimal_places=2)
        cost_of_crime_total = serializers.FloatField(help_text="Costed counts only.")
        not_costed = serializers.ListField(child=serializers.CharField())
        notes = serializers.ListField(child=serializers.CharField())
        tables = TableSerializer(many=True)

    @extend_schema(
        parameters=[OpenApiParameter("year", str, description="The financial year, as 2024/25")],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        asked = request.query_params.get("year", "").strip()
        try:
            year = eoy.year_for_period(asked) if asked else sel.years().first()
        except eoy.ReportYearError as exc:
            return Response({"year": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        if year is None:
            return Response(
                {"year": ["There is no financial year yet."]}, status=status.HTTP_400_BAD_REQUEST
            )
        report = eoy.end_of_year_report(user=request.user, year=year)
        body: dict[str, Any] = {
            "period": report.period,
            "year": report.year.label,
            "final": report.final,
            "outturn_total": report.outturn_total,
            "cost_of_crime_total": round(report.cost.total, 2),
            "not_costed": report.cost.missing,
            "notes": report.notes,
            "tables": [
                {"name": name, "columns": columns, "rows": rows}
                for name, columns, rows in eoy.tables(report)
            ],
        }
        return Response(body)
