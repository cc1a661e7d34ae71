"""Issue an API token for a system account with a role, e.g. the city dashboard as a leader:

    manage.py api_token_issue city-dashboard --role leader --name 城市驾驶舱

The account is created without a password if it does not exist. The key is printed once.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.roles import ROLES
from accounts.tokens import system_account_token


class Command(BaseCommand):
    help = "Issue an API token for a system account with a role (the key is printed once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--name", default="api")

    def handle(self, *args, username, role, name, **options):
        try:
            token, key = system_account_token(username=username, role=role, name=name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(key)
