"""What the case file tests share: reading a file as data, and emptying the database between an
export and its import, as a new installation would be."""

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from ruamel.yaml import YAML

APPS = ("commissioning", "contracts", "consultations")
# What a new installation holds before any case is loaded: the paper types (migrations and
# ``ensure_default_paper_types`` make them) and no case data.
KEEP = {"commissioning.PaperType", "commissioning.SectionDefinition"}


def as_data(text: str):
    """The file's content without its comments or layout: what an export must give back."""
    return YAML(typ="safe").load(text)


def empty_database():
    """Delete every row of the three apps but the paper types, inside the test's transaction.

    Rows are deleted model by model; one a protected foreign key still holds is tried again once
    the rows pointing at it are gone. A decision taken under another's delegation protects that
    delegation, which its own decision holds: that circle is cut first.
    """
    from commissioning.models import Decision

    Decision.objects.update(uses_delegation=None)
    remaining = [
        m
        for m in apps.get_models()
        if m._meta.app_label in APPS and m._meta.label not in KEEP and not m._meta.auto_created
    ]
    for _ in range(len(remaining) + 1):
        blocked = []
        for model in remaining:
            try:
                with transaction.atomic():
                    model._default_manager.all().delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                blocked.append(model)
        if not blocked:
            return
        remaining = blocked
    raise AssertionError(f"could not empty {[m._meta.label for m in remaining]}")
