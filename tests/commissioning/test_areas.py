"""Areas: the English districts and upper-tier councils loaded from the ONS lookup kept in the
repository, and the areas an organisation's officers define for themselves as groups of them."""

import csv

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.admin import AreaAdmin
from commissioning.forms import ServiceForm, limit_area_choices
from commissioning.models import Area
from commissioning.reference_data import LOOKUP_CSV, load_reference_areas
from commissioning.seed_cases import load_all
from tests.factories import AreaFactory, ProfileFactory, ServiceFactory, UserFactory
from tests.form_errors import assert_error_next_to


@pytest.fixture
def reference(db):
    load_reference_areas()


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def lookup_rows() -> list[dict]:
    """The file as the csv module reads it, apart from the loader."""
    with LOOKUP_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def codes(areas) -> list[str]:
    return sorted(a.ons_code for a in areas)


def own_area_data(name, *areas, kind="lot") -> dict:
    return {"name": name, "kind": kind, "districts": [a.pk for a in areas]}


# The reference data.
def test_the_file_holds_english_districts_only_with_their_upper_tier():
    rows = lookup_rows()
    assert list(rows[0]) == [
        "LTLA23CD",
        "LTLA23NM",
        "LTLA23NMW",
        "UTLA23CD",
        "UTLA23NM",
        "UTLA23NMW",
        "ObjectId",
    ]
    assert all(row["LTLA23CD"][:3] in {"E06", "E07", "E08", "E09"} for row in rows)
    # Each district is its own upper tier (a unitary, metropolitan or London borough) or in a county.
    assert all(row["UTLA23CD"] == row["LTLA23CD"] or row["UTLA23CD"].startswith("E10") for row in rows)
    assert len({row["LTLA23CD"] for row in rows}) == len(rows)


def test_every_district_and_county_in_the_file_becomes_a_reference_area(reference):
    rows = lookup_rows()
    counties = {row["UTLA23CD"] for row in rows if row["UTLA23CD"].startswith("E10")}
    districts = Area.objects.filter(is_reference=True, kind=Area.Kind.DISTRICT)
    assert districts.count() == len(rows)
    assert set(districts.values_list("ons_code", flat=True)) == {row["LTLA23CD"] for row in rows}
    assert Area.objects.filter(is_reference=True, kind=Area.Kind.COUNTY).count() == len(counties)
    assert Area.objects.count() == len(rows) + len(counties)

    ashfield = Area.objects.get(ons_code="E07000170")
    assert ashfield.name == "Ashfield"
    assert [(g.ons_code, g.name) for g in ashfield.groups.all()] == [("E10000024", "Nottinghamshire")]
    # The county is made of the file's Nottinghamshire rows, and nothing else.
    notts = [row["LTLA23CD"] for row in rows if row["UTLA23CD"] == "E10000024"]
    assert codes(Area.objects.get(ons_code="E10000024").districts.all()) == sorted(notts)
    assert len(notts) == 7
    # A unitary authority is a district made of nothing: Nottingham City is not in the county.
    nottingham = Area.objects.get(ons_code="E06000018")
    assert (nottingham.name, list(nottingham.districts.all()), list(nottingham.groups.all())) == (
        "Nottingham",
        [],
        [],
    )
    assert not Area.objects.filter(is_reference=True).exclude(owner=None).exists()


def test_loading_again_changes_nothing(reference):
    history = Area.history.count()
    loaded = load_reference_areas()
    assert (loaded.created, loaded.updated, loaded.unchanged) == (0, 0, Area.objects.count())
    assert Area.history.count() == history


def test_loading_again_puts_back_a_changed_reference_row(reference):
    ashfield = Area.objects.get(ons_code="E07000170")
    ashfield.name = "Ashfield District"
    ashfield.save()
    ashfield.groups.clear()
    loaded = load_reference_areas()
    assert (loaded.created, loaded.updated) == (0, 2)  # Ashfield's name, and the county's districts
    assert Area.objects.get(ons_code="E10000024").districts.filter(name="Ashfield").exists()


def test_the_command_loads_the_areas(db, capsys):
    call_command("load_reference_areas")
    assert Area.objects.filter(is_reference=True).count() == 317
    call_command("load_reference_areas")
    assert "0 added, 0 updated, 317 unchanged" in capsys.readouterr().out


def test_an_area_already_in_the_service_is_matched_by_name_not_duplicated(db):
    ashfield = AreaFactory(name="Ashfield")
    load_reference_areas()
    ashfield.refresh_from_db()
    assert (ashfield.ons_code, ashfield.is_reference) == ("E07000170", True)
    assert Area.objects.filter(name="Ashfield").count() == 1


def test_the_seed_cases_load_over_the_reference_areas_and_name_them(reference):
    load_all()
    assert Area.objects.filter(name="Ashfield").count() == 1
    south = Area.objects.get(name="South Nottinghamshire")
    assert codes(south.districts.all()) == ["E07000170", "E07000172", "E07000173", "E07000176"]
    # The seeds call Leicester a city: reference rows are matched, never changed by a seed.
    assert Area.objects.get(name="Leicester").kind == Area.Kind.DISTRICT


def test_reference_areas_are_changed_in_the_admin_by_superusers_only(reference, superuser, rf):
    staff = UserFactory(username="staff", is_staff=True)
    model_admin = AreaAdmin(Area, AdminSite())
    ashfield = Area.objects.get(ons_code="E07000170")
    own = Area.objects.create(name="Our lot", kind=Area.Kind.LOT, owner=ProfileFactory().organisation)

    def allowed(user, area):
        request = rf.get("/")
        request.user = user
        return model_admin.has_change_permission(request, area), model_admin.has_delete_permission(
            request, area
        )

    assert allowed(staff, ashfield) == (False, False)
    assert allowed(superuser, ashfield) == (True, True)
    # Anything else is left to the staff member's permissions (none here).
    assert allowed(staff, own) == (False, False)


# An organisation's own areas.
def test_an_officer_adds_changes_and_deletes_an_area_of_their_own(reference, officer_client, organisation):
    ashfield, mansfield, gedling = (
        Area.objects.get(ons_code=c) for c in ("E07000170", "E07000174", "E07000173")
    )
    response = officer_client.post(
        reverse("commissioning:area-create"), own_area_data("Lot 1 – North", ashfield, mansfield)
    )
    assertRedirects(response, reverse("commissioning:area-list"), fetch_redirect_response=False)
    lot = Area.objects.get(name="Lot 1 – North")
    assert (lot.owner, lot.kind, lot.is_reference, lot.ons_code) == (organisation, "lot", False, "")
    assert codes(lot.districts.all()) == ["E07000170", "E07000174"]

    page = officer_client.get(reverse("commissioning:area-list"))
    assertContains(page, "Lot 1 – North")
    assertContains(page, "Ashfield, Mansfield")

    response = officer_client.post(
        reverse("commissioning:area-update", args=[lot.pk]),
        own_area_data("Lot 1 – North and Gedling", ashfield, gedling, kind="locality"),
    )
    assertRedirects(response, reverse("commissioning:area-list"), fetch_redirect_response=False)
    lot.refresh_from_db()
    assert (lot.name, lot.kind, codes(lot.districts.all())) == (
        "Lot 1 – North and Gedling",
        "locality",
        ["E07000170", "E07000173"],
    )
    assert lot.history.first().history_user.username == "officer"

    response = officer_client.post(reverse("commissioning:area-delete", args=[lot.pk]))
    assertRedirects(response, reverse("commissioning:area-list"), fetch_redirect_response=False)
    assert not Area.objects.filter(pk=lot.pk).exists()
    assert Area.history.filter(id=lot.pk, history_type="-").exists()


def test_an_own_area_needs_a_name_free_and_at_least_one_district(reference, officer_client, organisation):
    Area.objects.create(name="Lot 1", kind=Area.Kind.LOT, owner=organisation)
    url = reverse("commissioning:area-create")
    ashfield = Area.objects.get(ons_code="E07000170")
    page = officer_client.post(url, own_area_data("Lot 1", ashfield))
    assert_error_next_to(page, "id_name", "Your organisation already has an area with this name")
    page = officer_client.post(url, own_area_data("Nottinghamshire", ashfield))
    assert_error_next_to(page, "id_name", "There is already a shared area with this name: enter another name")
    page = officer_client.post(url, own_area_data("Lot 2"))
    assertContains(page, "Select the districts and councils it is made of")
    # Only reference districts and councils are offered: not another area of the organisation's own.
    page = officer_client.post(
        url, {"name": "Lot 2", "kind": "lot", "districts": [Area.objects.get(name="Lot 1").pk]}
    )
    assertContains(page, "Select districts and councils it is made of from the list")
    assert Area.objects.filter(owner=organisation).count() == 1


def test_another_organisation_neither_sees_nor_uses_an_area(
    reference, client, organisation, other_officer, officer
):
    lot = Area.objects.create(name="Staffs lot", kind=Area.Kind.LOT, owner=organisation)
    lot.districts.set([Area.objects.get(ons_code="E07000192")])  # Cannock Chase
    client.force_login(other_officer)
    assertNotContains(client.get(reverse("commissioning:area-list")), "Staffs lot")
    for name in ("area-update", "area-delete"):
        assert client.get(reverse(f"commissioning:{name}", args=[lot.pk])).status_code == 404
        assert client.post(reverse(f"commissioning:{name}", args=[lot.pk])).status_code == 404
    assert Area.objects.filter(pk=lot.pk, name="Staffs lot").exists()
    # Reference areas are nobody's to change on these pages.
    ashfield = Area.objects.get(ons_code="E07000170")
    assert client.get(reverse("commissioning:area-update", args=[ashfield.pk])).status_code == 404

    # A service's areas: the reference ones and the user's organisation's own, never another's.
    theirs = ServiceFactory(commissioner=other_officer.profile.organisation)
    page = client.get(reverse("commissioning:service-update", args=[theirs.pk]))
    assertContains(page, "Cannock Chase")
    assertNotContains(page, "Staffs lot")
    form = ServiceForm(instance=theirs)
    limit_area_choices(form, other_officer)
    assert not form.fields["areas"].queryset.filter(pk=lot.pk).exists()
    assert form.fields["areas"].queryset.filter(pk=ashfield.pk).exists()
    limit_area_choices(form := ServiceForm(instance=theirs), officer)
    assert form.fields["areas"].queryset.filter(pk=lot.pk).exists()


def test_an_area_something_names_is_not_deleted_and_the_page_says_what(
    reference, officer_client, organisation
):
    lot = Area.objects.create(name="Lot 1", kind=Area.Kind.LOT, owner=organisation)
    ServiceFactory(commissioner=organisation).areas.add(lot)
    ServiceFactory(commissioner=organisation).areas.add(lot)
    sub_region = Area.objects.create(name="Sub-region", kind=Area.Kind.SUB_REGION, owner=organisation)
    sub_region.districts.add(lot)
    page = officer_client.post(reverse("commissioning:area-delete", args=[lot.pk]))
    assertContains(page, "“Lot 1” cannot be deleted: it is named by 1 larger area, 2 services.")
    assert Area.objects.filter(pk=lot.pk).exists()


def test_only_officers_and_administrators_change_areas(reference, client, organisation):
    lot = Area.objects.create(name="Lot 1", kind=Area.Kind.LOT, owner=organisation)
    approver = ProfileFactory(organisation=organisation, role="approver").user
    client.force_login(approver)
    page = client.get(reverse("commissioning:area-list"))
    assertContains(page, "Lot 1")
    assertNotContains(page, reverse("commissioning:area-update", args=[lot.pk]))
    assert client.get(reverse("commissioning:area-create")).status_code == 403
    assert client.post(reverse("commissioning:area-delete", args=[lot.pk])).status_code == 403


def test_the_list_takes_the_same_queries_however_many_areas(
    reference, officer_client, organisation, django_assert_num_queries
):
    districts = list(Area.objects.reference()[:6])

    def add(n):
        area = Area.objects.create(name=f"Lot {n}", kind=Area.Kind.LOT, owner=organisation)
        area.districts.set(districts[n : n + 2])

    add(0)
    url = reverse("commissioning:area-list")
    officer_client.get(url)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(url)
    add(1), add(2), add(3)
    with django_assert_num_queries(len(one.captured_queries)):
        page = officer_client.get(url)
    assertContains(page, "Lot 3")


# Area lists scoped to the council areas an organisation serves.
def offered_names(user, keep=()) -> set[str]:
    return set(Area.objects.offered_to(user, keep=keep).values_list("name", flat=True))


def test_area_lists_offer_the_served_areas_their_districts_and_the_organisations_own(
    reference, officer, organisation
):
    everything = offered_names(officer)
    assert len(everything) == Area.objects.count()  # nothing said yet: every area is offered
    notts = Area.objects.get(ons_code="E10000024")
    organisation.serves.set([notts, Area.objects.get(ons_code="E06000018")])  # and Nottingham
    own = Area.objects.create(name="Lot 1 – North", kind=Area.Kind.LOT, owner=organisation)
    own.districts.set(notts.districts.filter(name__in=["Ashfield", "Mansfield"]))
    # Nottinghamshire's seven districts (the lookup's rows under E10000024), the county, Nottingham
    # (a unitary: its own district), and the organisation's own lot.
    districts = {row["LTLA23NM"] for row in lookup_rows() if row["UTLA23CD"] == "E10000024"}
    assert len(districts) == 7
    assert offered_names(officer) == districts | {"Nottinghamshire", "Nottingham", "Lot 1 – North"}
    # A record's current area stays offered on its own form, even outside the served areas.
    dorset = Area.objects.get(ons_code="E06000059")
    assert "Dorset" in offered_names(officer, keep=[dorset.pk])
    form = ServiceForm(initial={"areas": [dorset]})
    form.instance.commissioner = organisation
    limit_area_choices(form, officer)
    assert "Dorset" in {a.name for a in form.fields["areas"].queryset}
    assert "Blaby" not in {a.name for a in form.fields["areas"].queryset}


def test_the_administrator_names_the_areas_served_and_a_wrong_name_is_refused(
    reference, client, organisation
):
    administrator = ProfileFactory(
        user__username="admin.notts", organisation=organisation, role="administrator"
    ).user
    client.force_login(administrator)
    url = reverse("commissioning:my-organisation-update")
    page = client.get(url)
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "serves": "nottinghamshire\nNotinghamshire",
        "record_version": page.context["record_version"],
    }
    response = client.post(url, data)
    assert_error_next_to(
        response,
        "id_serves",
        "‘Notinghamshire’ is not an English council area or district: check the spelling against the "
        "ONS name, for example Nottinghamshire",
    )
    assert not organisation.serves.exists()
    response = client.post(url, data | {"serves": "nottinghamshire, Nottingham"})
    assert response.status_code == 302
    assert codes(organisation.serves.all()) == ["E06000018", "E10000024"]
    assertContains(client.get(reverse("commissioning:my-organisation")), "Nottingham, Nottinghamshire")
