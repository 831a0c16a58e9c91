"""``manage.py import_responses CONSULTATION_PK FILE``: the upload page's import, for batch use: every row
checked, then all saved in one transaction or none (``-v 2`` reports rows checked as it goes)."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from consultations.importer import ImportFileError, import_responses
from consultations.models import Consultation, ImportMapping


class Command(BaseCommand):
    help = (
        "Import a survey export (CSV or .xlsx) into a consultation's responses, all or nothing. The "
        "columns come from --mapping (JSON, inline or a file: field -> column header) or from the "
        "mapping remembered for --tool."
    )

    def add_arguments(self, parser):
        parser.add_argument("consultation", type=int, help="The consultation's id")
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", help='JSON such as {"response_id": "ID", ...}, or a .json file')
        parser.add_argument("--tool", default="", help="The survey tool: its remembered mapping is used")
        parser.add_argument("--user", help="Username the change history names as having imported them")

    def handle(self, *args, consultation, file, mapping, tool, user=None, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"There is no user '{user}'.")
        try:
            target = Consultation.objects.select_related("case").get(pk=consultation)
        except Consultation.DoesNotExist:
            raise CommandError(f"No consultation {consultation}") from None
        if mapping:
            text = Path(mapping).read_text() if mapping.endswith(".json") else mapping
            try:
                columns = json.loads(text)
            except json.JSONDecodeError as error:
                raise CommandError(f"--mapping is not JSON: {error}") from error
        elif tool:
            remembered = ImportMapping.objects.filter(consultation=target, tool=tool).first()
            if remembered is None:
                raise CommandError(f"No columns are remembered for {tool}; give --mapping")
            columns = remembered.columns
        else:
            raise CommandError("Give --mapping, or --tool for the columns remembered for it")
        if not file.exists():
            raise CommandError(f"No file {file}")
        try:
            with file.open("rb") as binary:
                result = import_responses(
                    target,
                    binary,
                    file.name,
                    columns,
                    tool=tool,
                    by=account,
                    # -v 2: how many rows have been checked, as the upload page shows it.
                    progress=(lambda rows: self.stderr.write(f"{rows:,} rows checked"))
                    if options["verbosity"] > 1
                    else None,
                )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {result.error_count} problem(s) in {file.name}")
        self.stdout.write(f"{result.imported:,} responses imported into “{target.title}”")
