"""Builders shared by the appraisal, approval and audit tests: a lead council with its officer,
approver, finance and legal officers, a partner viewer, and an appraisal ready to submit.

Figures follow seed 000 (Nottinghamshire 2011): options A to D, B recommended over C, finance
comments signed "DD" and legal "SHB".
"""

from dataclasses import dataclass

import pytest

from commissioning.models import Criterion, CriticalSuccessFactor, Profile, Score
from tests.factories import (
    CaseFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ProfileFactory,
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2 costs over a second a user on these machines; these tests are not about hashing.
    Test modules import this name so it applies to them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class People:
    officer: object
    second_officer: object
    approver: object
    finance: object
    legal: object
    partner_viewer: object
    other_council_finance: object


def person(username, organisation, role, first, last, initials):
    return ProfileFactory(
        user__username=username,
        user__first_name=first,
        user__last_name=last,
        user__email=f"{username}@example.org",
        organisation=organisation,
        role=role,
        initials=initials,
    ).user


def make_people():
    notts = OrganisationFactory(name="Nottinghamshire County Council", short_name="NCC")
    pct = OrganisationFactory(name="Nottinghamshire PCT", short_name="PCT")
    leics = OrganisationFactory(name="Leicestershire County Council", short_name="LCC")
    people = People(
        officer=person("notts.officer", notts, Profile.Role.OFFICER, "Rachel", "Adams", "RA"),
        second_officer=person("notts.officer2", notts, Profile.Role.OFFICER, "Ann", "Hawkins", "AMH"),
        approver=person("notts.manager", notts, Profile.Role.APPROVER, "Mick", "Murphy", "MM"),
        finance=person("notts.finance", notts, Profile.Role.FINANCE, "David", "Dean", "DD"),
        legal=person("notts.legal", notts, Profile.Role.LEGAL, "Sarah", "Brown", "SHB"),
        partner_viewer=person("pct.viewer", pct, Profile.Role.PARTNER_VIEWER, "Paul", "Viewer", "PV"),
        other_council_finance=person("leics.finance", leics, Profile.Role.FINANCE, "Fay", "Other", "FO"),
    )
    case = CaseFactory(
        reference="notts-2011",
        title="Domestic violence reduction services",
        lead_commissioner=notts,
    )
    case.partners.add(pct)
    return people, case


def ready_appraisal(case, scorers):
    """Options A (business as usual), B and C on the short list, D dropped by a critical success
    factor; three criteria weighted 50/30/20 and scored by two scorers so that (by hand):

        B: quality 4,5 -> 4.5 x 50/5 = 45; cost 3,3 -> 18; access 5,5 -> 20; total 83.0
        C: quality 5,3 -> 4.0 x 50/5 = 40; cost 4,4 -> 24; access 4,3 -> 14; total 78.0
        A: quality 2,2 -> 20;             cost 5,5 -> 30; access 1,2 -> 6;  total 56.0

    C's quality marks differ by 2, so that pair is flagged for moderation.
    """
    appraisal = OptionAppraisalFactory(case=case, title="Options for DV reduction services")
    factor = CriticalSuccessFactor.objects.create(case=case, name="Covers every district", order=1)
    a = OptionFactory(
        appraisal=appraisal, label="A", name="Single County", order=1, is_business_as_usual=True
    )
    b = OptionFactory(appraisal=appraisal, label="B", name="North and South", order=2, max_providers=2)
    c = OptionFactory(appraisal=appraisal, label="C", name="Three Area", order=3, max_providers=3)
    d = OptionFactory(
        appraisal=appraisal,
        label="D",
        name="Four Area",
        order=4,
        max_providers=4,
        shortlisted=False,
        failed_factor=factor,
        drop_reason="Four small lots could not each sustain a refuge in every district.",
    )
    quality = Criterion.objects.create(appraisal=appraisal, name="Quality", weight=50, order=1)
    cost = Criterion.objects.create(appraisal=appraisal, name="Cost", weight=30, order=2)
    access = Criterion.objects.create(appraisal=appraisal, name="Access", weight=20, order=3)
    first, second = scorers
    marks = {
        b: {quality: (4, 5), cost: (3, 3), access: (5, 5)},
        c: {quality: (5, 3), cost: (4, 4), access: (4, 3)},
        a: {quality: (2, 2), cost: (5, 5), access: (1, 2)},
    }
    for option, by_criterion in marks.items():
        for criterion, (one, two) in by_criterion.items():
            Score.objects.create(option=option, criterion=criterion, scorer=first, score=one)
            Score.objects.create(option=option, criterion=criterion, scorer=second, score=two)
    appraisal.recommended_option = b
    appraisal.recommendation_reasons = (
        "Option B received considerable support in the consultation.\n\n"
        "Two contracts are easier to manage than three.\n\n"
        "It keeps services embedded in local communities."
    )
    appraisal.save()
    a.reason_not_chosen = "One provider for the whole county was the least favoured option."
    a.save()
    c.reason_not_chosen = "Close support, but three contracts cost more to manage."
    c.save()
    return appraisal, {"A": a, "B": b, "C": c, "D": d}
