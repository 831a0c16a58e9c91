"""load_seed_cases puts every seed paper's facts and figures in the database, and load_demo_users
adds the demo accounts. Figures are the seed papers' own (../shared/seeds/) or hand arithmetic.

The seed load is slow next to a unit test, so it runs once for the module inside an outer
transaction that is rolled back at the end; each test's own transaction nests inside it.
"""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from commissioning import money
from commissioning.models import (
    ApprovalStep,
    Case,
    DecisionPaper,
    FundingContribution,
    PaperSection,
    SectionDefinition,
    Service,
)
from commissioning.seed_cases.demo_users import DEMO_PASSWORD
from consultations.models import Consultation
from contracts.models import Contract, FOIRequest, ReferralCount
from tests.module_data import built_once

REFERENCES = ["notts-2011", "staffs-2022", "leics-2019", "dorset-2019", "notts-foi-10653"]
APPS = ("commissioning", "contracts", "consultations", "auth")


# These two run before the module's seeded fixture exists, so the database is still empty.
@pytest.mark.django_db
def test_demo_users_refuse_before_the_seed_cases_exist(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_seed_cases"):
        call_command("load_demo_users", stdout=StringIO())


@pytest.mark.django_db
def test_demo_users_refuse_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_users", stdout=StringIO())


def load_seeds() -> str:
    out = StringIO()
    call_command("load_seed_cases", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the seeds once; returns what the command printed."""
    yield from built_once(django_db_blocker, load_seeds)


@pytest.fixture
def seeds(seeded, db):
    return seeded


def row_keys():
    """Every row of every model in the project's apps (history tables included), by primary key."""
    return {
        model._meta.label: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


def test_every_case_is_loaded_with_one_printed_line_each(seeds):
    assert sorted(Case.objects.values_list("reference", flat=True)) == sorted(REFERENCES)
    lines = seeds.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == REFERENCES
    assert all(" created, " in line and " updated" in line for line in lines)


def test_a_second_run_leaves_exactly_the_same_rows(seeds):
    before = row_keys()
    out = StringIO()
    call_command("load_seed_cases", stdout=out)
    assert row_keys() == before
    # Nothing differs, so nothing is written: no updates and no new history rows.
    for line in out.getvalue().strip().splitlines():
        assert " 0 created, 0 updated," in line and "0 links changed" in line


def test_history_is_attributed_to_the_inactive_seed_loader(seeds):
    user = get_user_model().objects.get(username="seed-loader")
    assert not user.is_active
    records = Case.history.filter(reference="notts-2011")
    # Created, then its partners and services linked (Case records those links too).
    assert {r.history_user for r in records} == {user}
    assert "load_seed_cases" in records.get(history_type="+").history_change_reason
    assert ApprovalStep.history.filter(history_user=user).count() == 3


def test_nottinghamshire_current_services_budget_holders_and_partners(seeds):
    case = Case.objects.get(reference="notts-2011")
    assert case.lead_commissioner.name == "Nottinghamshire County Council"
    assert set(case.partners.values_list("name", flat=True)) == {
        "Nottinghamshire PCT",
        "Safer Nottinghamshire Board",
        "Home Office",
    }
    rows = {}
    for service in case.services.all():
        for c in service.contributions.select_related("commissioner", "budget_holder"):
            holder = c.budget_holder.name if c.budget_holder else ""
            rows[(service.name, c.commissioner.name, holder, c.funder)] = (c.financial_year, c.amount)
    ncc = "Nottinghamshire County Council"
    asch, cfcs = "Adult Social Care and Health", "Children, Families & Cultural Services"
    year = "2011-12"
    assert rows == {
        ("4 Women's Refuges run by 4 organisations", ncc, asch, ncc): (year, Decimal("361658")),
        ("Women's Outreach and Supported Housing delivered by 4 organisations", ncc, asch, ncc): (
            year,
            Decimal("363268"),
        ),
        ("Children's outreach and support delivered by 5 organisations", ncc, cfcs, ncc): (
            year,
            Decimal("53000"),
        ),
        (
            "Children's outreach and support delivered by 5 organisations",
            "Nottinghamshire PCT",
            "",
            "Nottinghamshire PCT",
        ): (
            year,
            Decimal("36000"),
        ),
        (
            "Domestic Abuse Link Workers in Children's Social Care seconded by 3 organisations",
            ncc,
            cfcs,
            ncc,
        ): (
            year,
            Decimal("75000"),
        ),
        ("MARACs for High Risk victims delivered by 2 organisations", ncc, "Community Safety", ncc): (
            year,
            Decimal("120000"),
        ),
        (
            "MARACs for High Risk victims delivered by 2 organisations",
            "Safer Nottinghamshire Board",
            "",
            "Safer Nottinghamshire Board Partners and the Home Office",
        ): (year, Decimal("155500")),
    }
    refuges = case.services.get(name__startswith="4 Women's Refuges")
    assert (refuges.service_type, refuges.delivering_organisations) == ("refuge", 4)
    # The County's own money: 361,658 + 363,268 + 53,000 + 75,000 + 120,000 = 972,926.
    assert FundingContribution.objects.filter(service__cases=case, commissioner__name=ncc).total() == Decimal(
        "972926"
    )


def test_nottinghamshire_options_consultation_comments_and_contracts(seeds):
    case = Case.objects.get(reference="notts-2011")
    appraisal = case.appraisals.get()
    options = {o.label: o for o in appraisal.options.all()}
    assert [(label, o.name, o.providers_label) for label, o in options.items()] == [
        ("A", "Single County model", "1 service provider"),
        ("B", "North and South model", "1-2 service providers"),
        ("C", "Three Area model", "1-3 service providers"),
        ("D", "Four Area model", "1-4 service providers"),
    ]
    assert appraisal.recommended_option == options["B"]
    assert len(appraisal.reasons) == 3
    assert appraisal.reasons[0].startswith("It aligns services directly with MARAC")
    assert options["C"].reason_not_chosen.startswith("There was considerable support for Option C")
    lots = {lot.name: sorted(a.name for a in lot.areas.all()) for lot in options["C"].lots.all()}
    assert lots == {
        "North Nottinghamshire": ["Bassetlaw", "Newark and Sherwood"],
        "West Nottinghamshire": ["Ashfield", "Mansfield"],
        "South Nottinghamshire": ["Broxtowe", "Gedling", "Rushcliffe"],
    }
    assert sorted(a.name for a in options["B"].coverage_areas()) == [
        "Ashfield",
        "Bassetlaw",
        "Broxtowe",
        "Gedling",
        "Mansfield",
        "Newark and Sherwood",
        "Rushcliffe",
    ]

    consultation = Consultation.objects.get(case=case)
    assert (consultation.kind, consultation.minimum_weeks, consultation.response_count) == ("public", 8, 19)
    assert consultation.events.count() == 2
    assert {(p.option.label, p.respondents) for p in consultation.preferences.all()} == {
        ("B", None),
        ("C", None),
    }

    paper = case.papers.get()
    assert paper.meeting_date is None  # the seed gives no date for the decision meeting
    steps = {s.kind: s for s in ApprovalStep.objects.filter(request__paper=paper)}
    assert (steps["legal"].heading, steps["legal"].signature) == ("Constitutional Comments", "SHB 13/10/11")
    assert (steps["finance"].heading, steps["finance"].signature) == ("Financial Comments", "DD 17/10/11")
    assert steps["finance"].comment.startswith("As identified within this report, adequate budget provisions")
    assert steps["decision"].decision == ""

    milestone = case.milestones.get()
    assert (milestone.when, milestone.status()) == ("27 July 2011", "done")
    contracts = Contract.objects.filter(case=case).order_by("reference")
    assert [(c.reference, c.status) for c in contracts] == [
        ("notts-dv-north", "planned"),
        ("notts-dv-south", "planned"),
    ]
    assert [c.name for c in case.contacts.all()] == ["Ann Marie Hawkins", "Rachel Adams"]
    assert case.documents.filter(kind="background").count() == 5


def test_staffordshire_uplift_referrals_and_term(seeds):
    case = Case.objects.get(reference="staffs-2022")
    assert case.lead_commissioner.short_name == "SCO"
    assert case.lead_commissioner.kind == "opcc"
    county = FundingContribution.objects.get(
        service__cases=case, commissioner__name="Staffordshire County Council"
    )
    # £670,450 x 1.02 = £683,859, written to the nearest £10 as £683,860 for 2023-24.
    assert county.amount == Decimal("670450")
    assert county.uplifted_amount == Decimal("683860")
    assert county.uplifted_year == "2023-24"
    assert county.ring_fenced_area.name == "Staffordshire"

    victims = ReferralCount.objects.filter(service__name="Domestic Abuse Services for Victims")
    assert (
        victims.get(period_label="1/10/18 to 31/03/2022", area__name="Staffordshire and Stoke-on-Trent").count
        == 21884
    )
    assert victims.get(period_label="Past 12 months", area__name="Staffordshire").count == 4771
    perpetrators = ReferralCount.objects.filter(
        service__name__startswith="Domestic Abuse Services for Perpetrators"
    )
    assert perpetrators.get(period_label="1/10/18 to 31/03/2022", area__name="Staffordshire").count == 650
    assert ReferralCount.objects.filter(service__cases=case).count() == 8

    current = Contract.objects.get(reference="staffs-da-victims-2018")
    assert (current.starts_on, current.ends_on, current.brand_name) == (
        date(2018, 10, 1),
        date(2023, 9, 30),
        "New Era",
    )
    assert current.lead_commissioner == case.lead_commissioner
    planned = Contract.objects.get(reference="staffs-da-2023")
    assert (planned.starts_on, planned.term_summary, planned.latest_end) == (
        date(2023, 10, 1),
        "3 + 2",
        date(2028, 9, 30),
    )
    paper = case.papers.get()
    assert paper.issuing_authority.name == "Staffordshire County Council"
    assert (paper.meeting, paper.meeting_date, paper.local_member_interest) == (
        "Cabinet",
        date(2022, 10, 19),
        "N/A",
    )
    assert [m.when for m in case.milestones.all()][:2] == ["1 September 2022", "19 October 2022"]


def test_leicestershire_share_contracts_and_proposals(seeds):
    case = Case.objects.get(reference="leics-2019")
    main = Service.objects.get(name="Domestic abuse and sexual violence service")
    county = main.contributions.get(commissioner__name="Leicestershire County Council")
    # £231,300 of £826,000 is 28.0%.
    assert money.percentage(county.amount, main.pooled_budget) == 28
    assert county.share() == 28
    assert main.minimum_age == 13 and main.risk_levels == ["medium", "high"]
    uava = main.providers.get()
    assert uava.short_name == "UAVA"
    assert sorted(uava.members.values_list("name", flat=True)) == [
        "FreeVa",
        "Living Without Abuse",
        "Women's Aid Leicestershire",
    ]
    contract = Contract.objects.get(reference="leics-dasv-2015")
    assert (contract.annual_value, contract.starts_on, contract.ends_on) == (
        Decimal("826000"),
        date(2015, 12, 1),
        date(2020, 3, 31),
    )
    assert contract.lead_commissioner.name == "Leicester City Council"
    safe_places = Contract.objects.get(reference="leics-safe-places-2015")
    assert (safe_places.annual_value, safe_places.latest_end) == (Decimal("115263"), date(2020, 9, 30))
    assert Contract.objects.get(reference="leics-perpetrator-programme").procurement_route == "spot_purchase"

    top = case.appraisals.get().options.filter(parent=None)
    assert [(o.label, o.sub_options.count()) for o in top] == [
        ("(a)", 2),
        ("(b)", 4),
        ("(c)", 0),
        ("(d)", 2),
        ("(e)", 2),
        ("(f)", 0),
    ]
    public = case.consultations.get(kind="public")
    assert public.minimum_weeks == 12
    assert public.channel_list == ["Web-based survey", "Hard copy surveys", "Open public engagement events"]
    assert {m.title: m.when for m in case.milestones.all()}[
        "Cabinet: consultation outcome and final service model"
    ] == ("September 2019")
    assert case.contacts.exclude(email="").count() == 3


def test_dorset_reduction_term_units_and_timeline(seeds):
    case = Case.objects.get(reference="dorset-2019")
    service = case.services.get()
    totals = service.totals_by_year()
    assert totals == {"2019-20": Decimal("385000"), "2020-21": Decimal("340000")}
    # (340,000 - 385,000) / 385,000 = -11.69% -> -11.7%.
    assert money.change_percent(totals["2019-20"], totals["2020-21"]) == Decimal("-11.7")
    assert (service.minimum_age, service.accommodation_units, service.units_under_agreement) == (16, 16, 15)

    planned = Contract.objects.get(reference="dorset-idas-2020")
    # £340,000 a year for 24 + 12 + 12 + 12 = 60 months = £1,700,000.
    assert planned.total_value == Decimal("1700000")
    assert planned.term_summary == "2 + 1 + 1 + 1"
    assert (planned.starts_on, planned.framework_name) == (
        date(2020, 4, 1),
        "DCF Segment 2 (Innovation segment)",
    )
    current = Contract.objects.get(reference="dorset-idas-current")
    assert "Jan 2020" in current.term_note and "April 2020" in current.term_note

    assert (case.get_current_risk_display(), case.get_residual_risk_display()) == ("LOW", "LOW")
    timeline = {m.title: m.when for m in case.milestones.all()}
    assert timeline["Report to DMT"] == "27 August 2019"
    assert timeline["People Scrutiny Committee"] == "10 September 2019"
    assert timeline["Cabinet"] == "1 October 2019"
    assert timeline["Tender live"] == "November 2019"
    assert timeline["Service commences"] == "April 2020"
    assert set(case.consultations.values_list("kind", flat=True)) == {
        "stakeholder",
        "service_users",
        "providers",
        "members",
    }
    paper = case.papers.get()
    assert (paper.paper_type.slug, paper.meeting, paper.meeting_date) == (
        "committee-report",
        "People Scrutiny Committee",
        date(2019, 9, 10),
    )
    assert case.documents.filter(kind="appendix").count() == 4


def test_foi_10653_dates_value_and_questions(seeds):
    request = FOIRequest.objects.get(reference="10653")
    assert request.authority.name == "Nottinghamshire Office of the Police and Crime Commissioner"
    assert (request.received_on, request.answered_on) == (date(2013, 10, 17), date(2013, 11, 6))
    # 20 working days from Thu 17 Oct 2013 is Thu 14 Nov; the answer took 14 working days.
    assert (request.due_on, request.working_days_taken) == (date(2013, 11, 14), 14)
    assert request.answered_by == "Lisa Pearson, Office Manager"
    assert request.questions.count() == 8
    assert request.questions.get(order=5).answer == "£86,000"
    contract = request.contracts.get()
    assert (contract.annual_value, contract.procurement_route) == (Decimal("86000"), "grant")
    assert contract.term_note == "Community Safety Fund grant until 2016"
    assert "Business Case provides the rationale" in contract.route_rationale
    grant = FundingContribution.objects.get(service__contracts=contract)
    assert (grant.kind, grant.grant_ends_on) == ("grant", date(2016, 3, 31))
    assert contract.case.stage == "live"
    assert contract.providers.get().short_name == "WAIS"


PAPER_TYPES = {
    "notts-2011": "cabinet-report",
    "staffs-2022": "cabinet-report",
    "leics-2019": "cabinet-report",
    "dorset-2019": "committee-report",
    "notts-foi-10653": "foi-response",
}


def test_each_case_has_its_paper_with_required_narrative_sections_written(seeds):
    for reference, slug in PAPER_TYPES.items():
        paper = DecisionPaper.objects.get(case__reference=reference)
        assert paper.paper_type.slug == slug, reference
        required = SectionDefinition.objects.filter(
            paper_type=paper.paper_type, required=True, kind=SectionDefinition.Kind.NARRATIVE
        ).values_list("key", flat=True)
        written = dict(paper.section_texts.values_list("key", "body"))
        missing = [key for key in required if not written.get(key, "").strip()]
        assert missing == [], f"{reference} lacks {missing}"


def test_figures_the_app_computes_are_not_typed_into_data_sections(seeds):
    def body(reference, key):
        return PaperSection.objects.get(paper__case__reference=reference, key=key).body

    assert "£361,658" not in body("notts-2011", "current_services")
    assert "21,884" not in body("staffs-2022", "referrals")
    leics = body("leics-2019", "resource_implications")
    assert "28%" not in leics and "£826,000" not in leics
    for key in ("proposal", "engagement", "timeline"):
        assert "11.7" not in body("dorset-2019", key) and "£1.7m" not in body("dorset-2019", key)


def test_demo_users_are_created_once_and_given_their_cases(seeds, settings):
    settings.DEBUG = True
    # The real hasher takes about a second per password here; this test is about the rows.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("load_demo_users", stdout=out)
    before = row_keys()
    call_command("load_demo_users", stdout=StringIO())
    assert row_keys() == before
    assert "notts.finance" in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    finance = users.get(username="notts.finance")
    assert finance.check_password(DEMO_PASSWORD)
    assert (finance.profile.role, finance.profile.initials) == ("finance", "DD")
    assert users.get(username="notts.legal").profile.initials == "SHB"
    assert Case.objects.get(reference="notts-2011").officer.username == "notts.officer"
    assert Case.objects.get(reference="notts-foi-10653").officer.profile.organisation.short_name == (
        "Nottinghamshire OPCC"
    )


def officer_edits(officer):
    """What an officer changes on the seed: a milestone renamed and moved, a funding amount, the
    case's summary and a partner removed, a paper text. Returns the rows, to check afterwards."""
    from commissioning.audit import acting_as

    case = Case.objects.get(reference="notts-2011")
    with acting_as(officer):
        milestone = case.milestones.order_by("pk").first()
        milestone.title = "Cabinet decision (moved)"
        milestone.due_on = date(2011, 11, 3)
        milestone.save()
        funding = FundingContribution.objects.filter(service__cases=case).order_by("pk").first()
        funding.amount = Decimal("365000.00")
        funding.save()
        case.summary = "Summary rewritten by the officer."
        case.save()
        partner = case.partners.order_by("name").first()
        case.partners.remove(partner)
        section = PaperSection.objects.filter(paper__case=case).order_by("pk").first()
        section.body = "Rewritten by the officer."
        section.save()
    return milestone, funding, case, partner, section


def test_a_second_run_keeps_what_officers_changed(seeds):
    """Re-running the loader (make run does, every time) never reverts an officer's edits, and
    creates nothing in place of a renamed row."""
    officer = get_user_model().objects.create(username="ncc.officer", first_name="Ann", last_name="Officer")
    milestone, funding, case, partner, section = officer_edits(officer)
    before = row_keys()
    out = StringIO()
    call_command("load_seed_cases", stdout=out)
    assert "notts-2011: 0 created, 0 updated" in out.getvalue()
    assert "4 changed since loading, kept as they are" in out.getvalue()
    assert row_keys() == before
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("Cabinet decision (moved)", date(2011, 11, 3))
    assert FundingContribution.objects.get(pk=funding.pk).amount == Decimal("365000.00")
    case.refresh_from_db()
    assert case.summary == "Summary rewritten by the officer."
    assert partner not in case.partners.all()
    assert PaperSection.objects.get(pk=section.pk).body == "Rewritten by the officer."


def test_reset_lists_what_it_overwrites_and_asks_first(seeds, monkeypatch):
    officer = get_user_model().objects.create(username="ncc.officer", first_name="Ann", last_name="Officer")
    milestone, funding, case, partner, section = officer_edits(officer)
    seed_amount = FundingContribution.history.filter(id=funding.pk).order_by("history_date").first().amount

    # Answering anything but "yes" writes nothing.
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was changed."):
        call_command("load_seed_cases", "--reset", stdout=out)
    assert "--reset will overwrite 4 changed row(s):" in out.getvalue()
    assert "changed by Ann Officer on" in out.getvalue()
    assert FundingContribution.objects.get(pk=funding.pk).amount == Decimal("365000.00")

    call_command("load_seed_cases", "--reset", "--yes", stdout=StringIO())
    assert FundingContribution.objects.get(pk=funding.pk).amount == seed_amount
    milestone.refresh_from_db()
    assert milestone.title != "Cabinet decision (moved)"
    case.refresh_from_db()
    assert partner in case.partners.all()
    assert PaperSection.objects.get(pk=section.pk).body != "Rewritten by the officer."
