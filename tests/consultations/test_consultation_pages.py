"""The consultations register and a consultation's page.

From the seeds: Nottinghamshire's 2011 consultation had 19 responses and 2 events (seed 000);
Leicestershire ran a 12-week public consultation (seed 002).
"""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Case
from consultations.models import Consultation, ConsultationEvent, OptionPreference
from tests.commissioning.test_registers import (
    csv_rows,
    first_cells,
    option_labels,
    query_count,
    table_rows,
    xlsx_rows,
)
from tests.factories import CaseFactory, ConsultationFactory, OptionFactory, OrganisationFactory


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def consultations(organisation, other_organisation):
    partner_lead = OrganisationFactory(name="Leicester City Council")
    notts = CaseFactory(reference="own-2011", lead_commissioner=organisation, stage=Case.Stage.CONSULTATION)
    llr = CaseFactory(reference="llr-2019", lead_commissioner=partner_lead, stage=Case.Stage.DECISION)
    llr.partners.add(organisation)
    dorset = CaseFactory(reference="dorset-2019", lead_commissioner=other_organisation)
    public = ConsultationFactory(
        case=notts,
        title="Domestic violence services consultation",
        kind=Consultation.Kind.PUBLIC,
        starts_on=date(2011, 7, 1),
        ends_on=date(2011, 9, 23),
        minimum_weeks=12,
        response_count=19,
        channels="Web survey\nHard copy survey",
    )
    ConsultationEvent.objects.create(consultation=public, title="Stakeholder event, Mansfield", attendees=30)
    ConsultationEvent.objects.create(consultation=public, title="Stakeholder event, Nottingham", attendees=25)
    ConsultationFactory(
        case=llr,
        title="DASV proposals consultation",
        kind=Consultation.Kind.STAKEHOLDER,
        starts_on=date(2019, 2, 4),
        ends_on=date(2019, 4, 29),
        response_count=250,
    )
    hidden = ConsultationFactory(case=dorset, title="Dorset DVA survey")
    return {"public": public, "hidden": hidden, "partner_lead": partner_lead, "llr": llr}


def test_register_needs_sign_in(client, db):
    assert client.get(reverse("consultations:consultation-list")).status_code == 302


def test_register_shows_consultations_of_visible_cases_only(officer_client, consultations):
    response = officer_client.get(reverse("consultations:consultation-list"))
    rows = table_rows(response)
    assert len(rows) == 2
    assertNotContains(response, "Dorset DVA survey")
    public = next(r for r in rows if r.startswith("Domestic violence services consultation"))
    # 1 July to 23 September 2011 is 84 days: 12 weeks.
    assert "1 July 2011" in public and "23 September 2011" in public and " 12 12 19" in public
    assertContains(response, f'href="{consultations["public"].get_absolute_url()}"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=stakeholder", ["DASV"]),
        ("stage=consultation", ["Domestic"]),
        ("q=dasv", ["DASV"]),
        ("ends_after=2019-01-01", ["DASV"]),
        ("ends_before=2011-12-31", ["Domestic"]),
    ],
)
def test_register_filters(officer_client, consultations, query, expected):
    response = officer_client.get(f"{reverse('consultations:consultation-list')}?{query}")
    assert first_cells(response) == expected


def test_register_filters_by_case_and_commissioner(officer_client, consultations):
    url = reverse("consultations:consultation-list")
    assert first_cells(officer_client.get(f"{url}?commissioner={consultations['partner_lead'].pk}")) == [
        "DASV"
    ]
    assert first_cells(officer_client.get(f"{url}?case={consultations['llr'].pk}")) == ["DASV"]
    # Another organisation's case is not a choice at all.
    response = officer_client.get(url)
    assertNotContains(response, "dorset-2019")


def test_case_filter_lists_the_visible_cases_that_have_a_consultation(
    officer_client, consultations, organisation
):
    CaseFactory(reference="own-2024", lead_commissioner=organisation)  # no consultation yet
    url = reverse("consultations:consultation-list")

    def references():  # a case's label is "title (reference)"
        return [
            label.rsplit("(", 1)[1].rstrip(")")
            for label in option_labels(officer_client.get(url), "case")[1:]
        ]

    assert references() == ["llr-2019", "own-2011"]
    ConsultationFactory(case=Case.objects.get(reference="own-2024"), title="Refuge options survey")
    assert references() == ["llr-2019", "own-2011", "own-2024"]


def test_register_sorts(officer_client, consultations):
    url = reverse("consultations:consultation-list")
    assert first_cells(officer_client.get(f"{url}?sort=response_count")) == ["Domestic", "DASV"]
    response = officer_client.get(f"{url}?sort=-response_count")
    assert first_cells(response) == ["DASV", "Domestic"]
    assertContains(response, 'aria-sort="descending"')


def test_csv_and_xlsx_are_the_filtered_rows(officer_client, consultations):
    url = reverse("consultations:consultation-list")
    rows = csv_rows(officer_client.get(f"{url}?sort=starts_on&export=csv"))
    assert [r["Title"] for r in rows] == [
        "Domestic violence services consultation",
        "DASV proposals consultation",
    ]
    assert rows[0]["Responses"] == "19"
    assert rows[0]["Ends"] == "2011-09-23"
    assert rows[0]["Case"] == "own-2011"
    assert rows[1]["Lead commissioner"] == "Leicester City Council"
    filtered = csv_rows(officer_client.get(f"{url}?kind=public&export=csv"))
    assert [r["Title"] for r in filtered] == ["Domestic violence services consultation"]
    sheet = xlsx_rows(officer_client, f"{url}?kind=public")
    assert [(r["Title"], r["Responses"]) for r in sheet] == [("Domestic violence services consultation", 19)]


def test_consultation_page(officer_client, consultations):
    public = consultations["public"]
    option = OptionFactory(appraisal__case=public.case, label="B", name="North and South")
    OptionPreference.objects.create(consultation=public, option=option, respondents=11)
    response = officer_client.get(reverse("consultations:consultation-detail", args=[public.pk]))
    assertContains(response, "Domestic violence services consultation")
    assertContains(response, "1 July 2011 to 23 September 2011 (12 weeks)")
    assertContains(response, "19")
    assertContains(response, "Stakeholder event, Mansfield")
    assertContains(response, "Stakeholder event, Nottingham")
    assertContains(response, "Hard copy survey")
    assertContains(response, "Option B: North and South")


def test_consultation_page_of_another_organisation_is_404(officer_client, consultations):
    url = reverse("consultations:consultation-detail", args=[consultations["hidden"].pk])
    assert officer_client.get(url).status_code == 404


@pytest.mark.parametrize("export", ["", "?export=csv"])
def test_queries_do_not_grow_with_rows(officer_client, organisation, export):
    url = reverse("consultations:consultation-list") + export

    def add(n):
        ConsultationFactory(case=CaseFactory(reference=f"q-{n:03d}", lead_commissioner=organisation))

    add(0)
    one = query_count(officer_client, url)
    for n in range(1, 50):
        add(n)
    assert query_count(officer_client, url) == one


def test_consultation_page_queries_do_not_grow_with_events(officer_client, organisation):
    consultation = ConsultationFactory(case=CaseFactory(lead_commissioner=organisation))
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    ConsultationEvent.objects.create(consultation=consultation, title="Event 0")
    one = query_count(officer_client, url)
    for n in range(1, 50):
        ConsultationEvent.objects.create(consultation=consultation, title=f"Event {n}")
    assert query_count(officer_client, url) == one
