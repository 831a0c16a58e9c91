"""Restore a backup made by `manage.py backup` (see commissioning/backup.py).

    python manage.py migrate
    python manage.py restore commissioning-2026-10-03.zip [--force]

Into an empty database; --force replaces whatever is there, all or nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from commissioning import backup


class Command(BaseCommand):
    help = "Load a backup into an empty, migrated database (--force to replace what is there)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A zip written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace every row already in the database (in one transaction: all or nothing)",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            restored = backup.restore(file, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {file} (made {restored['created_at']}): "
            f"{restored['rows']:,} rows and {restored['files']:,} files."
        )
