"""Write a case as a case file (docs/case-files.md), to standard output or ``--output FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.case_files import export_case
from commissioning.models import Case


class Command(BaseCommand):
    help = "Write a case as a case file (YAML) that import_case reads."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The case's reference, e.g. notts-2011")
        parser.add_argument("--output", help="Write to this file instead of the screen")

    def handle(self, *args, reference, output=None, **options):
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise CommandError(f"There is no case '{reference}'.")
        text = export_case(case)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {reference} to {output}")
        else:
            self.stdout.write(text, ending="")
