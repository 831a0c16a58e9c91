"""``manage.py benchmark_import --rows 100000``: how fast a survey export imports, and in how much
memory. A benchmark, not a test: it writes a generated CSV to a temporary file, imports it into
a consultation inside a transaction that is rolled back, and prints rows per second and peak
memory (the process's, and with --trace-memory the import's own Python allocations, measured by
tracemalloc, which slows it down)."""

import csv
import resource
import tempfile
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consultations.importer import import_responses
from consultations.models import Consultation

TYPES = ["Member of the public", "Survivor or service user", "Provider", "Professional", ""]
CHANNELS = ["Online survey", "Paper form", "Event", "E-mail", "Letter"]
MAPPING = {
    "response_id": "ID",
    "respondent_type": "Type",
    "channel": "Channel",
    "received_on": "Date",
    "area": "Postcode",
    "option": "Option",
    "scale": "Scale",
    "comment": "Comment",
    "consent_to_quote": "Consent",
}


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--consultation", type=int, help="Default: the first whose case has options")
        parser.add_argument("--trace-memory", action="store_true", help="Also measure with tracemalloc")

    def handle(self, *args, rows, consultation, trace_memory, **options):
        queryset = Consultation.objects.filter(case__appraisals__options__isnull=False).distinct()
        target = queryset.filter(pk=consultation).first() if consultation else queryset.order_by("pk").first()
        if target is None:
            raise CommandError("No consultation whose case has options (load the seed cases first)")
        labels = [
            o.label
            for a in target.case.appraisals.all()
            for o in a.options.filter(parent=None).order_by("order")
        ]
        with tempfile.NamedTemporaryFile("w+", suffix=".csv", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(MAPPING.values())
            for i in range(1, rows + 1):
                writer.writerow(
                    [
                        f"B{i}",
                        TYPES[i % len(TYPES)],
                        CHANNELS[i % len(CHANNELS)],
                        f"{1 + i % 28:02d}/01/2026",
                        f"NG{i % 20}",
                        f"Option {labels[i % len(labels)]}" if i % 9 else "",
                        str(i % 11),
                        f"Comment {i}: call me on 07700 900{i % 1000:03d} or write to me@example.org",
                        "Yes" if i % 2 else "No",
                    ]
                )
            out.flush()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if trace_memory:
                tracemalloc.start()
            started = time.perf_counter()
            with transaction.atomic(), open(out.name, "rb") as binary:
                result = import_responses(target, binary, "benchmark.csv", MAPPING)
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            traced = tracemalloc.get_traced_memory()[1] if trace_memory else None
            tracemalloc.stop()
        if not result.ok:
            raise CommandError(f"{result.error_count} errors, the first: {result.errors[0]}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            f"{result.imported:,} rows in {elapsed:.1f} s: {result.imported / elapsed:,.0f} rows per second; "
            f"peak memory {peak / 1024:.0f} MB ({(peak - before) / 1024:.0f} MB more than before the import)"
            + (f"; the import's own peak (tracemalloc) {traced / 2**20:.1f} MB" if traced is not None else "")
        )
