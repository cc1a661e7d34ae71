from rest_framework import serializers

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "level", "level_display", "urgent", "created_at",
                  "read_at", "is_read"]
        read_only_fields = fields
