from django.core.management.base import BaseCommand, CommandError

from enterprises.importing import ImportFileError, enterprises_import


class Command(BaseCommand):
    help = (
        "从 .xlsx 或 .csv 导入企业名单 (表头: 企业名称, 统一社会信用代码, 行业, 名单类别, 龙头企业, "
        "地址, 联系人, 联系电话)。按信用代码新增或更新; 任一行有错则不导入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="企业名单文件 (.xlsx / .csv)")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告, 不写入数据库")

    def handle(self, *args, file, dry_run, **options):
        show_bar = self.stdout.isatty() or options["verbosity"] > 1
        try:
            with open(file, "rb") as source:
                plan = enterprises_import(source, filename=file, dry_run=dry_run,
                                          progress=self._bar if show_bar else None)
        except FileNotFoundError:
            raise CommandError(f"找不到文件: {file}") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if show_bar:
            self.stdout.write("")
        for error in plan.errors:
            self.stderr.write(str(error))
        if plan.errors:
            raise CommandError(f"发现 {len(plan.errors)} 处错误, 未导入任何数据。请修改后重新导入。")
        prefix = "试运行 (未写入): 将" if dry_run else "导入完成:"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {plan.summary()}"))

    def _bar(self, done, total):
        filled = 30 * done // max(total, 1)
        self.stdout.write(f"\r检查 [{'#' * filled:<30}] {done}/{total}", ending="")
        self.stdout.flush()
