"""python manage.py build_report [--week 2026-W48] [--no-send]: build a weekly report by hand."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboard.reports import last_week, parse_week, report_build


class Command(BaseCommand):
    help = "生成护商通周报(默认上周), 保存并发送给委领导"

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO 周次, 如 2026-W48 (默认: 上周)")
        parser.add_argument("--no-send", action="store_true", help="只生成, 不发送邮件和站内通知")

    def handle(self, *args, week=None, no_send=False, **options):
        try:
            monday = parse_week(week) if week else last_week(timezone.localdate())
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        report = report_build(monday=monday, progress=self._progress, send=not no_send)
        self.stdout.write(self.style.SUCCESS(f"周报 {report.week} 已生成: {report.file.name}"))

    def _progress(self, done, total, title):
        bar = "#" * (20 * done // total)
        self.stdout.write(f"\r[{bar:<20}] {done}/{total} {title}", ending="\n" if done == total else "")
        self.stdout.flush()
