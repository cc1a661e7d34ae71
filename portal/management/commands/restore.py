from django.core.management.base import BaseCommand, CommandError

from portal.backups import backup_restore


class Command(BaseCommand):
    help = ("从 backup 生成的归档恢复: 替换整个数据库和上传文件目录 (MEDIA_ROOT)。"
            "请先停止 web、worker 与 beat。")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 归档")
        parser.add_argument("--yes", action="store_true", help="不再询问, 直接覆盖当前数据")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input(f"将用 {options['archive']} 覆盖当前数据库和全部上传文件。继续? 输入 yes: ")
            if answer.strip() != "yes":
                raise CommandError("已取消, 未做任何改动。")
        try:
            manifest = backup_restore(archive=options["archive"])
        except (OSError, ValueError) as error:
            raise CommandError(f"恢复失败: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"已恢复 {manifest['created_at']} 的备份 "
            f"({manifest['engine']}, {manifest['media_files']} 个上传文件)。"))
