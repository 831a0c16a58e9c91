"""Every rule in commissioning/money.py against the seed papers' figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning import money


# Shares: Nottinghamshire's £231,300 of an £826,000 pool (seed 000).
def test_share_of_pool_is_28_percent():
    # 231,300 x 100 / 826,000 = 28.0024... -> 28
    assert money.percentage(Decimal("231300"), Decimal("826000")) == Decimal("28")


def test_share_to_one_place():
    assert money.percentage(Decimal("231300"), Decimal("826000"), places=1) == Decimal("28.0")


def test_share_of_nothing_is_none_not_zero():
    assert money.percentage(Decimal("100"), Decimal("0")) is None


def test_share_rounds_half_up():
    # 1 of 8 = 12.5% -> 13 (half up, not banker's 12)
    assert money.percentage(Decimal("1"), Decimal("8")) == Decimal("13")


# Uplifts: £670,450 + 2% (seed 000).
def test_uplift_exact_to_the_penny():
    # 670,450 x 1.02 = 683,859.00
    assert money.uplift(Decimal("670450"), Decimal("2")) == Decimal("683859.00")


def test_uplift_to_the_nearest_ten_pounds():
    assert money.uplift(Decimal("670450"), Decimal("2"), money.ROUNDING_UNITS["ten"]) == Decimal("683860")


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("683855", "ten", "683860"),  # exactly half: up
        ("683854.99", "ten", "683850"),  # a penny under half: down
        ("683845", "ten", "683850"),  # half up, not to even (banker's would give 683,840)
        ("1234.5", "pound", "1235"),
        ("1250", "hundred", "1300"),
        ("1499.99", "thousand", "1000"),
        ("0.005", "penny", "0.01"),
    ],
)
def test_round_to_is_half_up(amount, unit, expected):
    assert money.round_to(Decimal(amount), money.ROUNDING_UNITS[unit]) == Decimal(expected)


def test_rounding_units_are_decimals():
    assert all(isinstance(unit, Decimal) for unit in money.ROUNDING_UNITS.values())


# Reductions: Staffordshire £385k -> £340k (seed 001).
def test_change_from_385k_to_340k_is_minus_11_7_percent():
    # (340,000 - 385,000) / 385,000 = -11.688...% -> -11.7
    assert money.change_percent(Decimal("385000"), Decimal("340000")) == Decimal("-11.7")


def test_change_from_nothing_is_none():
    assert money.change_percent(Decimal("0"), Decimal("340000")) is None


# Multi-year totals: £340,000 a year over 2 + 1 + 1 + 1 years.
def test_five_years_at_340k_is_1_7m():
    total = money.multi_year_total(Decimal("340000"), 5)
    assert total == Decimal("1700000.00")
    assert money.format_money(total) == "£1,700,000"
    assert money.format_short(total) == "£1.7m"


def test_part_year_total_is_to_the_penny():
    # 100,000 x 7/12 = 58,333.333... -> 58,333.33
    assert money.multi_year_total(Decimal("100000"), Decimal(7) / Decimal(12)) == Decimal("58333.33")


# Writing amounts.
@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234567"), "£1,234,567"),
        (Decimal("1234567.00"), "£1,234,567"),
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("-45000"), "-£45,000"),
        (Decimal("0"), "£0"),
        (None, ""),
    ],
)
def test_format_money(amount, expected):
    assert money.format_money(amount) == expected


def test_format_money_with_pence_forced():
    assert money.format_money(Decimal("826000"), pence=True) == "£826,000.00"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("340000"), "£340k"),
        (Decimal("385000"), "£385k"),
        (Decimal("86400"), "£86.4k"),
        (Decimal("1700000"), "£1.7m"),
        (Decimal("950"), "£950"),
        (None, ""),
    ],
)
def test_format_short(amount, expected):
    assert money.format_short(amount) == expected


def test_format_percent():
    assert money.format_percent(Decimal("28")) == "28%"
    assert money.format_percent(Decimal("-11.7")) == "-11.7%"
    assert money.format_percent(None) == ""


# Reading typed amounts.
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("£1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        (" £826,000 ", Decimal("826000")),
        ("-£45,000", Decimal("-45000")),
        (340000, Decimal("340000")),
        (Decimal("670450"), Decimal("670450")),
    ],
)
def test_to_decimal_reads_typed_amounts(typed, expected):
    assert money.to_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["twelve pounds", "£", "1.234", "NaN", "Infinity"])
def test_to_decimal_refuses_what_is_not_money(typed):
    with pytest.raises(ValidationError):
        money.to_decimal(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234,567.89", Decimal("1234567.89")),
        ("£999,999,999,999.99", Decimal("999999999999.99")),
        ("£ 12", Decimal("12")),
        ("1.50", Decimal("1.50")),
    ],
)
def test_to_decimal_reads_commas_in_threes_and_the_largest_amount_stored(typed, expected):
    assert money.to_decimal(typed) == expected


INVALID = "Enter an amount in pounds, like £1,234.50"
TOO_LARGE = "Enter an amount less than £1,000,000,000,000"
COMMAS = "Enter the amount with commas only between thousands, like £1,234,567"
DIGITS = "Enter the amount using the digits 0 to 9"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # 10^28 and more raised decimal.InvalidOperation (a server error) in quantize().
        ("1e30", INVALID),
        ("9" * 40, TOO_LARGE),
        ("1" + "0" * 100_000, TOO_LARGE),
        # Exponents are not how an officer writes money, however small.
        ("1e3", INVALID),
        ("-Infinity", INVALID),
        ("sNaN", INVALID),
        # 14 digits with 2 of pence is what the database holds.
        ("1000000000000", TOO_LARGE),
        ("-£1,000,000,000,000", "Enter an amount more than -£1,000,000,000,000"),
        # Read as £123 and 1000 before.
        ("£1,2,3", COMMAS),
        ("12,34", COMMAS),
        ("1_000", INVALID),
        ("1 234", INVALID),
        # Digits Python reads but an officer does not mean: Arabic-Indic, full-width.
        ("١٢٣", DIGITS),
        ("１２３", DIGITS),
        ("0." + "0" * 100_000 + "1", "Amounts can have at most two decimal places (pence)"),
    ],
)
def test_to_decimal_refuses_with_a_message_the_officer_can_act_on(typed, message):
    with pytest.raises(ValidationError) as caught:
        money.to_decimal(typed)
    assert caught.value.messages == [message]


def test_to_decimal_holds_decimals_to_the_same_limits():
    with pytest.raises(ValidationError, match="less than £1,000,000,000,000"):
        money.to_decimal(Decimal("1e30"))
    with pytest.raises(ValidationError):
        money.to_decimal(Decimal("NaN"))


def test_to_decimal_refuses_a_float():
    with pytest.raises(TypeError, match="float"):
        money.to_decimal(1234.5)


# Financial years.
@pytest.mark.parametrize("year", ["2011-12", "2019-20", "1999-00"])
def test_financial_year_valid(year):
    money.validate_financial_year(year)


@pytest.mark.parametrize("year", ["2011-13", "2011/12", "11-12", "2011-2012", "", "2011-1"])
def test_financial_year_invalid(year):
    with pytest.raises(ValidationError) as caught:
        money.validate_financial_year(year)
    assert "like 2011-12" in caught.value.messages[0]


def test_financial_year_2011_13_names_the_value():
    with pytest.raises(ValidationError) as caught:
        money.validate_financial_year("2011-13")
    assert caught.value.messages == [
        "2011-13 is not a financial year: the second part must be the year after the first, like 2011-12"
    ]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2012, 3, 31), "2011-12"),
        (date(2012, 4, 1), "2012-13"),
        (date(2011, 4, 1), "2011-12"),
        (date(1999, 12, 31), "1999-00"),
    ],
)
def test_financial_year_of(day, year):
    assert money.financial_year_of(day) == year


def test_financial_year_start_and_next():
    assert money.financial_year_start("2011-12") == date(2011, 4, 1)
    assert money.next_financial_year("2011-12") == "2012-13"
    assert money.next_financial_year("1999-00") == "2000-01"
