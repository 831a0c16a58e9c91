"""Cases as data files: a whole case in one YAML file an officer can read and write.

``import_case_text`` writes a file into the database (all of it or, when it has any mistake,
none of it); ``export_case`` writes a case out in the same format. The format is documented key
by key in docs/case-files.md; ``schema.py`` holds its keys.

The file spans the three apps (cases and funding here, contracts and FOI requests in
``contracts``, consultations in ``consultations``), and those apps import this one, so the
importer and exporter import their models inside functions.
"""

from pathlib import Path

from django.db import transaction

from .document import CaseFileInvalid, Problem, parse
from .rows import CHANGE_REASON, Tally, history_user, seed_user

__all__ = [
    "CaseFileInvalid",
    "Problem",
    "ResetDeclined",
    "ask_before_overwriting",
    "export_case",
    "import_case_file",
    "import_case_text",
]


class ResetDeclined(Exception):
    """The person running ``--reset`` did not confirm; nothing was written."""


def ask_before_overwriting(stdout, *, yes=False):
    """The ``confirm`` of ``--reset``: list the rows it would overwrite, then ask (``--yes`` says yes)."""

    def confirm(overwritten) -> bool:
        stdout.write(f"--reset will overwrite {len(overwritten)} changed row(s):")
        for line in overwritten:
            stdout.write(f"  {line}")
        if yes:
            return True
        return input("Overwrite them? Type yes to go on: ").strip().lower() == "yes"

    return confirm


def import_case_text(text: str, *, user=None, reset=False, confirm=None, reason=CHANGE_REASON) -> Tally:
    """Create or update the case a file describes; safe to run again (rows are matched on names).

    All in one transaction: a file with any mistake raises ``CaseFileInvalid`` listing every one
    found, and nothing is saved. Rows someone changed since the last import are kept, unless
    ``reset``; then ``confirm(overwritten)`` must say yes first. History rows are attributed to
    ``user`` (the inactive seed-loader by default).
    """
    from .importer import Importer

    data = parse(text)
    with transaction.atomic():
        user = user or seed_user()
        tally = Tally(reset=reset, loader=user, reason=reason)
        problems: list[Problem] = []
        with history_user(user):
            importer = Importer(data, tally=tally, problems=problems)
            case = importer.run()
        if problems or case is None:
            raise CaseFileInvalid(problems or [Problem("", 1, "the file describes no case")])
        tally.reference = case.reference
        if tally.overwritten and confirm is not None and not confirm(tally.overwritten):
            raise ResetDeclined
    return tally


def import_case_file(path, **kwargs) -> Tally:
    path = Path(path)
    kwargs.setdefault("reason", f"Imported from the case file {path.name} (import_case)")
    return import_case_text(path.read_text(encoding="utf-8"), **kwargs)


def export_case(case) -> str:
    from .exporter import export_case as export

    return export(case)
