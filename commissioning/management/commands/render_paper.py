"""Render a case's paper from the command line, for batch use and for checks.

    python manage.py render_paper notts-2011 --output paper.pdf --html paper.html

Renders the case's current paper, or, if it has none, a default one without saving it (a
cabinet report; for an FOI case, the response letter).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.models import Case
from commissioning.papers import actions, render


class Command(BaseCommand):
    help = "Render a case's current paper (or a default one) to PDF and/or HTML."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The case reference, e.g. notts-2011")
        parser.add_argument("--output", "-o", help="Where to write the PDF")
        parser.add_argument("--html", help="Where to write the HTML")

    def handle(self, *args, reference, output=None, html=None, **options):
        if not output and not html:
            raise CommandError("Give --output for the PDF, --html for the HTML, or both.")
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise CommandError(f"No case with the reference {reference!r}.")
        paper = actions.current_paper(case) or actions.unsaved_default_paper(case)
        described = f"{paper.paper_type} “{paper.title}”" + ("" if paper.pk else " (default, not saved)")
        if html:
            Path(html).write_text(render.render_html(paper), encoding="utf-8")
            self.stdout.write(f"Wrote {html}: {described}")
        if output:
            pdf = render.render_pdf(paper)
            Path(output).write_bytes(pdf)
            self.stdout.write(f"Wrote {output} ({len(pdf):,} bytes): {described}")
