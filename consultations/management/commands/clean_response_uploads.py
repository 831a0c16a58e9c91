"""``manage.py clean_response_uploads --days 7``: delete survey exports uploaded more than DAYS
days ago that are not queued or being imported (files never imported, and the records of
finished imports, whose files are already gone). Each import also does this when it finishes."""

from django.core.management.base import BaseCommand

from consultations.tasks import KEEP_UPLOADS_DAYS, clean_old_uploads


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_UPLOADS_DAYS)

    def handle(self, *args, days, **options):
        count = clean_old_uploads(days=days)
        self.stdout.write(f"{count} upload{'' if count == 1 else 's'} older than {days} days deleted")
