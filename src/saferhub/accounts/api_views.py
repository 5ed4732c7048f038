"""API tokens over the API: list yours, issue one (from a verified browser session only),
revoke one (yours, or anyone's as an administrator)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from saferhub.accounts import token_services as ts
from saferhub.accounts.authentication import VerifiedSessionAuthentication
from saferhub.accounts.models import ApiToken

ISSUE_FROM_SESSION = (
    "Issue tokens from a signed-in browser session (the API tokens page), not with a token."
)


class ApiTokenOutputSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "username",
            "name",
            "key_prefix",
            "created_at",
            "expires_at",
            "last_used_on",
            "revoked_at",
            "status",
        ]

    def get_status(self, token: ApiToken) -> str:
        return ts.api_token_status(token)


class ApiTokenListView(APIView):
    """Your API tokens (administrators: ``?everyone=true`` for every user's); POST issues one."""

    required_permission = "core.view_own_jobs"

    class IssueInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        days = serializers.IntegerField(min_value=1)

    class IssuedOutputSerializer(ApiTokenOutputSerializer):
        key = serializers.CharField()

        class Meta(ApiTokenOutputSerializer.Meta):
            fields = [*ApiTokenOutputSerializer.Meta.fields, "key"]

    @extend_schema(
        parameters=[OpenApiParameter("everyone", bool, required=False)],
        responses={200: ApiTokenOutputSerializer(many=True), 403: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        everyone = request.query_params.get("everyone") in {"true", "1"}
        try:
            tokens = ts.api_tokens_for_user(user=request.user, everyone=everyone)  # type: ignore[arg-type]
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(ApiTokenOutputSerializer(tokens, many=True).data)

    @extend_schema(
        request=IssueInputSerializer,
        responses={201: IssuedOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.successful_authenticator, VerifiedSessionAuthentication):
            raise exceptions.PermissionDenied(ISSUE_FROM_SESSION)
        data = self.IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        try:
            issued = ts.api_token_issue(
                actor=user,
                user=user,
                name=data.validated_data["name"],
                days=data.validated_data["days"],
                second_factor_verified=bool(request._request.user.is_verified()),  # type: ignore[union-attr]
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.messages) from exc
        body = ApiTokenOutputSerializer(issued.token).data | {"key": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    """One of your tokens (or anyone's, as an administrator); DELETE revokes it."""

    required_permission = "core.view_own_jobs"

    @extend_schema(responses={200: ApiTokenOutputSerializer, 404: OpenApiResponse()})
    def get(self, request: Request, pk: int) -> Response:
        token = ts.api_token_get_for_user(user=request.user, id=pk)  # type: ignore[arg-type]
        return Response(ApiTokenOutputSerializer(token).data)

    @extend_schema(responses={204: None, 404: OpenApiResponse()})
    def delete(self, request: Request, pk: int) -> Response:
        token = ts.api_token_get_for_user(user=request.user, id=pk)  # type: ignore[arg-type]
        ts.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
