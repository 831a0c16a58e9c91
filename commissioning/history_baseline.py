"""For data migrations: start the history of links and paper versions from what is stored now.

When simple-history begins recording a many-to-many field, the historical rows already there
hold no snapshot of it, so the first change after the upgrade would read as every existing link
being added then, by whoever made that change. ``record_links_as_they_stand`` writes one
historical row per object that has links, holding them as they stand, with a change reason the
case history reads as a starting point rather than a change (``LINKS_BASELINE_REASON``).

``record_paper_versions`` gives each existing paper version the "created" row it would have had:
its own ``requested_at`` and ``generated_by`` say when and by whom.

Written against the migration's ``apps`` (historical models), never the live ones.
"""

from django.db import migrations
from django.utils import timezone

# Read by commissioning.audit: a row with this reason starts a history, it changes nothing.
LINKS_BASELINE_REASON = "Links as they stood when their history began"


def _copy(obj, excluded=()):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in excluded}


def record_links_as_they_stand(apps, app_label: str, model_name: str, field_names: list[str]):
    model = apps.get_model(app_label, model_name)
    historical = apps.get_model(app_label, f"Historical{model_name}")
    now = timezone.now()
    links = {}
    for name in field_names:
        through = model._meta.get_field(name).remote_field.through
        source = model._meta.get_field(name).m2m_field_name()
        for row in through.objects.all():
            links.setdefault(getattr(row, f"{source}_id"), []).append((name, row))
    for obj in model.objects.filter(pk__in=links):
        record = historical.objects.create(
            **_copy(obj),
            history_date=now,
            history_type="~",
            history_change_reason=LINKS_BASELINE_REASON,
            history_user_id=None,
        )
        for name, row in links[obj.pk]:
            snapshot = apps.get_model(app_label, f"Historical{model_name}_{name}")
            snapshot.objects.create(history=record, **_copy(row))


def forget_links_as_they_stood(apps, app_label: str, model_name: str):
    """The reverse: remove the starting rows (their snapshots go with the snapshot tables)."""
    historical = apps.get_model(app_label, f"Historical{model_name}")
    historical.objects.filter(history_change_reason=LINKS_BASELINE_REASON).delete()


def links_baseline(app_label: str, links: list[tuple[str, list[str]]]) -> migrations.RunPython:
    """The migration operation: ``links`` names each model and its newly recorded fields."""

    def forwards(apps, schema_editor):
        for model_name, field_names in links:
            record_links_as_they_stand(apps, app_label, model_name, field_names)

    def backwards(apps, schema_editor):
        for model_name, _ in links:
            forget_links_as_they_stood(apps, app_label, model_name)

    return migrations.RunPython(forwards, backwards)


def record_paper_versions(apps, schema_editor=None):
    """A migration function (so the schema editor is passed but not needed)."""
    version_model = apps.get_model("commissioning", "PaperVersion")
    historical = apps.get_model("commissioning", "HistoricalPaperVersion")
    for version in version_model.objects.exclude(pk__in=historical.objects.values("id")).order_by("pk"):
        historical.objects.create(
            **_copy(version, excluded=("html",)),
            history_date=version.requested_at,
            history_type="+",
            history_user_id=version.generated_by_id,
        )
