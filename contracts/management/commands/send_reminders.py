"""E-mail the key date reminders due today (run it daily; running it more often sends nothing twice)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail lead commissioners' officers 3 months, 1 month and 1 week before each key date."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today must be a date like 2026-06-30, not {options['today']}"
                ) from error
        sent = send_reminders(today)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.user.email}: {reminder.get_kind_display()} {reminder.date:%-d %B %Y} "
                f"({reminder.get_lead_display()}), {reminder.contract.reference}"
            )
        self.stdout.write(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent for {today:%-d %B %Y}.")
