from django.core.management.base import BaseCommand

from portal.backups import backup_create


class Command(BaseCommand):
    help = ("备份数据库 (PostgreSQL: pg_dump; SQLite: 数据库文件) 与上传文件, "
            "写入一个带日期的归档 (BACKUP_DIR)。")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="归档目录 (默认 BACKUP_DIR, 即 var/backups)")

    def handle(self, *args, **options):
        archive = backup_create(output_dir=options["output_dir"])
        self.stdout.write(self.style.SUCCESS(f"备份已写入 {archive}"))
