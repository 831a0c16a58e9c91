"""Register filter choices worked out once per change of the data, not on every page.

A register's filter lists hold the areas, commissioners, providers and cases of the rows a user
may see. At national scale each reads thousands of rows (the services register's commissioners
come from some 50,000 funding rows): most of a register's database time, on every page, for
lists that change only when the data does. Every user of an organisation sees the same rows, so
a list is kept per organisation (``ChoiceList``, in the database: every app server and worker
shares it, nothing is held in one process's memory) with the data generation it was worked out
at. Any save, delete or link added or removed on a model the lists are read from (``source_models``)
starts a new generation (``DataGeneration``); a list of an older generation is worked out again
on its next use. A page reads all its lists, and the current generation, in one query.

A change inside a transaction starts a generation at once (its own transaction sees its lists
change) and another when it commits: a list worked out by another request in between, from the
data as it was before the commit, is then of an older generation.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db import connection, models, transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from commissioning.models import ChoiceList, DataGeneration

# Generations older than this many are deleted now and then (the newest is all that is read).
KEEP_GENERATIONS = 1000


def source_models() -> list[type[models.Model]]:
    """The models the choice lists (and the dashboard's selection, commissioning.dashboard) are
    read from, and their many-to-many links."""
    from commissioning.models import Area, Case, FundingContribution, Milestone, Organisation, Service
    from consultations.models import Consultation
    from contracts.models import Contract, ContractTermOption, Lot

    found = [
        *(Organisation, Area, Case, Milestone, Service, FundingContribution),
        *(Contract, ContractTermOption, Lot, Consultation),
    ]
    links = [field.remote_field.through for model in found for field in model._meta.local_many_to_many]
    return [*found, *links]


def scope_of(user) -> str | None:
    """Whose lists the user sees: their organisation's (everyone in it sees the same rows), all
    rows for a superuser, None (nothing kept) for a user with neither."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return "all"
    profile = getattr(user, "profile", None)
    return f"org{profile.organisation_id}" if profile is not None else None


def bump() -> None:
    """Start a new generation: at once, and again when the current transaction commits."""
    latest = DataGeneration.objects.create()
    if latest.pk % 100 == 0:
        DataGeneration.objects.filter(pk__lt=latest.pk - KEEP_GENERATIONS).delete()
        # Lists kept for a day (the dashboard's) are not read again after it.
        ChoiceList.objects.filter(built_at__lt=timezone.now() - timedelta(days=2)).delete()
    if connection.in_atomic_block and not any(
        callback is _bump_after_commit for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(_bump_after_commit)


def _bump_after_commit() -> None:
    DataGeneration.objects.create()


def _changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed sends pre_ and post_
        bump()


def connect() -> None:
    """Every change to a source model starts a generation (called from the app's ``ready``)."""
    for model in source_models():
        uid = f"choice-lists-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        m2m_changed.connect(_changed, sender=model, dispatch_uid=uid, weak=False)


def get_lists(user, builders: dict[str, Callable[[object], object]]) -> dict[str, object]:
    """Each named list's (pk, label) choices for the user, worked out only where the kept one is
    missing or of an older generation. ``builders`` give each list (JSON: pairs, or any value).

    One query when every list is current; the generation a list is kept with is the one read
    before it was worked out, so a change made meanwhile leaves it out of date, never wrongly current.
    """
    scope = scope_of(user)
    if scope is None:
        return {name: build(user) for name, build in builders.items()}
    keys = {f"{scope}:{name}": name for name in builders}
    latest = DataGeneration.objects.order_by("-pk").values("pk")[:1]
    kept = {
        row.key: row for row in ChoiceList.objects.filter(key__in=keys).annotate(current=Subquery(latest))
    }
    lists, stale, current = {}, [], None
    for key, name in keys.items():
        row = kept.get(key)
        if row is not None and row.generation == (row.current or 0):
            lists[name] = row.choices
            continue
        if current is None:  # read before any list is worked out (the same queries kept or not)
            current = latest_generation()
        lists[name] = builders[name](user)
        stale.append(ChoiceList(key=key, generation=current, choices=lists[name]))
    if stale:
        ChoiceList.objects.bulk_create(
            stale,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["generation", "choices", "built_at"],
        )
    return lists


def choices_of(objects: Iterable) -> list[tuple]:
    return [(obj.pk, str(obj)) for obj in objects]


def latest_generation() -> int:
    return DataGeneration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
