import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from portal.demo import SEED, STEPS


class Command(BaseCommand):
    help = (
        "创建演示数据: 13 名委领导、7 个专业服务工作组、100 名营商环境专员、358 家四上企业等, "
        "以及各角色的演示账号。结果固定 (随机种子 2026), 可重复运行。DEBUG 关闭时拒绝运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--locked", action="store_true",
            help="DEBUG 关闭时 (例如培训用的生产式部署) 也创建演示数据, 但每个演示账号的密码都不可用。")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["locked"]:
            raise CommandError(
                "seed_demo 只用于演示和开发环境: DEBUG 关闭 (生产环境) 时拒绝创建演示数据和演示账号"
                " (--locked: 创建, 但演示账号不能登录)。"
            )
        self.show_bar = self.stdout.isatty() or options["verbosity"] > 1
        with transaction.atomic():
            for number, path in enumerate(STEPS, start=1):
                self.current = f"[{number}/{len(STEPS)}]"
                step = import_string(path)
                step(rng=random.Random(f"{SEED}:{path}"), progress=self.progress)
        if self.show_bar:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号: python manage.py demo_logins"))
        from portal.demo.org import counts

        self.stdout.write("、".join(f"{label} {n}" for label, n in counts().items()))

    def progress(self, label, done, total):
        if not self.show_bar:
            return
        filled = 30 * done // max(total, 1)
        self.stdout.write(f"\r\033[K{self.current} [{'#' * filled:<30}] {label} {done}/{total}", ending="")
        self.stdout.flush()
