"""Stale forms: an edit page that was open while someone else saved must not undo their change.

Every edit form carries a version token: for the record and each row of its formsets, the id of
its newest history row (django-simple-history keeps one per save). When the form comes back, the
token is compared with the rows as they are now, inside the saving transaction; if anything moved
on, nothing is saved and the page says who changed what, and when. The refused page carries the
new token and the officer's own entries, so saving again is a choice made knowing the change.

Rows without a history table count as version 0: they never look stale.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator

from commissioning.models.approvals import person_name
from commissioning.money import format_money

FIELD_NAME = "record_version"
SALT = "commissioning.record-version"
# Bookkeeping that is not anyone's change to read about.
UNTOLD_FIELDS = {"id", "created_at", "updated_at", "version"}


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def versions_of(rows) -> dict[str, int]:
    """``{"app.model:pk": newest history id}`` for each saved row; one query per model."""
    by_model = defaultdict(set)
    for row in rows:
        if row is not None and row.pk is not None:
            by_model[type(row)].add(row.pk)
    versions = {}
    for model, pks in by_model.items():
        label = model._meta.label_lower
        history = _history_model(model)
        latest = {}
        if history is not None:
            latest = dict(
                history.objects.filter(id__in=pks)
                .values("id")
                .annotate(v=Max("history_id"))
                .values_list("id", "v")
            )
        for pk in pks:
            versions[f"{label}:{pk}"] = latest.get(pk, 0)
    return versions


def token_for(rows) -> str:
    return signing.dumps(versions_of(rows), salt=SALT, compress=True)


def read_token(value: str) -> dict | None:
    """The versions a form was shown with; None when the token is missing or was tampered with."""
    try:
        seen = signing.loads(value or "", salt=SALT)
    except signing.BadSignature:
        return None
    return seen if isinstance(seen, dict) else None


@dataclass
class Change:
    who: str
    when: object
    what: str

    def sentence(self) -> str:
        when = timezone.localtime(self.when)
        return f"{self.who} {self.what} at {when:%H:%M} on {when.day} {when:%b %Y}"


def _describe(record) -> str:
    """What one history row did to its record, in words: which fields became what."""
    name = f"{record.instance_type._meta.verbose_name} “{Truncator(str(record.instance)).chars(60)}”"
    if record.history_type == "+":
        model = record.instance_type
        written = [
            f"{field.verbose_name} “{Truncator(value).chars(200)}”"
            for field in model._meta.concrete_fields
            if field.get_internal_type() in ("CharField", "TextField")
            and field.name not in UNTOLD_FIELDS
            and (value := str(getattr(record, field.attname, "") or "").strip())
        ]
        return f"added {name}" + (": " + "; ".join(written[:3]) if written else "")
    if record.history_type == "-":
        return f"removed {name}"
    previous = record.prev_record
    if previous is None:
        return f"changed {name}"
    parts = []
    for change in record.diff_against(previous).changes:
        if change.field in UNTOLD_FIELDS:
            continue
        try:
            label = record.instance_type._meta.get_field(change.field).verbose_name
        except Exception:  # an m2m field recorded by name
            label = change.field.replace("_", " ")
        new = change.new
        if isinstance(new, Decimal):
            new = format_money(new)
        if isinstance(new, list):
            shown = f"{len(new)} item{'s' if len(new) != 1 else ''}"
        else:
            shown = f"“{Truncator(str(new if new not in (None, '') else 'nothing')).chars(200)}”"
        parts.append(f"{label} to {shown}")
    if not parts:
        return f"changed {name}"
    return f"changed {name}: " + "; ".join(parts)


def changes_since(seen: dict, rows) -> list[Change]:
    """What happened to ``rows`` (and to rows ``seen`` that are gone) after the form was shown,
    newest first. Empty when nothing did."""
    current = versions_of(rows)
    moved = {key for key in current if seen.get(key, 0) != current[key]}
    moved |= {key for key in seen if key not in current}
    by_model = defaultdict(dict)
    for key in moved:
        label, pk = key.rsplit(":", 1)
        by_model[label][int(pk)] = seen.get(key, 0)
    from django.apps import apps

    changes = []
    for label, pks in by_model.items():
        history = _history_model(apps.get_model(label))
        if history is None:
            continue
        records = history.objects.filter(id__in=pks).select_related("history_user").order_by("history_id")
        for record in records:
            if record.history_id > pks[record.id]:
                changes.append(
                    Change(person_name(record.history_user), record.history_date, _describe(record))
                )
    if moved and not changes:
        changes.append(Change("Someone", timezone.now(), "changed it"))
    return sorted(changes, key=lambda c: c.when, reverse=True)


def stale_message(changes: list[Change]) -> list[str]:
    """The error summary's lines for a refused save."""
    lines = ["Someone else saved changes while you had this page open. Nothing you entered was saved."]
    lines += [change.sentence() + "." for change in changes[:5]]
    if len(changes) > 5:
        lines.append(f"And {len(changes) - 5} more changes.")
    lines.append("Your entries are still below: check them against these changes, then save again.")
    return lines
