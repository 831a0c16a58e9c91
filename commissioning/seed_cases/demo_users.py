"""Demonstration accounts for the seed cases: one per role the product knows, all with one password.

Only for a development machine (the command refuses unless DEBUG is on). The organisations come
from the seed cases, so ``load_seed_cases`` must have run first.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from commissioning.case_files.rows import Tally, history_user, seed_user, upsert

DEMO_PASSWORD = "demo-password-1"

# (username, organisation, role, initials, job title, case reference the user is the officer of)
DEMO_USERS = [
    ("notts.officer", "Nottinghamshire County Council", "officer", "", "Commissioning Officer", "notts-2011"),
    ("notts.manager", "Nottinghamshire County Council", "approver", "", "Group Manager", ""),
    ("notts.finance", "Nottinghamshire County Council", "finance", "DD", "Finance Officer", ""),
    ("notts.legal", "Nottinghamshire County Council", "legal", "SHB", "Legal Officer", ""),
    ("notts.admin", "Nottinghamshire County Council", "administrator", "", "Commissioning Manager", ""),
    (
        "staffs.officer",
        "Staffordshire Commissioner's Office",
        "officer",
        "",
        "Commissioning Officer",
        "staffs-2022",
    ),
    ("leics.officer", "Leicestershire County Council", "officer", "", "Commissioning Officer", "leics-2019"),
    ("dorset.officer", "Dorset Council", "officer", "", "Commissioning Officer", "dorset-2019"),
    (
        "opcc.officer",
        "Nottinghamshire Office of the Police and Crime Commissioner",
        "officer",
        "",
        "Commissioning Officer",
        "notts-foi-10653",
    ),
]


# The council areas each seed commissioner serves, as the ONS names them (used where the reference
# areas are loaded): area lists then offer these and their districts rather than all of England.
SERVES = {
    "Nottinghamshire County Council": ["Nottinghamshire"],
    "Nottinghamshire Office of the Police and Crime Commissioner": ["Nottinghamshire", "Nottingham"],
    "Staffordshire Commissioner's Office": ["Staffordshire", "Stoke-on-Trent"],
    "Leicestershire County Council": ["Leicestershire"],
    "Dorset Council": ["Dorset"],
}


class SeedCasesMissing(Exception):
    """The organisations the demo users belong to are not there yet."""


def _user(username, *, superuser=False, first_name="", last_name=""):
    user, _ = get_user_model().objects.get_or_create(username=username)
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "email": f"{username}@example.invalid",
        "is_active": True,
        "is_staff": superuser,
        "is_superuser": superuser,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    # Hash only when the password differs, so a re-run leaves the row as it was.
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if changed:
        user.save()
    return user


@transaction.atomic
def load_demo_users() -> list[tuple[str, str, str]]:
    """Create or update the demo accounts; returns (username, organisation, role) rows to print."""
    from commissioning.models import Area, Case, Organisation, Profile

    names = {row[1] for row in DEMO_USERS}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    missing = sorted(names - set(organisations))
    if missing:
        raise SeedCasesMissing(
            "Run `manage.py load_seed_cases` first: these organisations do not exist yet: "
            + "; ".join(missing)
        )
    loader = seed_user()
    # Like the seed cases, a demo account or case officer someone has changed since is kept.
    tally = Tally(loader=loader)
    rows = [("admin", "(all organisations)", "superuser")]
    with history_user(loader):
        _user("admin", superuser=True, first_name="Demo", last_name="Administrator")
        for username, org_name, role, initials, job_title, case_reference in DEMO_USERS:
            user = _user(username, first_name="Demo", last_name=job_title)
            upsert(
                tally,
                Profile,
                {"user": user},
                {
                    "organisation": organisations[org_name],
                    "role": role,
                    "initials": initials,
                    "job_title": job_title,
                },
            )
            if case_reference:
                case = Case.objects.filter(reference=case_reference).first()
                if case is not None:
                    upsert(tally, Case, {"pk": case.pk}, {"officer": user})
            rows.append((username, org_name, Profile.Role(role).label))
        for org_name, area_names in SERVES.items():
            areas = Area.objects.reference().filter(name__in=area_names)
            if organisations[org_name].serves.exists() or not areas.exists():
                continue  # set by someone since, or no reference areas loaded
            organisations[org_name].serves.set(areas)
    return rows
