"""POST /api/v1/auth/token/: a username and password for a token (throttled); a user's own tokens."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api import errors

from . import tokens
from .models import ApiToken
from .serializers import ApiTokenSerializer, TokenIssuedSerializer, TokenRequestSerializer


class TokenObtainApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"

    @extend_schema(
        request=TokenRequestSerializer, responses={201: TokenIssuedSerializer, **errors(429)},
        summary="Exchange a username and password for an API token", auth=[],
        examples=[OpenApiExample("login", value={"username": "alice", "password": "…", "name": "省投资平台"},
                                 request_only=True),
                  OpenApiExample("issued", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
                                                  "name": "省投资平台", "id": 1}, response_only=True)])
    def post(self, request, **kwargs):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(request._request, username=data.validated_data["username"],
                                password=data.validated_data["password"])
        except PermissionDenied:  # a login lock-out (too many failures): as the throttle answers
            return Response({"detail": _("登录失败次数过多, 请稍后再试"), "code": "locked_out"},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确")]})
        token, key = tokens.token_issue(user=user, name=data.validated_data["name"])
        return Response({"token": key, "name": token.name, "id": token.pk}, status=status.HTTP_201_CREATED)


class TokenListApi(generics.ListAPIView):
    """The caller's own tokens (the key itself is never shown again)."""

    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)


class TokenRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, **kwargs):
        token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
        tokens.token_revoke(token=token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
