"""Backup and restore of the whole service in one zip file: every app's rows (histories, users,
approvals, background tasks) and the uploaded files under MEDIA_ROOT (paper PDFs).

The zip holds:

- ``manifest.json``: the format, when it was made, the Django version, the migrations the
  database had, and the media files;
- ``data.json``: ``dumpdata`` of every installed app, with references to content types by name
  and times to the microsecond;
- ``media/…``: every file under MEDIA_ROOT.

Left out: content types and permissions (``migrate`` makes them; the rows name them, so a
restore finds them whatever their ids there) and sessions (everyone signs in again).

A backup is one consistent snapshot even while the service runs: it reads in one transaction
(on PostgreSQL at REPEATABLE READ). A restore needs a database migrated to exactly the backup's
migrations. It refuses a database that holds any rows unless forced; then it empties and loads
in one transaction, so an error anywhere leaves the database as it was. Loading writes no
history of its own: the restored histories are the record. Files are written once the rows are
committed, replacing files of the same name and leaving any others.
"""

import json
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
# The kept filter choices and their generations are worked out again from the data
# (commissioning/choice_lists.py): a restore's own changes start a new generation.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "commissioning.datageneration",
    "commissioning.choicelist",
]
MEDIA = "media/"


# Django's JSON keeping microseconds (commissioning/backup_json.py).
serializers.register_serializer("exactjson", "commissioning.backup_json")


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why and what to do."""


def data_models() -> list:
    """The models whose rows a backup holds (what ``dumpdata`` writes with EXCLUDED left out)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
        and model._meta.managed
        and not model._meta.proxy
    ]


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def backup(path) -> dict:
    """Write the zip; returns what it holds (rows, files)."""
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data.json"
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # Every table read from one snapshot, whatever commits meanwhile. (Called inside
                # a transaction already, it reads from that one's.)
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            rows = sum(model._base_manager.count() for model in data_models())
            migrations = applied_migrations()
            call_command(
                "dumpdata",
                format="exactjson",
                use_natural_foreign_keys=True,
                exclude=EXCLUDED,
                use_base_manager=True,
                output=str(data),
                verbosity=0,
            )
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "rows": rows,
            "migrations": migrations,
            "media": [p.relative_to(root).as_posix() for p in files],
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            archive.write(data, "data.json")
            for file in files:
                archive.write(file, MEDIA + file.relative_to(root).as_posix())
    return {"rows": rows, "files": len(files)}


def rows_held() -> dict[str, int]:
    """Tables of the backed-up models that hold rows, with how many."""
    counts = {model._meta.label: model._base_manager.count() for model in data_models()}
    return {label: count for label, count in counts.items() if count}


@contextmanager
def _history_off():
    """Loading sets many-to-many links, which simple-history would record as new changes made
    now; the restored history tables already hold what happened."""
    had = hasattr(settings, "SIMPLE_HISTORY_ENABLED")
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        if had:
            settings.SIMPLE_HISTORY_ENABLED = previous
        else:
            del settings.SIMPLE_HISTORY_ENABLED


def _media_target(root: Path, name: str) -> Path:
    relative = PurePosixPath(name[len(MEDIA) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The backup holds a file outside the media folder: {name!r}.")
    return root.joinpath(*relative.parts)


def restore(path, *, force=False) -> dict:
    """Load a backup made by ``backup``; returns what it restored (rows, files)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} is not a backup made by `manage.py backup`: {error}") from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        names = set(archive.namelist())
        if not {"manifest.json", "data.json"} <= names:
            raise BackupError(f"{path} is not a backup made by `manage.py backup`: no manifest or data.")
        broken = archive.testzip()
        if broken:
            raise BackupError(f"{path} is damaged: {broken} does not match its checksum.")
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"{path} is a backup of format {manifest.get('format')}; this version reads {FORMAT}."
            )
        ours = {tuple(m) for m in applied_migrations()}
        theirs = {tuple(m) for m in manifest["migrations"]}
        if ours != theirs:
            missing = ", ".join(f"{a}.{n}" for a, n in sorted(theirs - ours)) or "none"
            extra = ", ".join(f"{a}.{n}" for a, n in sorted(ours - theirs)) or "none"
            raise BackupError(
                "The database is not at the backup's migrations. Restore with the version of the "
                "service that made the backup, then run `manage.py migrate`. "
                f"In the backup, not applied here: {missing}. Applied here, not in the backup: {extra}."
            )
        held = rows_held()
        if held and not force:
            raise BackupError(
                f"The database already holds {sum(held.values()):,} rows in {len(held)} tables. "
                "A restore replaces all of them: run it again with --force to do that."
            )
        root = Path(settings.MEDIA_ROOT)
        media = {
            name: _media_target(root, name)
            for name in archive.namelist()
            if name.startswith(MEDIA) and not name.endswith("/")
        }
        data = Path(scratch) / "data.json"
        with archive.open("data.json") as source, data.open("wb") as target:
            shutil.copyfileobj(source, target)
        with transaction.atomic(), _history_off():
            if held:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)
        for name, target in media.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
    return {"rows": manifest["rows"], "files": len(media), "created_at": manifest["created_at"]}
