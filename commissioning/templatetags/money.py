"""Template filters for figures: ``{{ amount|money }}`` -> "£231,300", ``{{ share|percent }}`` -> "28%".

They only format; every figure is computed by commissioning.money in the model or view.
"""

from decimal import Decimal

from django import template

from commissioning.money import format_money, format_percent, format_short

register = template.Library()


@register.filter
def money(amount, pence=None):
    """£1,234,567, or £1,234.50 when there are pence; ``|money:True`` always shows pence."""
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(amount), pence=True if pence else None)


@register.filter
def money_short(amount):
    """Briefing style: £340k, £1.7m."""
    if amount is None or amount == "":
        return ""
    return format_short(Decimal(amount))


@register.filter
def percent(value):
    """A Decimal percentage as written in papers: 28%, -11.7%; blank when there is no figure."""
    if value is None or value == "":
        return ""
    return format_percent(Decimal(value))
