from django.core.management.base import BaseCommand, CommandError

from workdays.notice import NoticeError
from workdays.services import notice_load


class Command(BaseCommand):
    help = ("导入国务院办公厅发布的某一年节假日安排 (CSV: date,kind,name), 替换该年的暂定日历, "
            "并列出因此变动的已存期限。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件, 每行 date,kind,name (kind: holiday/法定节假日, "
                                         "adjusted_workday/调休上班, workday/工作日, weekend/休息日)")
        parser.add_argument("--dry-run", action="store_true", help="只预演并报告变动, 不写入数据库")

    def handle(self, *args, file, dry_run, **options):
        try:
            result = notice_load(file=file, dry_run=dry_run, source_name=file)
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}: {error.strerror}") from None
        except NoticeError as error:
            problems = "\n".join(error.problems)
            raise CommandError(f"通知文件 {file} 有误, 未导入任何数据:\n{problems}") from None
        style = self.style.WARNING if dry_run else self.style.SUCCESS
        for line in result.summary():
            self.stdout.write(style(line))
        self._report_moved(result)

    def _report_moved(self, result):
        lines = result.moved_lines()
        verb = "将变动" if result.dry_run else "已变动"
        self.stdout.write(f"{verb}的期限 {len(lines)} 个" + (":" if lines else "。"))
        for line in lines:
            self.stdout.write(f"  {line}")
