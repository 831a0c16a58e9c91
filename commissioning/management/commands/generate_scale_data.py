"""``manage.py generate_scale_data``: invented rows at national scale, for benchmark_pages."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from commissioning import scale_data


class Command(BaseCommand):
    help = (
        "Add invented commissioners, providers, cases, services, funding and contracts at national "
        "(or a smaller) scale, the same for the same --seed and --today. Into an empty or seeded database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument("--scale", choices=sorted(scale_data.SCALES), default="national")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Date the rows are counted from (YYYY-MM-DD)",
        )

    def handle(self, *args, seed, scale, today, **options):
        try:
            counts = scale_data.generate(scale, seed, today)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{count:>9,} {name}")
        officers = (
            f"{scale_data.FOCUS_OFFICER} ({scale_data.FOCUS_COUNCIL}) "
            f"and {scale_data.SMALL_OFFICER} ({scale_data.SMALL_COUNCIL})"
        )
        self.stdout.write(f"Officers for manage.py benchmark_pages: {officers} (no password is set).")
