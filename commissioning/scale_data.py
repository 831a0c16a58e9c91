"""Invented data at national scale, for measuring the service (``manage.py generate_scale_data``).

The shape follows England's commissioning of domestic abuse services: about 215 commissioners
(councils, PCCs, health bodies), 600 providers, 5,000 cases, 27,000 services, 300,000 funding rows
and 20,000 contracts. One council, "Scale County Council" (officer ``scale.officer``), leads or
is a partner in about 600 cases and manages 3,500 services (about 50,000 funding rows in its
sight); "Scale Borough Council" (officer ``scale.small``) is in three cases, as a council of the
seed cases is. Every case has contracts, milestones and a consultation, so every panel and
register has rows for both officers. Councils commission in their own districts from nearby
providers and pool money with their neighbours, so a council sees its part of the country, not
all of it.

Everything comes from one ``random.Random(seed)`` and dates are counted from ``today``, so a seed
and a day give the same rows. Rows are written with ``bulk_create`` (no change history: this is
measurement data, not an officer's work).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from commissioning import choice_lists
from commissioning.models import Area, Case, FundingContribution, Milestone, Organisation, Profile, Service
from commissioning.periods import add_months
from consultations.models import Consultation
from contracts.models import Contract, ContractTermOption

FOCUS_COUNCIL = "Scale County Council"
SMALL_COUNCIL = "Scale Borough Council"
FOCUS_OFFICER = "scale.officer"
SMALL_OFFICER = "scale.small"
YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")
BATCH = 5000
# How many commissioners either side count as neighbours (partners and co-funders come from them).
NEIGHBOURS = 8


@dataclass(frozen=True)
class Scale:
    commissioners: int
    providers: int
    areas: int
    cases: int
    services: int
    funding: int
    contracts: int
    # Cases the focus council leads, those it is a partner in, and the services it manages.
    focus_led: int
    focus_partnered: int
    focus_services: int


SCALES = {
    "national": Scale(215, 600, 350, 5000, 27000, 300000, 20000, 300, 300, 3500),
    "small": Scale(50, 120, 60, 500, 2700, 30000, 2000, 30, 30, 350),
    "tiny": Scale(8, 12, 10, 24, 100, 800, 80, 3, 2, 6),
}

COMMISSIONER_KINDS = (
    Organisation.Kind.COUNTY_COUNCIL,
    Organisation.Kind.UNITARY_COUNCIL,
    Organisation.Kind.DISTRICT_COUNCIL,
    Organisation.Kind.OPCC,
    Organisation.Kind.ICB,
)
PROVIDER_KINDS = (Organisation.Kind.CHARITY, Organisation.Kind.HOUSING_ASSOCIATION, Organisation.Kind.COMPANY)


def money(rng, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 10)


class Generator:
    def __init__(self, scale: Scale, seed: int, today: date):
        self.scale, self.rng, self.today = scale, random.Random(seed), today
        self.counts: dict[str, int] = {}

    def create(self, model, rows, label=None):
        made = model.objects.bulk_create(rows, batch_size=BATCH)
        choice_lists.bump()  # rows written in bulk send no signals: the kept filter choices are out of date
        name = label or model._meta.verbose_name_plural
        self.counts[name] = self.counts.get(name, 0) + len(made)
        return made

    def link(self, through, rows, label):
        self.create(through, rows, label=label)

    @transaction.atomic
    def run(self) -> dict[str, int]:
        s, rng = self.scale, self.rng
        focus = Organisation.objects.create(name=FOCUS_COUNCIL, short_name="SCC", kind="county_council")
        small = Organisation.objects.create(name=SMALL_COUNCIL, short_name="SBC", kind="district_council")
        others = self.create(
            Organisation,
            [
                Organisation(
                    name=f"Scale Commissioner {n:03d}",
                    short_name=f"SC{n:03d}",
                    kind=rng.choice(COMMISSIONER_KINDS),
                )
                for n in range(s.commissioners - 2)
            ],
        )
        commissioners = [focus, small, *others]
        providers = self.create(
            Organisation,
            [
                Organisation(name=f"Scale Provider {n:03d}", kind=rng.choice(PROVIDER_KINDS))
                for n in range(s.providers)
            ],
        )
        areas = self.create(
            Area, [Area(name=f"Scale District {n:03d}", kind="district") for n in range(s.areas)]
        )
        self.officers(focus, small)
        self.places(commissioners, providers, areas)
        services = self.services(commissioners, providers, areas)
        cases = self.cases(focus, small, commissioners, services)
        self.funding(services, commissioners)
        self.contracts(cases, commissioners, providers, services)
        self.milestones_and_consultations(cases)
        return self.counts

    def places(self, commissioners, providers, areas):
        """Where each commissioner is: its own districts, the providers near it, its neighbours.

        Councils commission local services from local providers and pool money with neighbours,
        so a council sees its own patch and its neighbours', not the whole country's.
        """
        n = len(commissioners)
        self.index = {c.pk: i for i, c in enumerate(commissioners)}
        self.patch = {i: areas[i % len(areas) :: n] or [areas[i % len(areas)]] for i in range(n)}
        self.pool = {
            i: providers[i % len(providers) :: n] or [providers[i % len(providers)]] for i in range(n)
        }
        # A few national providers work anywhere.
        self.national = providers[: max(1, len(providers) // 30)]
        self.neighbours = {
            i: [
                commissioners[(i + d) % n]
                for d in range(-NEIGHBOURS, NEIGHBOURS + 1)
                if d and (i + d) % n != i
            ]
            for i in range(n)
        }

    def near(self, organisation) -> int:
        return self.index[organisation.pk]

    def officers(self, focus, small):
        User = get_user_model()
        for username, organisation in ((FOCUS_OFFICER, focus), (SMALL_OFFICER, small)):
            user = User.objects.create(username=username, first_name="Scale", last_name="Officer")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Profile.objects.create(user=user, organisation=organisation, job_title="Commissioning Officer")

    def services(self, commissioners, providers, areas):
        rng = self.rng
        services = self.create(
            Service,
            [
                Service(
                    commissioner=commissioners[0]
                    if n < self.scale.focus_services
                    else rng.choice(commissioners),
                    name=f"Scale service {n:05d}",
                    service_type=rng.choice(Service.Type.values),
                    risk_medium=rng.random() < 0.7,
                    risk_high=rng.random() < 0.5,
                    tier_from=rng.choice((None, 1, 2)),
                    accommodation_units=rng.choice((None, 8, 12, 20)),
                )
                for n in range(self.scale.services)
            ],
        )
        area_links, provider_links = [], []
        for service in services:
            place = self.near(service.commissioner)
            patch, pool = self.patch[place], list(dict.fromkeys(self.pool[place] + self.national))
            for area in rng.sample(patch, min(len(patch), rng.randint(1, 2))):
                area_links.append(Service.areas.through(service_id=service.pk, area_id=area.pk))
            for provider in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
                provider_links.append(
                    Service.providers.through(service_id=service.pk, organisation_id=provider.pk)
                )
        self.link(Service.areas.through, area_links, "service areas")
        self.link(Service.providers.through, provider_links, "service providers")
        self.by_commissioner = {}
        for service in services:
            self.by_commissioner.setdefault(service.commissioner_id, []).append(service)
        return services

    def cases(self, focus, small, commissioners, services):
        s, rng = self.scale, self.rng
        others = commissioners[2:]
        leads = [focus] * s.focus_led + [small] * 2
        leads += [rng.choice(others) for _ in range(s.cases - len(leads))]
        stages = [v for v in Case.Stage.values if v != Case.Stage.CLOSED]
        cases = self.create(
            Case,
            [
                Case(
                    reference=f"scale-{n:05d}",
                    title=f"Scale case {n:05d}: recommissioning domestic abuse services",
                    lead_commissioner=lead,
                    stage=rng.choice(stages),
                    current_risk=rng.choice(("", "low", "medium", "high")),
                )
                for n, lead in enumerate(leads)
            ],
        )
        # Partners are neighbours; the focus council is a partner in cases its neighbours lead first.
        partners = {
            case.pk: set(rng.sample(self.neighbours[self.near(case.lead_commissioner)], rng.randint(0, 2)))
            - {case.lead_commissioner, focus, small}
            for case in cases
        }
        not_focus = [c for c in cases if c.lead_commissioner not in (focus, small)]
        beside = set(self.neighbours[self.near(focus)])
        nearby = [c for c in not_focus if c.lead_commissioner in beside]
        farther = [c for c in not_focus if c.lead_commissioner not in beside]
        for case in (nearby + farther)[: s.focus_partnered]:
            partners[case.pk].add(focus)
        partners[not_focus[0].pk].add(small)
        self.link(
            Case.partners.through,
            [
                Case.partners.through(case_id=pk, organisation_id=o.pk)
                for pk, orgs in partners.items()
                for o in orgs
            ],
            "case partners",
        )
        self.link(
            Case.services.through,
            [
                Case.services.through(case_id=case.pk, service_id=service.pk)
                for case in cases
                for service in self.in_scope(case, services)
            ],
            "case services",
        )
        return cases

    def in_scope(self, case, services):
        """Three of the lead's own services (any three when it has fewer)."""
        own = self.by_commissioner.get(case.lead_commissioner_id, [])
        return self.rng.sample(own, 3) if len(own) >= 3 else self.rng.sample(services, 3)

    def funding(self, services, commissioners):
        rng = self.rng
        per_service, extra = divmod(self.scale.funding, len(services))
        rows = []
        for n, service in enumerate(services):
            for k in range(per_service + (n < extra)):
                nearby = self.neighbours[self.near(service.commissioner)] or commissioners
                funder = service.commissioner if k % 3 == 0 else rng.choice(nearby)
                rows.append(
                    FundingContribution(
                        service=service,
                        commissioner=funder,
                        financial_year=YEARS[k % len(YEARS)],
                        amount=money(rng, 1000, 50000),
                        kind=rng.choice(FundingContribution.Kind.values),
                    )
                )
            if len(rows) >= BATCH:
                self.create(FundingContribution, rows)
                rows = []
        self.create(FundingContribution, rows)

    def contracts(self, cases, commissioners, providers, services):
        s, rng, today = self.scale, self.rng, self.today
        rows = []
        for n in range(s.contracts):
            # The first two contracts of each case belong to it; the first ends within 18 months.
            case = cases[n // 2] if n < 2 * len(cases) else None
            ending_soon = case is not None and n % 2 == 0
            starts = today - timedelta(days=rng.randint(30, 1500))
            ends = today + timedelta(days=rng.randint(1, 500)) if ending_soon else None
            rows.append(
                Contract(
                    reference=f"scale-contract-{n:05d}",
                    title=f"Scale contract {n:05d}",
                    case=case,
                    lead_commissioner=case.lead_commissioner if case else rng.choice(commissioners),
                    status=Contract.Status.LIVE if ending_soon else rng.choice(Contract.Status.values),
                    starts_on=starts,
                    ends_on=ends if ends and ends >= starts else None,
                    initial_term_months=rng.choice((12, 24, 36)),
                    annual_value=money(rng, 5000, 60000),
                    procurement_route=rng.choice(Contract.Route.values),
                )
            )
        contracts = self.create(Contract, rows)
        self.create(
            ContractTermOption,
            [
                ContractTermOption(contract=contract, months=12, order=k)
                for contract in contracts
                for k in range(rng.randint(0, 2))
            ],
        )
        self.link(
            Contract.providers.through,
            [
                Contract.providers.through(
                    contract_id=c.pk, organisation_id=rng.choice(self.pool[self.near(c.lead_commissioner)]).pk
                )
                for c in contracts
            ],
            "contract providers",
        )
        self.link(
            Contract.services.through,
            [
                Contract.services.through(
                    contract_id=c.pk,
                    service_id=rng.choice(self.by_commissioner.get(c.lead_commissioner_id) or services).pk,
                )
                for c in contracts
            ],
            "contract services",
        )

    def milestones_and_consultations(self, cases):
        rng, today = self.rng, self.today
        self.create(
            Milestone,
            [
                Milestone(case=case, title=f"Milestone {k}", due_on=today + timedelta(days=offset))
                for case in cases
                for k, offset in enumerate((-10, 10, rng.randint(-300, 300), rng.randint(-300, 300)))
            ],
        )
        rows = []
        for case in cases:
            starts = add_months(today, -rng.randint(1, 24))
            rows.append(
                Consultation(
                    case=case,
                    title=f"Consultation on {case.reference}",
                    kind=rng.choice(Consultation.Kind.values),
                    starts_on=starts,
                    ends_on=starts + timedelta(weeks=12),
                    minimum_weeks=12,
                    response_count=rng.randint(10, 900),
                )
            )
        self.create(Consultation, rows)


def generate(scale: str, seed: int, today: date | None = None) -> dict[str, int]:
    """Add the scale's invented rows; {what: how many}. Refuses a database that has them already."""
    if Organisation.objects.filter(name=FOCUS_COUNCIL).exists():
        raise ValueError(f"This database already has scale data ({FOCUS_COUNCIL}); use an empty one.")
    return Generator(SCALES[scale], seed, today or date.today()).run()
