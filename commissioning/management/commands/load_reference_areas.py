"""Load the reference areas: every English district and upper-tier council with its ONS code, from
commissioning/reference_data (safe to run again; a second run changes nothing)."""

from django.core.management.base import BaseCommand

from commissioning.reference_data import load_reference_areas


class Command(BaseCommand):
    help = "Create or update the reference areas (English districts and councils) from the ONS lookup."

    def handle(self, *args, **options):
        self.stdout.write(load_reference_areas().line())
