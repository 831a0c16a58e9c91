"""Small pieces the three apps' admin modules share."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from commissioning import money
from commissioning.fields import MoneyField, MoneyInput
from commissioning.models.services import MONEY


def money_column(attr: str, description: str, ordering: str | None = None):
    """A changelist column showing a Decimal as £1,234,567 (never through float).

    ``attr`` names a field, a property or a method taking no arguments. Only a real
    field can be sorted on, so pass ``ordering`` for those.
    """

    @admin.display(description=description, ordering=ordering)
    def column(self, obj):
        if obj is None or obj.pk is None:  # an inline's blank row: nothing to work out yet
            return "-"
        value = getattr(obj, attr)
        if callable(value):
            value = value()
        return money.format_money(value) or "-"

    column.__name__ = f"{attr}_money"
    return column


def percent_column(method: str, description: str):
    """A changelist column showing a Decimal percentage as 28% (empty pool: a dash)."""

    @admin.display(description=description)
    def column(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        value = getattr(obj, method)
        if callable(value):
            value = value()
        return money.format_percent(value) or "-"

    column.__name__ = f"{method}_percent"
    return column


class MoneyFieldsMixin:
    """Money fields in admin forms take what officers type: "£1,234.50", "1234.5", "826,000"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and (db_field.max_digits, db_field.decimal_places) == (
            MONEY["max_digits"],
            MONEY["decimal_places"],
        ):
            kwargs.setdefault("form_class", MoneyField)
            kwargs.setdefault("widget", MoneyInput(attrs={"class": "vTextField"}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class HistoryAdmin(MoneyFieldsMixin, SimpleHistoryAdmin):
    """The base of every admin here: history of each object, money typed in pounds."""


class TabularInline(MoneyFieldsMixin, admin.TabularInline):
    pass


class StackedInline(MoneyFieldsMixin, admin.StackedInline):
    pass
