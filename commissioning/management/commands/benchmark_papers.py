"""Time the paper renderer: ``python manage.py benchmark_papers [--runs 5] [--no-chromium]``.

Prints, for a typical cabinet paper and a ~100-page stress paper (~2,000 table rows), the
median render time in a warm process and the process's peak RSS, the same content rendered
as a plain WeasyPrint document (the machine's yardstick: the issue's reference figures were
taken on such a document), then the same HTML printed by headless Chromium and the ratio.
Nothing is kept: the cases are built in a transaction that is rolled back. Targets: 12 pages
<= 0.5 s; 100 pages <= 5 s and 400 MB.
"""

import resource

from django.core.management.base import BaseCommand

from commissioning.papers import benchmark


class Command(BaseCommand):
    help = "Benchmark paper rendering (WeasyPrint) against headless Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--no-chromium", action="store_true", help="Skip the Chromium comparison")
        parser.add_argument(
            "--paper",
            action="append",
            choices=sorted(benchmark.PAPERS),
            help="Only this paper (repeatable); both by default",
        )

    def handle(self, *args, runs, no_chromium, paper, **options):
        benchmark.run(runs=runs, with_chromium=not no_chromium, papers=paper, stdout=self.stdout)
        # ru_maxrss is in KiB on Linux: the whole process's peak, Django and fonts included.
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak resident memory of this process: {peak_rss:.0f} MiB")
