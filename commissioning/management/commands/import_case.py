"""Import a case file (docs/case-files.md): all of it, or nothing when it has any mistake.

Running it again changes nothing; rows someone changed since the last import are kept unless
``--reset``, which lists them and asks first.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from commissioning.case_files import CaseFileInvalid, ResetDeclined, ask_before_overwriting, import_case_file


class Command(BaseCommand):
    help = "Create or update the case a case file describes (YAML, see docs/case-files.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The case file, e.g. anytown-2024.yaml")
        parser.add_argument(
            "--user",
            help="Username the change history names (default: the inactive seed-loader user)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put rows changed since the last import back to the file (lists them and asks first)",
        )
        parser.add_argument("--yes", action="store_true", help="With --reset: do not ask")

    def handle(self, *args, file, user=None, reset=False, yes=False, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"There is no user '{user}'.")
        confirm = ask_before_overwriting(self.stdout, yes=yes) if reset else None
        try:
            tally = import_case_file(file, user=account, reset=reset, confirm=confirm)
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}.") from None
        except CaseFileInvalid as invalid:
            lines = [f"{file} has {len(invalid.problems)} mistake(s); nothing was saved:"]
            lines += [f"  {problem}" for problem in invalid.problems]
            raise CommandError("\n".join(lines)) from None
        except ResetDeclined:
            raise CommandError("Nothing was changed.") from None
        self.stdout.write(tally.line(tally.reference))
