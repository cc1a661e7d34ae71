import sys

from django.core.management.base import BaseCommand

from workdays.services import calendar_sync, package_last_year


class Command(BaseCommand):
    help = ("载入 2004 年起的法定工作日历; chinesecalendar 未覆盖的年份按周一至周五暂定 (provisional)。"
            "可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--years-ahead", type=int, default=2, help="暂定年份覆盖到今年之后几年 (默认 2)")

    def handle(self, *args, years_ahead, **options):
        def progress(year, years):
            done = years.index(year) + 1
            bar = "#" * (30 * done // len(years))
            if self.stdout.isatty() or options["verbosity"] > 1:
                self.stdout.write(f"\r[{bar:<30}] {done}/{len(years)} {year}", ending="")
                self.stdout.flush()

        written = calendar_sync(years_ahead=years_ahead, progress=progress)
        if self.stdout.isatty() or options["verbosity"] > 1:
            self.stdout.write("")
        changed = [year for year, n in written.items() if n]
        last = package_last_year()
        provisional = [year for year in written if year > last]
        self.stdout.write(self.style.SUCCESS(
            f"工作日历已同步 {min(written)}–{max(written)} 年; 本次更新 {len(changed)} 个年份"
            + (f" ({', '.join(map(str, changed))})" if changed else "")
        ))
        if provisional:
            self.stdout.write(self.style.WARNING(
                f"{', '.join(map(str, provisional))} 年尚无官方安排, 按周一至周五暂定; "
                "国务院办公厅通知发布后请用 load_holiday_notice 导入。"
            ))
        sys.stdout.flush()
