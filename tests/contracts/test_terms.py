"""Computed contract terms and FOI deadlines, checked by hand against the seeds."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import ContractTermOption, FOIRequest
from tests.factories import ContractFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def contract_with(extensions, **fields):
    contract = ContractFactory(**fields)
    for order, months in enumerate(extensions):
        ContractTermOption.objects.create(contract=contract, months=months, order=order)
    return contract


def test_3_plus_2_from_1_october_2023():
    # 36 months from 1 Oct 2023 ends 30 Sep 2026; 24 more months end 30 Sep 2028.
    contract = contract_with([24], starts_on=date(2023, 10, 1), initial_term_months=36)
    assert contract.initial_end == date(2026, 9, 30)
    assert contract.latest_end == date(2028, 9, 30)
    assert contract.term_summary == "3 + 2"
    assert contract.full_term_months == 60


def test_2_plus_1_plus_1_plus_1_at_340k_a_year():
    # Staffordshire: 24 months from 1 Apr 2020 end 31 Mar 2022; 3 x 12 more end 31 Mar 2025.
    # £340,000 x 5 years = £1,700,000.
    contract = contract_with(
        [12, 12, 12], starts_on=date(2020, 4, 1), initial_term_months=24, annual_value=Decimal("340000")
    )
    assert contract.initial_end == date(2022, 3, 31)
    assert contract.latest_end == date(2025, 3, 31)
    assert contract.term_summary == "2 + 1 + 1 + 1"
    assert contract.total_value == Decimal("1700000.00")


def test_term_given_by_end_date_rather_than_months():
    contract = contract_with(
        [12], starts_on=date(2020, 4, 1), initial_term_months=None, ends_on=date(2022, 3, 31)
    )
    assert contract.initial_months == 24
    assert contract.term_summary == "2 + 1"
    assert contract.latest_end == date(2023, 3, 31)


def test_terms_not_in_whole_years_are_written_in_months():
    contract = contract_with([6], starts_on=date(2020, 4, 1), initial_term_months=18)
    assert contract.term_summary == "18 months + 6 months"


def test_part_year_total_value():
    # £340,000 a year for 18 months = £510,000.
    contract = contract_with([], starts_on=date(2020, 4, 1), initial_term_months=18)
    assert contract.total_value == Decimal("510000.00")


def test_no_term_gives_no_figures():
    contract = contract_with([], starts_on=None, initial_term_months=None, annual_value=Decimal("340000"))
    assert contract.latest_end is None
    assert contract.term_summary == ""
    assert contract.total_value is None
    assert contract.months_left(date(2024, 1, 1)) is None


def test_months_left_counts_to_the_initial_end():
    # 3 + 2 from 1 Oct 2023: the initial term ends 30 Sep 2026.
    contract = contract_with([24], starts_on=date(2023, 10, 1), initial_term_months=36)
    # Oct 2023 -> Sep 2026 is 35 months; 1 Jan 2026 -> Sep 2026 is 8.
    assert contract.months_left(date(2023, 10, 1)) == 35
    assert contract.months_left(date(2026, 1, 1)) == 8
    assert contract.months_left(date(2026, 10, 1)) == -1


def test_foi_10653_due_date_and_working_days_taken():
    # Received Thursday 17 Oct 2013. Working days after: 18 Oct (1), 21-25 Oct (2-6),
    # 28 Oct-1 Nov (7-11), 4-8 Nov (12-16), 11-14 Nov (17-20): due Thursday 14 Nov 2013.
    # Answered Wednesday 6 Nov: 4 Nov (12), 5 Nov (13), 6 Nov (14) -> 14 working days.
    foi = FOIRequest.objects.create(
        reference="10653",
        authority=OrganisationFactory(name="Nottinghamshire County Council"),
        subject="Domestic abuse services",
        received_on=date(2013, 10, 17),
        answered_on=date(2013, 11, 6),
    )
    assert foi.due_on == date(2013, 11, 14)
    assert foi.working_days_taken == 14


def test_foi_due_date_skips_bank_holidays():
    # Received Friday 18 Dec 2020: 25 and 28 Dec and 1 Jan are bank holidays, so the 20 working
    # days are 21-24 Dec (4), 29-31 Dec (3), 4-8 Jan (5), 11-15 Jan (5), 18-20 Jan (3): 20 Jan 2021.
    foi = FOIRequest(received_on=date(2020, 12, 18))
    assert foi.due_on == date(2021, 1, 20)
    assert foi.working_days_taken is None
