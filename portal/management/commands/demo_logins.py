from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from portal.demo.logins import DEMO_LOGINS


class Command(BaseCommand):
    help = "列出各角色的演示账号与统一密码 (settings.DEMO_PASSWORD)。DEBUG 关闭时拒绝运行。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_logins 只用于演示和开发环境: DEBUG 关闭时不显示演示账号。")
        present = set(
            User.objects.filter(username__in=[u for u, *_ in DEMO_LOGINS]).values_list("username", flat=True)
        )
        width = max(len(u) for u, *_ in DEMO_LOGINS)
        self.stdout.write(f"演示账号 (密码均为 {settings.DEMO_PASSWORD}):")
        for username, role, note in DEMO_LOGINS:
            mark = "" if username in present else "  (尚未创建: 请先运行 seed_demo)"
            self.stdout.write(f"  {username:<{width}}  {role!s:<8}  {note}{mark}")
