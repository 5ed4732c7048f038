"""The actions API: the same selectors, services and permissions as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts.models import Agency
from saferhub.actions import selectors as sel
from saferhub.actions import services
from saferhub.actions.models import Action, ActionEvaluation, ActionPlan
from saferhub.actions.services import UPDATE_STATUSES


class ActionOutputSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.title")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    lead_partners: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    supporting_partners: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    lead_officer = serializers.CharField(
        source="lead_officer.username", allow_null=True, default=None
    )
    progress_percent = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "team",
            "reference",
            "priority",
            "objective",
            "description",
            "outcome",
            "term",
            "lead_partners",
            "supporting_partners",
            "lead_officer",
            "due_date",
            "target_quantity",
            "target_unit",
            "progress_quantity",
            "progress_percent",
            "success_indicator",
            "status",
            "budget_line",
            "budget_amount",
            "completed_on",
        ]


class PlanListApi(APIView):
    """Action plans, newest first."""

    required_permission = sel.VIEW

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = ActionPlan
            fields = ["id", "title", "starts_on", "ends_on", "previous"]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        plans = ActionPlan.objects.live()
        return Response(self.OutputSerializer(plans, many=True).data)


class YearEndApi(APIView):
    """The year-end summary per action team (actions, completed, carried forward, %)."""

    required_permission = sel.VIEW

    class RowSerializer(serializers.Serializer):
        team = serializers.CharField()
        actions = serializers.IntegerField()
        completed = serializers.IntegerField()
        carried_forward = serializers.IntegerField()
        dropped = serializers.IntegerField()
        percent_completed = serializers.IntegerField(allow_null=True)

    class OutputSerializer(serializers.Serializer):
        plan = serializers.CharField()
        teams = serializers.ListField(child=serializers.DictField())
        total = serializers.DictField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        plan = sel.plan_get_for_user(user=request.user, id=pk)
        rows, total = sel.year_end_summary(plan)
        return Response(
            {
                "plan": plan.title,
                "teams": self.RowSerializer(rows, many=True).data,
                "total": self.RowSerializer(total).data,
            }
        )


class ActionListApi(APIView):
    """Actions, filtered by plan, priority, partner (code), status and due date."""

    required_permission = sel.VIEW

    class FilterSerializer(serializers.Serializer):
        plan = serializers.IntegerField(required=False)
        priority = serializers.CharField(required=False)
        partner = serializers.SlugRelatedField(
            slug_field="code", queryset=Agency.objects.all(), required=False
        )
        status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
        due_from = serializers.DateField(required=False)
        due_to = serializers.DateField(required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int),
            OpenApiParameter("priority", str),
            OpenApiParameter("partner", str, description="Agency code"),
            OpenApiParameter("status", str),
            OpenApiParameter("due_from", str),
            OpenApiParameter("due_to", str),
        ],
        responses=ActionOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(f.validated_data)
        if "plan" in data:
            data["plan"] = sel.plan_get_for_user(user=request.user, id=data["plan"])
        actions = sel.actions_for_user(user=request.user, filters=sel.ActionFilters(**data))
        return Response(ActionOutputSerializer(actions, many=True).data)


class ActionDetailApi(APIView):
    """One action."""

    required_permission = sel.VIEW

    @extend_schema(responses=ActionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        action = sel.action_get_for_user(user=request.user, id=pk)
        return Response(ActionOutputSerializer(action).data)


class ActionUpdateApi(APIView):
    """Record progress on an action you lead (or any action, for managers)."""

    required_permission = sel.UPDATE_OWN

    class InputSerializer(serializers.Serializer):
        made_on = serializers.DateField()
        progress = serializers.CharField()
        status = serializers.ChoiceField(choices=[(s.value, s.label) for s in UPDATE_STATUSES])
        progress_quantity = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
        )

    @extend_schema(request=InputSerializer, responses={201: ActionOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        action = _for_update(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_update_create(actor=request.user, action=action, **data.validated_data)
        action.refresh_from_db()
        return Response(ActionOutputSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionCompleteApi(APIView):
    """Complete an action you lead, with its evaluation."""

    required_permission = sel.UPDATE_OWN

    class InputSerializer(serializers.Serializer):
        completed_on = serializers.DateField()
        outcome_achieved = serializers.ChoiceField(choices=ActionEvaluation.Achieved.choices)
        evidence = serializers.CharField()
        strengths = serializers.CharField(required=False, allow_blank=True, default="")
        weaknesses = serializers.CharField(required=False, allow_blank=True, default="")
        good_practice = serializers.CharField(required=False, allow_blank=True, default="")
        progress_quantity = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
        )

    @extend_schema(request=InputSerializer, responses={201: ActionOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        action = _for_update(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_complete(actor=request.user, action=action, **data.validated_data)
        action.refresh_from_db()
        return Response(ActionOutputSerializer(action).data, status=status.HTTP_201_CREATED)


def _for_update(request: Request, pk: int) -> Action:
    return sel.action_get_for_update(user=request.user, id=pk)
