"""The five seed cases (../shared/seeds/), as case files with every fact and figure their papers give.

The facts are in the YAML files beside this module, in the format of docs/case-files.md;
``load_all`` imports them with the same importer as ``manage.py import_case``.
"""

from pathlib import Path

from django.db import transaction

from commissioning.case_files import ResetDeclined, import_case_file
from commissioning.case_files.rows import CHANGE_REASON, Tally, seed_user

FOLDER = Path(__file__).resolve().parent
# In the order the seed papers are numbered.
CASES = ("notts-2011", "staffs-2022", "leics-2019", "dorset-2019", "notts-foi-10653")

__all__ = ["CASES", "ResetDeclined", "load_all"]


@transaction.atomic
def load_all(*, stdout=None, reset=False, confirm=None) -> dict[str, Tally]:
    """Create or update every seed case; safe to run again (rows are matched on natural keys).

    Rows changed since they were loaded are kept as they are, unless ``reset``: then they are
    put back to the seed, but only once ``confirm(overwritten)`` has seen the list and said yes
    (all in one transaction, so a "no" writes nothing).
    """
    tallies = {}
    user = seed_user()
    for reference in CASES:
        tally = import_case_file(FOLDER / f"{reference}.yaml", user=user, reset=reset, reason=CHANGE_REASON)
        tallies[reference] = tally
        if stdout is not None:
            stdout.write(tally.line(reference))
    overwritten = [line for tally in tallies.values() for line in tally.overwritten]
    if overwritten and confirm is not None and not confirm(overwritten):
        raise ResetDeclined
    return tallies
