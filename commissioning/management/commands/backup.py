"""Back up the whole service to one zip file (see commissioning/backup.py for what it holds).

python manage.py backup commissioning-2026-10-03.zip
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning import backup


class Command(BaseCommand):
    help = "Write every app's rows (histories and users included) and the uploaded files to a zip."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The zip file to write, e.g. commissioning-2026-10-03.zip")

    def handle(self, *args, file, **options):
        if Path(file).exists():
            raise CommandError(f"{file} already exists. Give a new file name; a backup never overwrites one.")
        held = backup.backup(file)
        self.stdout.write(f"Wrote {file}: {held['rows']:,} rows and {held['files']:,} files.")
