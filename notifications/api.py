"""The user's own notifications: list, mark one read, mark all read. Nobody sees another's."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import BooleanFilter, CursorPage, SelectorFilters

from . import selectors, services
from .models import Notification
from .serializers import NotificationSerializer


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(help_text="Only unread (true) or only read (false) ones.")

    class Meta:
        model = Notification
        fields = []


class NotificationListApi(SelectorFilters, generics.ListAPIView):
    """The caller's own notifications, newest first (a cursor: the inbox only grows)."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    pagination_class = CursorPage

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return selectors.notification_list_for(self.request.user)

    def select(self, params):
        notifications = self.get_queryset()
        if params.get("unread") is not None:
            notifications = notifications.filter(read_at__isnull=params["unread"])
        return notifications


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk, **kwargs):
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        notification = services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None,
                   responses=inline_serializer("NotificationReadAll", {"marked": serializers.IntegerField()}))
    def post(self, request, **kwargs):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
