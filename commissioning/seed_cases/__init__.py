"""The five seed cases (../shared/seeds/), loaded with every fact and figure their papers give.

One module per case. The seed data spans the three apps (cases and funding here, contracts and
FOI requests in ``contracts``, consultations in ``consultations``), and those apps import this
one, so the case modules import their models inside functions.
"""

from django.db import transaction

from commissioning.paper_types import ensure_default_paper_types

from . import dorset_2019, leics_2019, notts_2011, notts_foi_10653, staffs_2022
from .helpers import Tally, history_user, seed_user

CASES = (notts_2011, staffs_2022, leics_2019, dorset_2019, notts_foi_10653)


class ResetDeclined(Exception):
    """The person running ``--reset`` did not confirm; nothing was written."""


@transaction.atomic
def load_all(*, stdout=None, reset=False, confirm=None) -> dict[str, Tally]:
    """Create or update every seed case; safe to run again (rows are matched on natural keys).

    Rows changed since they were loaded are kept as they are, unless ``reset``: then they are
    put back to the seed, but only once ``confirm(overwritten)`` has seen the list and said yes
    (all in one transaction, so a "no" writes nothing).
    """
    tallies = {}
    user = seed_user()
    with history_user(user):
        ensure_default_paper_types()
        for module in CASES:
            tally = Tally(reset=reset, loader=user)
            module.load(tally)
            tallies[module.REFERENCE] = tally
            if stdout is not None:
                stdout.write(tally.line(module.REFERENCE))
    overwritten = [line for tally in tallies.values() for line in tally.overwritten]
    if overwritten and confirm is not None and not confirm(overwritten):
        raise ResetDeclined
    return tallies
