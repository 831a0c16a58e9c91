"""`manage.py backup` and `restore` round-trip the seeded database, histories, users and uploaded
PDFs included: every table compares equal, row for row, after a flush and a restore."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from commissioning.audit import acting_as
from commissioning.backup import rows_held
from commissioning.models import Case, ChoiceList, DataGeneration, FundingContribution, PaperVersion
from commissioning.seed_cases.demo_users import DEMO_USERS
from contracts.models import Contract
from tests.factories import OrganisationFactory

# Committed, as the commands see a database: each runs its own transaction, not one inside the
# test's (PostgreSQL will not TRUNCATE tables holding rows whose checks are pending in it).
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n% Nottinghamshire cabinet paper, version 1\n%%EOF\n"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table a backup holds, ordered by key. Content types and permissions are
    named, not numbered: migrate makes them afresh. The links of many-to-many fields (Django's
    auto-created tables) are compared as links: their own row ids are referred to by nothing, and
    loading makes them anew, as Django's fixtures always have."""
    content_types = {c.pk: (c.app_label, c.model) for c in ContentType.objects.all()}
    permissions = {
        p.pk: (p.content_type.app_label, p.codename)
        for p in Permission.objects.select_related("content_type")
    }
    names = {ContentType: content_types, Permission: permissions}
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model in (ContentType, Permission, Session, DataGeneration, ChoiceList):
            continue  # the kept filter choices are worked out again, not backed up
        fields = model._meta.concrete_fields
        if model._meta.auto_created:
            fields = [f for f in fields if not f.primary_key]
        rows = [
            tuple(
                names[f.related_model].get(value) if f.is_relation and f.related_model in names else value
                for f, value in zip(fields, row, strict=True)
            )
            for row in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        ]
        tables[model._meta.db_table] = sorted(rows) if model._meta.auto_created else rows
    return tables


@pytest.fixture
def seeded(settings, tmp_path):
    """The five seed cases and the demo users, then a few changes an officer makes, each with
    its history: a partner added to a contract, a funding figure changed, a paper PDF stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # load_demo_users refuses otherwise
    call_command("load_seed_cases", verbosity=0)
    call_command("load_demo_users", verbosity=0)
    settings.DEBUG = False
    officer = get_user_model().objects.get(username="notts.officer")
    case = Case.objects.get(reference="notts-2011")
    with acting_as(officer):
        contract = Contract.objects.filter(case=case).first() or Contract.objects.first()
        contract.commissioners.add(OrganisationFactory(name="Stoke-on-Trent City Council"))
        contribution = FundingContribution.objects.filter(service__cases=case).first()
        contribution.amount += Decimal("1000")
        contribution.save()
        paper = case.papers.first()
        version = PaperVersion.objects.create(
            paper=paper,
            number=paper.versions.count() + 1,
            html="<p>Paper</p>",
            data_hash="0" * 64,
            generated_by=officer,
        )
        version.pdf.save("paper.pdf", ContentFile(PDF))
    return version


def test_backup_flush_restore_loses_nothing(seeded, settings, tmp_path):
    before = snapshot()
    # The histories are there to lose: the officer's changes and the seed loader's.
    assert len(before["contracts_historicalcontract_commissioners"]) > 0
    assert len(before["commissioning_historicalfundingcontribution"]) > 0
    assert len(before["commissioning_historicalpaperversion"]) > 0
    # The seed loader's user, the admin and the demo logins of DEMO_USERS.
    assert len(before["auth_user"]) == 1 + 1 + len(DEMO_USERS)
    pdf = seeded.pdf.path

    call_command("backup", str(tmp_path / "backup.zip"))
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert rows_held() == {}

    call_command("restore", str(tmp_path / "backup.zip"))
    assert snapshot() == before
    with open(pdf, "rb") as restored:
        assert restored.read() == PDF


def test_backup_holds_times_to_the_microsecond(seeded, tmp_path):
    call_command("backup", str(tmp_path / "backup.zip"))
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        rows = json.loads(archive.read("data.json"))
        manifest = json.loads(archive.read("manifest.json"))
    version = next(r for r in rows if r["model"] == "commissioning.paperversion" and r["pk"] == seeded.pk)
    assert version["fields"]["requested_at"] == seeded.requested_at.isoformat()
    assert manifest["media"] == [seeded.pdf.name]


def test_restore_refuses_a_database_that_holds_data(seeded, tmp_path):
    call_command("backup", str(tmp_path / "backup.zip"))
    with pytest.raises(CommandError, match=r"already holds [\d,]+ rows in \d+ tables.*--force"):
        call_command("restore", str(tmp_path / "backup.zip"))


def test_forced_restore_replaces_everything(seeded, tmp_path):
    before = snapshot()
    call_command("backup", str(tmp_path / "backup.zip"))
    Case.objects.get(reference="notts-2011").delete()
    OrganisationFactory(name="Made after the backup")
    call_command("restore", str(tmp_path / "backup.zip"), force=True)
    assert snapshot() == before


def rewrite(source, target, changes: dict[str, bytes]):
    """A copy of the backup ``source`` with some of its parts replaced or added."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()} | changes
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def test_restore_refuses_a_backup_from_other_migrations(seeded, tmp_path):
    call_command("backup", str(tmp_path / "backup.zip"))
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["migrations"].append(["commissioning", "9999_from_the_future"])
    rewrite(tmp_path / "backup.zip", tmp_path / "newer.zip", {"manifest.json": json.dumps(manifest).encode()})
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(
        CommandError, match="In the backup, not applied here: commissioning.9999_from_the_future"
    ):
        call_command("restore", str(tmp_path / "newer.zip"))


def test_restore_refuses_files_outside_the_media_folder(seeded, tmp_path, settings):
    call_command("backup", str(tmp_path / "backup.zip"))
    rewrite(tmp_path / "backup.zip", tmp_path / "evil.zip", {"media/../evil.txt": b"outside"})
    before = snapshot()
    with pytest.raises(CommandError, match="outside the media folder"):
        call_command("restore", str(tmp_path / "evil.zip"), force=True)
    assert snapshot() == before
    assert not (tmp_path / "evil.txt").exists()


def test_a_failed_restore_changes_nothing(seeded, tmp_path):
    """All or nothing: a row that cannot load undoes the flush and the rows loaded before it."""
    call_command("backup", str(tmp_path / "backup.zip"))
    OrganisationFactory(name="Made after the backup")
    before = snapshot()
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        rows = json.loads(archive.read("data.json"))
    rows.append({"model": "commissioning.case", "pk": 999999, "fields": {"lead_commissioner": 999999}})
    rewrite(tmp_path / "backup.zip", tmp_path / "broken.zip", {"data.json": json.dumps(rows).encode()})
    with pytest.raises(Exception):  # noqa: B017 - whichever error the database raises
        call_command("restore", str(tmp_path / "broken.zip"), force=True)
    assert snapshot() == before


def test_backup_never_overwrites_a_file(seeded, tmp_path):
    (tmp_path / "backup.zip").write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "backup.zip"))
    assert (tmp_path / "backup.zip").read_bytes() == b"yesterday's backup"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="another process cannot open the SQLite test database, which lives in memory",
)
def test_backup_command_reads_one_snapshot_on_postgresql(tmp_path):
    """As an operator runs it, outside any transaction: it starts its own at REPEATABLE READ."""
    OrganisationFactory(name="Nottinghamshire County Council")
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path / "backup.zip")],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "true", "MEDIA_ROOT": str(tmp_path / "media")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        rows = json.loads(archive.read("data.json"))
    assert [r["fields"]["name"] for r in rows if r["model"] == "commissioning.organisation"] == [
        "Nottinghamshire County Council"
    ]
