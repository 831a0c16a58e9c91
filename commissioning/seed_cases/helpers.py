"""Small tools the seed case modules share: idempotent upserts, tallies, history attribution.

Every write goes through ``upsert`` so a second run finds each row by its natural key and
saves only what differs: primary keys stay stable and no duplicate history rows appear.

A row someone changed since the loader last wrote it (its newest history row is not the
loader's) is kept as they left it, and so are its links: running ``make run`` again never
reverts an officer's work. ``load_seed_cases --reset`` overwrites such rows, after listing them.
"""

from collections import Counter
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from inspect import cleandoc
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from simple_history.models import HistoricalRecords

SEED_USERNAME = "seed-loader"
CHANGE_REASON = "Loaded from the seed papers (load_seed_cases)"


class Tally(Counter):
    """Rows created, updated, unchanged and kept (changed by someone since loading), and
    many-to-many links changed, for one case.

    ``reset``: overwrite rows changed since loading too (each is listed in ``overwritten``).
    """

    def __init__(self, *args, reset=False, loader=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Rows created in this run: filling in a row just created is part of creating it.
        self.fresh = set()
        self.reset = reset
        self.loader = loader
        self.kept = set()  # (model, pk) of rows left as someone changed them
        self.overwritten = []  # descriptions of rows --reset put back to the seed

    def line(self, reference: str) -> str:
        line = (
            f"{reference}: {self['created']} created, {self['updated']} updated, "
            f"{self['unchanged']} unchanged, {self['links']} links changed"
        )
        if self["kept"]:
            line += f"; {self['kept']} changed since loading, kept as they are"
        return line


def changed_by_someone(tally: Tally, obj) -> str:
    """Who changed ``obj`` after the loader last wrote it, and when ("" if nobody did)."""
    history = getattr(obj, "history", None)
    if history is None or tally.loader is None:
        return ""
    latest = history.order_by("-history_date", "-history_id").select_related("history_user").first()
    if latest is None or latest.history_user_id == tally.loader.pk:
        return ""
    user = latest.history_user
    who = (user.get_full_name() or user.get_username()) if user else "someone"
    return f"{who} on {latest.history_date:%d %b %Y %H:%M}"


def _keeps(tally: Tally, obj) -> bool:
    """True when ``obj`` must be left as someone changed it; notes what --reset overwrites."""
    changed = changed_by_someone(tally, obj)
    if not changed:
        return False
    if tally.reset:
        tally.overwritten.append(f"{obj._meta.verbose_name} “{obj}” (changed by {changed})")
        return False
    tally.kept.add((type(obj), obj.pk))
    tally["kept"] += 1
    return True


def _current(obj, field):
    """A field's stored value in the form ``upsert`` compares: a key for a foreign key."""
    return getattr(obj, field.attname)


def _wanted(field, value):
    if field.many_to_one or field.one_to_one:
        return value.pk if value is not None else None
    if isinstance(value, int | str) and field.get_internal_type() == "DecimalField":
        return Decimal(value)
    return value


def _renamed(model, lookup: dict):
    """The row that had this natural key when it was loaded and has another now, if any."""
    history = getattr(model, "history", None)
    if history is None or {"pk", "id"} & set(lookup):  # a history row's own pk is history_id
        return None
    record = history.filter(**lookup).order_by("-history_date").values_list("id", flat=True).first()
    return model.objects.filter(pk=record).first() if record is not None else None


def upsert(tally: Tally, model, lookup: dict, values: dict | None = None):
    """Find ``model`` by its natural key ``lookup``; create it or bring ``values`` up to date.

    Validates with ``full_clean`` before each write, so seed data obeys the same rules as a form.
    """
    values = values or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        # Renamed since it was loaded (its natural key changed): the same row, not a missing one.
        obj = _renamed(model, lookup)
        if obj is not None:
            values = {**lookup, **values}
    created = obj is None
    if created:
        obj = model(**lookup, **values)
    else:
        differs = [
            name
            for name, value in values.items()
            if _current(obj, model._meta.get_field(name)) != _wanted(model._meta.get_field(name), value)
        ]
        if not differs:
            if (model, obj.pk) not in tally.fresh:
                tally["unchanged"] += 1
            return obj
        if (model, obj.pk) not in tally.fresh and _keeps(tally, obj):
            return obj
        for name in differs:
            setattr(obj, name, values[name])
    obj.full_clean()
    # simple-history reads the reason from the instance (its documented ``_change_reason``).
    obj._change_reason = CHANGE_REASON
    obj.save()
    if created:
        tally["created"] += 1
        tally.fresh.add((model, obj.pk))
    elif (model, obj.pk) not in tally.fresh:
        tally["updated"] += 1
    return obj


def set_links(tally: Tally, obj, field_name: str, targets) -> None:
    """Make a many-to-many field hold exactly ``targets``, touching it only when it differs."""
    manager = getattr(obj, field_name)
    wanted = {t.pk for t in targets}
    current = set(manager.values_list("pk", flat=True))
    if wanted != current and (type(obj), obj.pk) not in tally.fresh:
        if (type(obj), obj.pk) in tally.kept or _keeps(tally, obj):
            return
    if wanted != current:
        manager.set(list(targets))
        tally["links"] += len(wanted ^ current)


def text(value: str) -> str:
    """Markdown copied from a paper, written indented in the source: strip the indent."""
    return cleandoc(value)


def month(year: int, number: int) -> date:
    """A month-precision milestone is stored on the first of its month."""
    return date(year, number, 1)


# Shared lookups. The same organisation or area appears in several seeds (Nottinghamshire),
# so each is keyed on its unique name.
def organisation(tally, name, kind, short_name=""):
    from commissioning.models import Organisation

    return upsert(tally, Organisation, {"name": name}, {"kind": kind, "short_name": short_name})


def budget_holder(tally, org, name):
    from commissioning.models import BudgetHolder

    return upsert(tally, BudgetHolder, {"organisation": org, "name": name})


def area(tally, name, kind, districts=()):
    from commissioning.models import Area

    obj = upsert(tally, Area, {"name": name}, {"kind": kind})
    if districts:
        set_links(tally, obj, "districts", districts)
    return obj


def paper_sections(tally, paper, sections: dict[str, str]) -> None:
    """Write the narrative text of a paper's sections, keyed as the paper type defines them."""
    from commissioning.models import PaperSection

    known = set(paper.paper_type.sections.values_list("key", flat=True))
    unknown = set(sections) - known
    if unknown:
        raise ValueError(f"{paper.paper_type.slug} has no section(s) {sorted(unknown)}")
    for key, body in sections.items():
        upsert(tally, PaperSection, {"paper": paper, "key": key}, {"body": text(body)})


PAPER_FIELDS = {
    "meeting": "",
    "meeting_date": None,
    "report_of": "",
    "signed_by": "",
    "electoral_divisions": "",
    "local_member_interest": "",
    "reference": "",
}


def decision_paper(tally, case, *, title, paper_type, authority=None, **fields):
    """A case's paper, keyed on (case, title); fields not given are set to blank, so a re-run
    resets anything edited away from the seed. The authority defaults to the case's lead."""
    from commissioning.models import DecisionPaper, PaperType

    unknown = set(fields) - set(PAPER_FIELDS)
    if unknown:
        raise TypeError(f"DecisionPaper has no seed field(s) {sorted(unknown)}")
    values = {
        "paper_type": PaperType.objects.get(slug=paper_type),
        "authority": authority or case.lead_commissioner,
        **PAPER_FIELDS,
        **fields,
    }
    return upsert(tally, DecisionPaper, {"case": case, "title": title}, values)


def contacts(tally, case, people) -> None:
    """``people``: (name, role, job_title, phone, email) in the paper's order."""
    from commissioning.models import CaseContact

    for order, (name, role, job_title, phone, email) in enumerate(people, start=1):
        upsert(
            tally,
            CaseContact,
            {"case": case, "name": name},
            {"role": role, "job_title": job_title, "phone": phone, "email": email, "order": order},
        )


def documents(tally, case, kind, items) -> None:
    """``items``: (label, title, url) in the paper's order."""
    from commissioning.models import CaseDocument

    for order, (label, title, url) in enumerate(items, start=1):
        upsert(
            tally,
            CaseDocument,
            {"case": case, "kind": kind, "title": title},
            {"label": label, "url": url, "order": order},
        )


def milestones(tally, case, items) -> None:
    """``items``: (title, body, due_on, precision, completed_on, note)."""
    from commissioning.models import Milestone

    for title, body, due_on, precision, completed_on, note in items:
        upsert(
            tally,
            Milestone,
            {"case": case, "title": title},
            {
                "body": body,
                "due_on": due_on,
                "precision": precision,
                "completed_on": completed_on,
                "note": note,
            },
        )


def seed_user():
    """The inactive system user the loader's history rows are attributed to."""
    user, created = get_user_model().objects.get_or_create(
        username=SEED_USERNAME,
        defaults={"is_active": False, "first_name": "Seed", "last_name": "loader"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@contextmanager
def history_user(user):
    """Attribute every history row written inside the block to ``user``.

    simple-history's own middleware puts the request on ``HistoricalRecords.context``;
    a command has no request, so we lend it one that carries only the user, and put
    back whatever was there before.
    """
    context = HistoricalRecords.context
    missing = object()
    previous = getattr(context, "request", missing)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is missing:
            del context.request
        else:
            context.request = previous
