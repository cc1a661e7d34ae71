"""The user's own notifications: list, mark one read, mark all read. Nobody sees another's."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .models import Notification
from .serializers import NotificationSerializer


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description=_("只列未读"))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        notifications = selectors.notification_list_for(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            notifications = notifications.filter(read_at__isnull=True)
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
