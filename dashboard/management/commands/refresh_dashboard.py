"""python manage.py refresh_dashboard: rebuild the overview's summary now (the beat does it every
five minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboard.summary import summary_refresh


class Command(BaseCommand):
    help = "重建领导驾驶舱总览的统计汇总表"

    def handle(self, *args, **options):
        refreshed = summary_refresh()
        as_of = timezone.localtime(refreshed.as_of)
        self.stdout.write(self.style.SUCCESS(
            f"统计汇总已更新: {refreshed.rows} 行, 截至 {as_of:%Y-%m-%d %H:%M}, "
            f"用时 {refreshed.seconds:.1f} 秒"))
