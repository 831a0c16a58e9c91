"""Load the five seed cases (commissioning/seed_cases/*.yaml, from ../shared/seeds/) into the
database (safe to run again).

Rows an officer has changed since they were loaded are kept. ``--reset`` puts them back to the
seed after listing them and asking (``--yes`` answers for a script).
"""

from django.core.management.base import BaseCommand, CommandError

from commissioning.case_files import ask_before_overwriting
from commissioning.seed_cases import ResetDeclined, load_all


class Command(BaseCommand):
    help = (
        "Create the five seed commissioning cases, their papers, contracts and consultations, or "
        "what is missing of them; rows changed since loading are kept unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put rows changed since loading back to the seed (lists them and asks first)",
        )
        parser.add_argument("--yes", action="store_true", help="With --reset: do not ask")

    def handle(self, *args, reset=False, yes=False, **options):
        confirm = ask_before_overwriting(self.stdout, yes=yes) if reset else None
        try:
            load_all(stdout=self.stdout, reset=reset, confirm=confirm)
        except ResetDeclined:
            raise CommandError("Nothing was changed.") from None
