"""Remove Excel exports (and their files) older than a week: see commissioning/export_jobs.py.

Each finished export already clears the old ones; run this from a scheduler (cron) too, so
files go even on a day nobody exports anything.
"""

from django.core.management.base import BaseCommand

from commissioning.export_jobs import KEEP_EXPORTS, delete_old_exports


class Command(BaseCommand):
    help = "Remove Excel exports older than a week, with their files."

    def handle(self, *args, **options):
        removed = delete_old_exports()
        self.stdout.write(f"Removed {removed} export(s) older than {KEEP_EXPORTS.days} days.")
