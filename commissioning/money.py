"""Every money rule in one place: shares, uplifts, reductions, multi-year totals,
financial years and how amounts are written.

Amounts are always ``Decimal`` pounds. Rounding is explicit at each rule and
uses ROUND_HALF_UP, the rule councils' finance teams apply by hand.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")


# Rounding units an uplift can be written to (the seed papers round to the nearest £10).
ROUNDING_UNITS = {
    "penny": Decimal("0.01"),
    "pound": Decimal("1"),
    "ten": Decimal("10"),
    "hundred": Decimal("100"),
    "thousand": Decimal("1000"),
}


# Amounts are stored as DecimalField(max_digits=14, decimal_places=2): up to £999,999,999,999.99.
MAX_DIGITS = 14
DECIMAL_PLACES = 2
AMOUNT_LIMIT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)

# Figures as officers write them: plain digits, or grouped in threes by commas ("1,234,567").
DIGITS_IN_THREES = r"\d{1,3}(?:,\d{3})+|\d+"

# An amount: an optional minus and "£", then pounds, then pence. Nothing else: no exponents
# ("1e3"), no underscores ("1_000"), no NaN or Infinity, which Decimal() would otherwise read.
TYPED_AMOUNT_RE = re.compile(
    rf"(?P<minus>-?)(?:\s*£)?\s*(?P<pounds>{DIGITS_IN_THREES}|)(?:\.(?P<pence>\d+))?", re.ASCII
)
INVALID_AMOUNT = "Enter an amount in pounds, like £1,234.50"
TOO_MANY_PLACES = "Amounts can have at most two decimal places (pence)"


def typed_with_other_digits(text: str) -> bool:
    """True when the text has digits other than 0 to 9 ("١٢٣", "１２３").

    Python's int() and Decimal() read them as numbers, but officers never mean them: they come
    from a pasted document or a wrong keyboard, and reading them silently hides the slip.
    """
    return any(char.isdigit() and not char.isascii() for char in text)


def too_large(negative: bool) -> ValidationError:
    """The error for an amount the database cannot hold (14 digits, 2 of them pence)."""
    if negative:
        return ValidationError(f"Enter an amount more than -{format_money(AMOUNT_LIMIT)}", code="max_digits")
    return ValidationError(f"Enter an amount less than {format_money(AMOUNT_LIMIT)}", code="max_digits")


def check_amount(amount: Decimal) -> Decimal:
    """Refuse what cannot be stored as money: not a number, part pennies, £1 trillion or more."""
    if not amount.is_finite():
        raise ValidationError(INVALID_AMOUNT, code="invalid")
    if abs(amount) >= AMOUNT_LIMIT:
        raise too_large(negative=amount < 0)
    if amount != amount.quantize(PENNY):
        raise ValidationError(TOO_MANY_PLACES, code="pence")
    return amount


def to_decimal(value) -> Decimal:
    """Turn a typed amount into pounds: "£1,234.50", "1234.5", "-£45,000" and Decimal all work.

    Raises ValidationError with a message an officer can act on.
    """
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    if isinstance(value, Decimal | int):
        return check_amount(Decimal(value))
    text = str(value).strip()
    if typed_with_other_digits(text):
        raise ValidationError("Enter the amount using the digits 0 to 9", code="digits")
    match = TYPED_AMOUNT_RE.fullmatch(text)
    if not match or not (match["pounds"] or match["pence"]):
        if "," in text and TYPED_AMOUNT_RE.fullmatch(text.replace(",", "")):
            raise ValidationError(
                "Enter the amount with commas only between thousands, like £1,234,567", code="commas"
            )
        raise ValidationError(INVALID_AMOUNT, code="invalid")
    pounds = match["pounds"].replace(",", "").lstrip("0") or "0"
    pence = match["pence"] or ""
    # Judge the size and the pence on the digits, before Decimal: forty 9s or a hundred
    # thousand of them are beyond Decimal's 28-digit context, where quantize() raises.
    if len(pounds) > MAX_DIGITS - DECIMAL_PLACES:
        raise too_large(negative=bool(match["minus"]))
    if len(pence.rstrip("0")) > DECIMAL_PLACES:
        raise ValidationError(TOO_MANY_PLACES, code="pence")
    typed = f"{match['minus']}{pounds}.{pence[:DECIMAL_PLACES]}" if pence else f"{match['minus']}{pounds}"
    return check_amount(Decimal(typed))


def round_to(amount: Decimal, unit: Decimal) -> Decimal:
    """Round half up to a multiple of ``unit`` (e.g. Decimal("10") for the nearest £10)."""
    return (amount / unit).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * unit


def percentage(part: Decimal, whole: Decimal, places: int = 0) -> Decimal | None:
    """``part`` as a percentage of ``whole``: £231,300 of £826,000 is 28%.

    None when the whole is zero (a share of nothing is not 0%).
    """
    if not whole:
        return None
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(exponent, rounding=ROUND_HALF_UP)


def uplift(amount: Decimal, rate_percent: Decimal, unit: Decimal = PENNY) -> Decimal:
    """An amount raised by an inflation assumption and rounded to ``unit``.

    £670,450 at 2% is £683,859.00 exactly, written £683,860 to the nearest £10.
    """
    raised = Decimal(amount) * (HUNDRED + Decimal(rate_percent)) / HUNDRED
    return round_to(raised, unit)


def change_percent(old: Decimal, new: Decimal, places: int = 1) -> Decimal | None:
    """Signed change from ``old`` to ``new`` in percent: £385k to £340k is -11.7%."""
    if not old:
        return None
    return percentage(Decimal(new) - Decimal(old), old, places)


def multi_year_total(annual: Decimal, years) -> Decimal:
    """Annual amount times a (possibly fractional) number of years: £340k x 5 = £1.7m."""
    return (Decimal(annual) * Decimal(years)).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(amount, pence: bool | None = None) -> str:
    """£1,234,567 (whole pounds) or £1,234.50 (when there are pence, or pence=True)."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    show_pence = pence if pence is not None else amount != amount.to_integral_value()
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if show_pence:
        return f"{sign}£{amount.quantize(PENNY, rounding=ROUND_HALF_UP):,.2f}"
    return f"{sign}£{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,.0f}"


def format_short(amount) -> str:
    """Briefing style: £340k, £1.7m, £86k; below £1,000 the full amount."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= Decimal("1000000"):
        figure = (amount / Decimal("1000000")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{sign}£{figure.normalize():f}m"
    if amount >= Decimal("1000"):
        figure = (amount / Decimal("1000")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{sign}£{figure.normalize():f}k"
    return sign + format_money(amount)


def format_percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}%" if value == value.to_integral_value() else f"{value:f}%"


# Financial years run 1 April to 31 March and are written "2011-12".
FINANCIAL_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_financial_year(value: str) -> None:
    match = FINANCIAL_YEAR_RE.match(value or "")
    if not match:
        raise ValidationError(
            "Enter a financial year like 2011-12", code="financial_year", params={"value": value}
        )
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValidationError(
            "%(value)s is not a financial year: the second part must be the year after the first, "
            "like 2011-12",
            code="financial_year",
            params={"value": value},
        )


def financial_year_of(day: date) -> str:
    """The financial year a date falls in: 1 April 2011 to 31 March 2012 is "2011-12"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_start(value: str) -> date:
    validate_financial_year(value)
    return date(int(value[:4]), 4, 1)


def next_financial_year(value: str) -> str:
    start = financial_year_start(value).year + 1
    return f"{start}-{(start + 1) % 100:02d}"


# Amounts stated for a period. The source's figure is stored as stated; what follows from it is
# computed here, so a total is never kept as a rounded annual figure (nor the other way round).
def total_for_period(annual: Decimal, months: Decimal) -> Decimal:
    """An annual amount over ``months``: £150,000 a year for 36 months is £450,000."""
    return (Decimal(annual) * Decimal(months) / Decimal(12)).quantize(PENNY, rounding=ROUND_HALF_UP)


def annual_equivalent(total: Decimal, months: Decimal) -> Decimal | None:
    """What a total for ``months`` comes to a year, to the penny: £418,000 for 19 months is
    £264,000 a year. Shown beside the stated total, never stored in its place."""
    if not months:
        return None
    return (Decimal(total) * Decimal(12) / Decimal(months)).quantize(PENNY, rounding=ROUND_HALF_UP)


QUALIFIER_WORDS = {
    "exact": "",
    "up_to": "up to ",
    "about": "about ",
    "nearly": "nearly ",
    "estimated": "an estimated ",
}
VAT_WORDS = {
    "excluding": "excluding VAT",
    "including": "including VAT",
    "not_applicable": "VAT does not apply",
}


def as_stated(amount, *, qualifier: str = "", vat: str = "", other_vat_amount=None) -> str:
    """An amount the way the source states it: "up to £3,000,000", "nearly £300,000",
    "£900,000 excluding VAT (£1,080,000 including VAT)". An amount not published prints as
    nothing, never as £0."""
    if amount is None:
        return ""
    text = QUALIFIER_WORDS.get(qualifier, "") + format_money(amount)
    if vat in ("excluding", "including"):
        text += f" {VAT_WORDS[vat]}"
        if other_vat_amount is not None:
            other = "including" if vat == "excluding" else "excluding"
            text += f" ({format_money(other_vat_amount)} {VAT_WORDS[other]})"
    return text
