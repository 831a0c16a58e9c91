"""Registers of cases, services, organisations and funding: scoping, filters, sorting,
pagination, CSV and Excel downloads, and a fixed number of queries per page.

Figures come from the seeds: Leicestershire County's £231,300 of an £826,000 contract is 28%
(seed 002); Staffordshire's £670,450 uplifted 2% is £683,860 (seed 001).
"""

import csv
import html
import io
import re
import tempfile
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Case, FundingContribution, Organisation, Service
from tests.factories import (
    AreaFactory,
    BudgetHolderFactory,
    CaseFactory,
    ContractFactory,
    FundingContributionFactory,
    OrganisationFactory,
    ServiceFactory,
)
from tests.form_errors import assert_error_next_to

# Helpers shared with the contracts and consultations register tests.


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # A CSV download is streamed: getvalue() reads it all.
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def xlsx_rows(client, url) -> list[dict]:
    """Ask for the register's Excel download as its button does (a POST to the register with the
    page's query string), let the worker write it at once, and read the file from the export's page."""
    with override_settings(TASKS=IMMEDIATE_TASKS, MEDIA_ROOT=tempfile.mkdtemp(prefix="exports-")):
        response = client.post(url, {"export": "xlsx"})
        assert response.status_code == 302
        job_page = client.get(response["Location"])
        assertContains(job_page, "Your file is ready")
        download = re.search(r'href="([^"]+/download/)"', job_page.content.decode()).group(1)
        response = client.get(download)
        assert response.status_code == 200
        assert "spreadsheetml" in response["Content-Type"]
        content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def table_rows(response) -> list[str]:
    """The body rows of the register table, as the text of each row."""
    page = response.content.decode()
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def first_cells(response) -> list[str]:
    return [row.split(" ")[0] for row in table_rows(response)]


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.getvalue()  # a streamed download runs its queries as it is read
    assert response.status_code == 200
    return len(queries)


# Data: a Staffordshire officer sees the county's own case and Stoke's case it is a partner in,
# never Dorset's.


@pytest.fixture
def stoke(db):
    return OrganisationFactory(
        name="Stoke-on-Trent City Council", short_name="SOTCC", kind=Organisation.Kind.CITY_COUNCIL
    )


@pytest.fixture
def cases(organisation, other_organisation, stoke):
    north = AreaFactory(name="Cannock Chase")
    south = AreaFactory(name="Tamworth")
    refuge = ServiceFactory(
        commissioner=organisation, name="Staffordshire refuge", service_type=Service.Type.REFUGE
    )
    refuge.areas.add(north)
    idva = ServiceFactory(commissioner=stoke, name="Stoke IDVA service", service_type=Service.Type.IDVA)
    idva.areas.add(south)

    staffs = CaseFactory(
        reference="staffs-2022",
        title="Recommissioning domestic abuse services",
        lead_commissioner=organisation,
        stage=Case.Stage.PROCUREMENT,
        current_risk="medium",
    )
    staffs.services.add(refuge)
    ContractFactory(
        reference="staffs-new",
        lead_commissioner=organisation,
        case=staffs,
        starts_on=date(2023, 10, 1),
        ends_on=date(2026, 9, 30),
    )
    joint = CaseFactory(
        reference="stoke-2021",
        title="Joint IDVA review",
        lead_commissioner=stoke,
        stage=Case.Stage.REVIEW,
        current_risk="low",
    )
    joint.partners.add(organisation)
    joint.services.add(idva)
    ContractFactory(
        reference="stoke-old",
        lead_commissioner=stoke,
        case=joint,
        starts_on=date(2019, 4, 1),
        ends_on=date(2022, 3, 31),
    )
    CaseFactory(
        reference="dorset-2019",
        title="Dorset domestic abuse services",
        lead_commissioner=other_organisation,
        stage=Case.Stage.DECISION,
        current_risk="low",
    )
    return {"north": north, "south": south, "refuge": refuge, "idva": idva}


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


REGISTERS = [
    "commissioning:case-list",
    "commissioning:service-list",
    "commissioning:organisation-list",
    "commissioning:funding-list",
]


@pytest.mark.parametrize("name", REGISTERS)
def test_register_needs_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", REGISTERS)
def test_register_page_for_an_officer(officer_client, cases, name):
    response = officer_client.get(reverse(name))
    assertContains(response, '<table class="govuk-table govuk-!-font-size-16">')
    assertContains(response, "Download CSV")
    assertContains(response, "Download Excel (.xlsx)")


# Cases


def test_case_register_shows_only_visible_cases(officer_client, cases):
    response = officer_client.get(reverse("commissioning:case-list"))
    assert sorted(first_cells(response)) == ["staffs-2022", "stoke-2021"]
    assertNotContains(response, "dorset-2019")
    assertContains(response, "2 cases")
    assertContains(response, f'href="{reverse("commissioning:case-detail", args=["staffs-2022"])}"')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=procurement", ["staffs-2022"]),
        ("risk=low", ["stoke-2021"]),  # Dorset's low-risk case stays hidden
        ("service_type=idva", ["stoke-2021"]),
        ("q=recommissioning", ["staffs-2022"]),
        ("ends_after=2026-01-01", ["staffs-2022"]),
        ("ends_before=2022-12-31", ["stoke-2021"]),
        ("ends_after=2022-01-01&ends_before=2022-12-31", ["stoke-2021"]),
        ("ends_after=2023-01-01&ends_before=2023-12-31", []),
    ],
)
def test_case_register_filters(officer_client, cases, query, expected):
    response = officer_client.get(f"{reverse('commissioning:case-list')}?{query}")
    refs = first_cells(response) if expected else []
    if not expected:
        assertContains(response, "No rows match these filters.")
    assert sorted(refs) == expected


def test_case_register_filters_by_commissioner_and_area(officer_client, cases, organisation, stoke):
    url = reverse("commissioning:case-list")
    # Stoke leads one case; Staffordshire leads one and is a partner in the other.
    assert first_cells(officer_client.get(f"{url}?commissioner={stoke.pk}")) == ["stoke-2021"]
    assert sorted(first_cells(officer_client.get(f"{url}?commissioner={organisation.pk}"))) == [
        "staffs-2022",
        "stoke-2021",
    ]
    assert first_cells(officer_client.get(f"{url}?area={cases['north'].pk}")) == ["staffs-2022"]


def test_case_register_rejects_a_date_that_is_not_real(officer_client, cases):
    response = officer_client.get(f"{reverse('commissioning:case-list')}?ends_after=2023-02-30")
    assertContains(response, "Enter a real date for the start of the range")
    assertContains(response, "govuk-form-group--error")


def test_case_register_sorts(officer_client, cases):
    url = reverse("commissioning:case-list")
    assert first_cells(officer_client.get(f"{url}?sort=reference")) == ["staffs-2022", "stoke-2021"]
    response = officer_client.get(f"{url}?sort=-reference")
    assert first_cells(response) == ["stoke-2021", "staffs-2022"]
    assertContains(response, 'aria-sort="descending"')
    # Stage sorts in the order of the cycle (review before procurement), not alphabetically.
    assert first_cells(officer_client.get(f"{url}?sort=stage")) == ["stoke-2021", "staffs-2022"]
    assert first_cells(officer_client.get(f"{url}?sort=-stage")) == ["staffs-2022", "stoke-2021"]


def test_case_register_csv_is_the_filtered_rows(officer_client, cases):
    url = reverse("commissioning:case-list")
    rows = csv_rows(officer_client.get(f"{url}?stage=procurement&export=csv"))
    assert [r["Reference"] for r in rows] == ["staffs-2022"]
    assert rows[0]["Lead commissioner"] == "Staffordshire County Council"
    assert rows[0]["Stage"] == "Procurement"
    assert rows[0]["Contract ends"] == "2026-09-30"
    # Everything visible, nothing else.
    rows = csv_rows(officer_client.get(f"{url}?export=csv"))
    assert sorted(r["Reference"] for r in rows) == ["staffs-2022", "stoke-2021"]
    assert next(r for r in rows if r["Reference"] == "stoke-2021")["Partners"] == "SCC"


def test_case_register_xlsx_is_the_filtered_rows(officer_client, cases):
    rows = xlsx_rows(officer_client, f"{reverse('commissioning:case-list')}?risk=low")
    assert [r["Reference"] for r in rows] == ["stoke-2021"]
    assert rows[0]["Contract ends"].date() == date(2022, 3, 31)


def test_case_register_paginates_but_downloads_every_page(officer_client, organisation):
    for n in range(30):
        CaseFactory(reference=f"case-{n:02d}", lead_commissioner=organisation)
    url = reverse("commissioning:case-list")
    page_one = officer_client.get(f"{url}?sort=reference")
    assert len(table_rows(page_one)) == 25
    assertContains(page_one, 'aria-label="Page 2"')
    assertContains(page_one, "30 cases")
    page_two = officer_client.get(f"{url}?sort=reference&page=2")
    assert first_cells(page_two) == [f"case-{n:02d}" for n in range(25, 30)]
    rows = csv_rows(officer_client.get(f"{url}?sort=reference&page=2&export=csv"))
    assert [r["Reference"] for r in rows] == [f"case-{n:02d}" for n in range(30)]


# Services and funding


@pytest.fixture
def funding(organisation, other_organisation, stoke):
    """Leicestershire-style: £231,300 of an £826,000 pool is 28% (seed 002); Staffordshire's
    £670,450 in 2021-22 rising 2% to £683,860 in 2022-23 (seed 001); Dorset's service hidden."""
    county = BudgetHolderFactory(organisation=organisation, name="Adult Social Care and Health")
    pooled = ServiceFactory(
        commissioner=organisation,
        name="Integrated domestic abuse service",
        service_type=Service.Type.INTEGRATED,
        pooled_budget=Decimal("826000.00"),
        risk_high=True,
    )
    FundingContributionFactory(
        service=pooled,
        commissioner=organisation,
        budget_holder=county,
        financial_year="2019-20",
        amount=Decimal("231300.00"),
    )
    staffs = ServiceFactory(
        commissioner=organisation,
        name="Community outreach",
        service_type=Service.Type.OUTREACH,
        risk_high=False,
    )
    staffs.areas.add(AreaFactory(name="Stafford"))
    FundingContributionFactory(service=staffs, financial_year="2021-22", amount=Decimal("670450.00"))
    FundingContributionFactory(
        service=staffs, commissioner=stoke, financial_year="2022-23", amount=Decimal("683860.00")
    )
    dorset = ServiceFactory(commissioner=other_organisation, name="Dorset refuge")
    FundingContributionFactory(service=dorset, financial_year="2019-20", amount=Decimal("340000.00"))
    return {"pooled": pooled, "staffs": staffs, "dorset": dorset}


def test_service_register_shows_visible_services_with_latest_funding(officer_client, funding):
    response = officer_client.get(reverse("commissioning:service-list"))
    rows = table_rows(response)
    assert len(rows) == 2
    assertNotContains(response, "Dorset refuge")
    outreach = next(r for r in rows if r.startswith("Community outreach"))
    assert "2022-23" in outreach and "£683,860" in outreach
    assertContains(
        response, '<td class="govuk-table__cell govuk-table__cell--numeric">£683,860</td>', html=False
    )


def test_service_register_filters(officer_client, funding, stoke):
    url = reverse("commissioning:service-list")
    assert first_cells(officer_client.get(f"{url}?service_type=integrated")) == ["Integrated"]
    assert first_cells(officer_client.get(f"{url}?risk=high")) == ["Integrated"]
    area = funding["staffs"].areas.get()
    assert first_cells(officer_client.get(f"{url}?area={area.pk}")) == ["Community"]
    # Stoke manages neither service but funds Community outreach.
    assert first_cells(officer_client.get(f"{url}?commissioner={stoke.pk}")) == ["Community"]


def test_service_register_downloads(officer_client, funding):
    url = reverse("commissioning:service-list")
    rows = csv_rows(officer_client.get(f"{url}?sort=name&export=csv"))
    assert [r["Service"] for r in rows] == ["Community outreach", "Integrated domestic abuse service"]
    assert rows[0]["Funding that year"] == "683860.00"
    assert rows[0]["Latest year"] == "2022-23"
    assert rows[1]["Funding that year"] == "231300.00"
    sheet = xlsx_rows(officer_client, f"{url}?sort=name")
    assert Decimal(str(sheet[0]["Funding that year"])) == Decimal("683860")


def test_service_register_sorts_by_funding(officer_client, funding):
    url = reverse("commissioning:service-list")
    assert first_cells(officer_client.get(f"{url}?sort=latest_year_total")) == ["Integrated", "Community"]
    assert first_cells(officer_client.get(f"{url}?sort=-latest_year_total")) == ["Community", "Integrated"]


def test_funding_register_shows_amounts_and_shares(officer_client, funding):
    response = officer_client.get(f"{reverse('commissioning:funding-list')}?sort=amount")
    rows = table_rows(response)
    assert len(rows) == 3  # Dorset's contribution is not visible
    assertNotContains(response, "Dorset refuge")
    # £231,300 of the £826,000 pool is 28%.
    assert "£231,300" in rows[0] and "28%" in rows[0] and "Adult Social Care and Health" in rows[0]


def test_funding_register_filters(officer_client, funding, stoke):
    url = reverse("commissioning:funding-list")
    rows = table_rows(officer_client.get(f"{url}?financial_year=2021-22"))
    assert len(rows) == 1 and "£670,450" in rows[0]
    rows = table_rows(officer_client.get(f"{url}?commissioner={stoke.pk}"))
    assert len(rows) == 1 and "£683,860" in rows[0]
    rows = table_rows(officer_client.get(f"{url}?service_type=integrated"))
    assert len(rows) == 1 and "£231,300" in rows[0]


def test_funding_csv_and_xlsx_carry_numbers(officer_client, funding):
    url = reverse("commissioning:funding-list")
    rows = csv_rows(officer_client.get(f"{url}?sort=amount&export=csv"))
    assert [r["Amount"] for r in rows] == ["231300.00", "670450.00", "683860.00"]
    assert rows[0]["Share"] == "28"
    assert rows[0]["Year"] == "2019-20"
    # 231,300 + 670,450 + 683,860 = 1,585,610
    assert sum(Decimal(r["Amount"]) for r in rows) == Decimal("1585610.00")
    sheet = xlsx_rows(officer_client, f"{url}?sort=amount")
    assert [Decimal(str(r["Amount"])) for r in sheet] == [
        Decimal("231300"),
        Decimal("670450"),
        Decimal("683860"),
    ]
    assert all(isinstance(r["Amount"], int | float) for r in sheet)


def test_funding_csv_of_a_filter(officer_client, funding):
    rows = csv_rows(
        officer_client.get(f"{reverse('commissioning:funding-list')}?financial_year=2022-23&export=csv")
    )
    assert [(r["Funder"], r["Amount"]) for r in rows] == [("Stoke-on-Trent City Council", "683860.00")]


# Organisations


def test_organisation_register_lists_every_organisation_providers_changeable(
    officer_client, organisation, other_organisation
):
    charity = OrganisationFactory(
        name="Women's Aid Leicestershire", short_name="WAL", kind=Organisation.Kind.CHARITY
    )
    response = officer_client.get(reverse("commissioning:organisation-list"))
    assertContains(response, "Dorset Council")  # public bodies are not scoped
    assertContains(response, "Women&#x27;s Aid Leicestershire")
    # Providers are shared reference data any officer keeps; commissioners are not changed here.
    assertContains(response, "/edit/", count=1)
    assertContains(response, reverse("commissioning:provider-update", args=[charity.pk]))
    providers = officer_client.get(f"{reverse('commissioning:organisation-list')}?role=provider")
    assert [r.split(" Charity")[0] for r in table_rows(providers)] == ["Women's Aid Leicestershire WAL"]
    rows = csv_rows(
        officer_client.get(f"{reverse('commissioning:organisation-list')}?role=commissioner&export=csv")
    )
    assert sorted(r["Name"] for r in rows) == ["Dorset Council", "Staffordshire County Council"]
    assert {r["Role"] for r in rows} == {"Commissioner"}


# Service page


def test_service_page_shows_funding_by_year_and_shares(officer_client, funding):
    response = officer_client.get(reverse("commissioning:service-detail", args=[funding["pooled"].pk]))
    assertContains(response, "Integrated domestic abuse service")
    assertContains(response, "2019-20")
    assertContains(response, "£231,300")
    assertContains(response, "28%")
    assertContains(response, "£826,000")  # the pool


def test_service_page_of_another_organisation_is_404(officer_client, funding):
    response = officer_client.get(reverse("commissioning:service-detail", args=[funding["dorset"].pk]))
    assert response.status_code == 404


# Queries do not grow with rows


def add_case(organisation, partner, service, n):
    case = CaseFactory(reference=f"q-{n:03d}", lead_commissioner=organisation, officer=None)
    case.partners.add(partner)
    case.services.add(service)
    ContractFactory(reference=f"q-contract-{n:03d}", lead_commissioner=organisation, case=case)
    return case


def add_service(organisation, area, n):
    service = ServiceFactory(commissioner=organisation, name=f"Service {n:03d}")
    service.areas.add(area)
    service.providers.add(OrganisationFactory(name=f"Provider {n}", kind=Organisation.Kind.CHARITY))
    FundingContributionFactory(service=service, amount=Decimal("1000.00"))
    FundingContributionFactory(service=service, amount=Decimal("2000.00"), financial_year="2012-13")
    return service


@pytest.mark.parametrize("export", ["", "?export=csv"])
@pytest.mark.parametrize("name", REGISTERS)
def test_queries_do_not_grow_with_rows(officer_client, organisation, stoke, name, export):
    area = AreaFactory(name="Mansfield")
    url = reverse(name) + export

    def add(n):
        service = add_service(organisation, area, n)
        add_case(organisation, stoke, service, n)
        OrganisationFactory(name=f"Consortium {n}", kind=Organisation.Kind.CONSORTIUM).members.add(stoke)

    # Each size twice: first after a change (the filter choices worked out and kept,
    # commissioning.choice_lists), then with the kept choices read back.
    add(0)
    one = [query_count(officer_client, url), query_count(officer_client, url)]
    for n in range(1, 50):
        add(n)
    fifty = [query_count(officer_client, url), query_count(officer_client, url)]
    assert one == fifty
    assert fifty[1] <= 12
    assert fifty[0] <= 16


def test_service_page_queries_do_not_grow_with_contributions(officer_client, organisation, stoke):
    service = ServiceFactory(commissioner=organisation)
    url = reverse("commissioning:service-detail", args=[service.pk])

    def add(n):
        year = f"{2000 + n % 20}-{(1 + n % 20) % 100:02d}"
        commissioner = stoke if n % 2 else organisation
        FundingContributionFactory(service=service, commissioner=commissioner, financial_year=year)
        service.areas.add(AreaFactory(name=f"Area {n}"))
        add_case(organisation, stoke, service, n)

    add(0)
    one = query_count(officer_client, url)
    for n in range(1, 50):
        add(n)
    assert query_count(officer_client, url) == one


# The search box of every register: a thousand words or one enormous word was a server error
# (SQLite: "Expression tree is too large", "LIKE or GLOB pattern too complex").
REGISTERS = [
    "commissioning:case-list",
    "commissioning:service-list",
    "commissioning:organisation-list",
    "commissioning:funding-list",
    "contracts:contract-list",
    "consultations:consultation-list",
]


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize(
    ("search", "message"),
    [
        (" ".join(["refuge"] * 1000), "Search for 10 words or fewer"),
        ("x" * 100_000, "Search must be 200 characters or less"),
        ("refuge\x00", "Search must not include null characters"),
    ],
)
def test_a_search_beyond_the_limits_is_refused_next_to_the_box(
    officer_client, cases, register, search, message
):
    response = officer_client.get(reverse(register), {"q": search, "stage": "junk"})
    assert response.status_code == 200
    assert_error_next_to(response, "id_q", message)
    # The rest of the page still works: the filters, the downloads and the (empty) table.
    assertContains(response, "Apply filters")
    assertContains(response, "Download CSV")
    assertContains(response, "No rows match these filters.")


@pytest.mark.parametrize("register", REGISTERS)
def test_ten_words_of_two_hundred_characters_are_searched(officer_client, cases, register):
    search = " ".join(["x" * 19] * 10)
    assert len(search) == 199
    response = officer_client.get(reverse(register), {"q": search})
    assert response.status_code == 200
    assertNotContains(response, "govuk-error-message")
    assertContains(response, 'maxlength="200"')


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize(
    "junk",
    [
        {"ends_after": "99999999999999999999-01-01", "ends_before": "0001-01-01"},
        {"commissioner": "99999999999999999999", "area": "1e30", "provider": "-1"},
        {"stage": "<script>", "status": "' OR 1=1 --", "kind": "\x00", "risk": "NaN"},
        {"financial_year": "9" * 40, "case": "x" * 100_000, "route": "", "role": "١"},
        {"page": "99999999999999999999", "sort": "-" * 1000, "export": "pdf"},
    ],
)
def test_other_filter_inputs_never_break_a_register(officer_client, cases, register, junk):
    assert officer_client.get(reverse(register), junk).status_code == 200


# Filter choices: only what the user can see


def option_labels(response, name) -> list[str]:
    select = response.content.decode().split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_filter_choices_list_only_what_the_user_can_see(officer_client, funding, stoke, other_organisation):
    OrganisationFactory(name="Unrelated Borough Council", kind=Organisation.Kind.CITY_COUNCIL)
    OrganisationFactory(name="Nobody's Provider", kind=Organisation.Kind.CHARITY)
    provider = OrganisationFactory(name="Staffs Women's Aid", kind=Organisation.Kind.CHARITY)
    funding["staffs"].providers.add(provider)
    AreaFactory(name="Weymouth")
    services = officer_client.get(reverse("commissioning:service-list"))
    # The county manages both services; Stoke funds one of them. Dorset's is not visible.
    assert option_labels(services, "commissioner") == [
        "Any",
        "Staffordshire County Council",
        "Stoke-on-Trent City Council",
    ]
    assert option_labels(services, "provider") == ["Any", "Staffs Women's Aid"]
    assert option_labels(services, "area") == ["Any", "Stafford"]
    funders = option_labels(officer_client.get(reverse("commissioning:funding-list")), "commissioner")
    assert "Dorset Council" not in funders and "Unrelated Borough Council" not in funders
    assert "Stoke-on-Trent City Council" in funders  # it funds one of the county's services
    # A choice the user cannot see is refused, not used to filter.
    response = officer_client.get(
        f"{reverse('commissioning:service-list')}?commissioner={other_organisation.pk}"
    )
    assertContains(response, "Select commissioner or funder from the list")


def test_funding_register_lists_the_funders_its_rows_were_counted_with(officer_client, funding, stoke):
    """The funding filter takes its Commissioner choices from the pass that counts its rows by year
    (``funders_among``): the same list as asking for the funders of the visible services (``funders``)."""
    from commissioning.filters import funders

    response = officer_client.get(reverse("commissioning:funding-list"))
    request = response.wsgi_request
    expected = ["Any", *(org.name for org in funders(request))]
    assert option_labels(response, "commissioner") == expected
    assert len(expected) > 2  # the county and Stoke at least: a list to compare, not just "Any"
    # A funder among the choices filters; one the user cannot see is refused.
    response = officer_client.get(f"{reverse('commissioning:funding-list')}?commissioner={stoke.pk}")
    assert {row.commissioner for row in response.context["table"].page.object_list.data} == {stoke}
    dorset = FundingContribution.objects.get(service__name="Dorset refuge").commissioner
    response = officer_client.get(f"{reverse('commissioning:funding-list')}?commissioner={dorset.pk}")
    assertContains(response, "Select commissioner from the list")


def test_visibility_and_default_orderings_read_indexable_branches(officer):
    from commissioning.models import FundingContribution

    # The default ordering reads this table's own columns: no join in a plain query or prefetch.
    assert "JOIN" not in str(FundingContribution.objects.all().query)
    # Each branch of the visibility filter is its own lookup (a UNION), not an OR across tables.
    sql = str(Service.objects.visible_to(officer).query)
    assert "UNION" in sql and " OR " not in sql
    assert "UNION" in str(Case.objects.visible_to(officer).query)


@pytest.mark.parametrize("sort", ["", "financial_year", "-financial_year", "amount"])
def test_funding_register_pages_a_year_at_a_time_as_if_it_paged_every_row(officer_client, organisation, sort):
    """Pages are read from the years they span (YearPaginator); they must hold the rows a plain
    page of every row would. 30 rows in 2024-25, 30 in 2023-24 and 5 in 2022-23 are pages of 25:
    page 2 spans the first two years, page 3 the last two."""
    service = ServiceFactory(commissioner=organisation, name="Countywide outreach")
    amounts = iter(range(1000, 2000, 10))
    for year, rows in (("2024-25", 30), ("2023-24", 30), ("2022-23", 5)):
        for _ in range(rows):
            FundingContributionFactory(service=service, financial_year=year, amount=Decimal(next(amounts)))
    url = reverse("commissioning:funding-list") + (f"?sort={sort}&" if sort else "?")
    ordering = {
        "": ("-financial_year", "pk"),
        "financial_year": ("financial_year", "pk"),
        "-financial_year": ("-financial_year", "-pk"),
        "amount": ("amount", "pk"),
    }[sort]
    from commissioning.models import FundingContribution

    expected = [f"£{c.amount:,.0f}" for c in FundingContribution.objects.order_by(*ordering)]
    shown = []
    for page in (1, 2, 3):
        response = officer_client.get(f"{url}page={page}")
        assert response.context["table"].caption == "65 contributions"
        shown += [re.search(r"£[\d,]+", row).group() for row in table_rows(response)]
    assert shown == expected
    assert [len(shown[:25]), len(shown[25:50]), len(shown[50:])] == [25, 25, 15]
