"""How a case file's rows are written: idempotent upserts, tallies, history attribution.

Every write of ``import_case`` (and so of ``load_seed_cases``) goes through ``upsert``, so a
second run finds each row by its natural key and saves only what differs: primary keys stay
stable and no duplicate history rows appear.

A row someone changed since the loader last wrote it (its newest history row is not the
loader's) is kept as they left it, and so are its links: running ``make run`` again never
reverts an officer's work. ``--reset`` overwrites such rows, after listing them.
"""

from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
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

    def __init__(self, *args, reset=False, loader=None, reason=CHANGE_REASON, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason = reason  # the change reason on every history row this run writes
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


def upsert(tally: Tally, model, lookup: dict, values: dict | None = None, *, prepare=None):
    """Find ``model`` by its natural key ``lookup``; create it or bring ``values`` up to date.

    Validates with ``full_clean`` before each write, so a file's data obeys the same rules as a
    form. ``prepare(obj)`` runs just before that, for a write that is a model's own transition
    (an appraisal's status) rather than an edit.
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
    if prepare is not None:
        prepare(obj)
    obj.full_clean()
    # simple-history reads the reason from the instance (its documented ``_change_reason``).
    obj._change_reason = tally.reason
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
