"""Load the five seed cases from ../shared/seeds/ into the database (safe to run again)."""

from django.core.management.base import BaseCommand

from commissioning.seed_cases import load_all


class Command(BaseCommand):
    help = "Create or update the five seed commissioning cases, their papers, contracts and consultations."

    def handle(self, *args, **options):
        load_all(stdout=self.stdout)
