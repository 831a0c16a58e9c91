"""Create demo accounts for the seed cases (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commissioning.seed_cases.demo_users import DEMO_PASSWORD, SeedCasesMissing, load_demo_users


class Command(BaseCommand):
    help = "Create or update the demo users (admin and one officer per seed organisation). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo_users only runs with DEBUG on: it creates accounts with a published password."
            )
        try:
            rows = load_demo_users()
        except SeedCasesMissing as error:
            raise CommandError(str(error)) from error
        width = max(len(username) for username, _, _ in rows)
        for username, organisation, role in rows:
            self.stdout.write(f"{username:<{width}}  {role}, {organisation}")
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}")
