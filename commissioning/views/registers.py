"""Registers: cases, services, organisations and funding contributions.

Each is a filtered, sortable, paginated table with CSV and Excel downloads of what the filter
shows. Querysets are scoped to what the user may see and fetch every related row up front,
so a page runs the same number of queries for 1 row as for 50.
"""

from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Min, OuterRef, Subquery, Sum
from django.utils.functional import cached_property
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.rows import BoundRows

from commissioning import exports, filters, tables
from commissioning.exports import RegisterExportMixin
from commissioning.models import Case, FundingContribution, Organisation, Service
from commissioning.models.services import MONEY
from commissioning.permissions import is_editor


class RegisterView(RegisterExportMixin, SingleTableMixin, FilterView):
    """A register page; subclasses give the model, table, filter, queryset and words."""

    table_pagination = {"per_page": 25}
    template_name_suffix = "_list"
    register_title = ""
    register_noun = "rows"

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if getattr(table, "page", None):
            count = table.paginator.count
            table.caption = f"{count:,} {self.register_noun if count != 1 else self.register_noun[:-1]}"
        return table

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            register_title=self.register_title, register_noun=self.register_noun, **kwargs
        )


class CaseListView(RegisterView):
    model = Case
    table_class = tables.CaseTable
    filterset_class = filters.CaseFilter
    register_title = "Cases"
    register_noun = "cases"
    export_name = "cases"
    export_class = exports.CaseExport

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("lead_commissioner", "officer")
            .prefetch_related("partners")
            .annotate(contract_ends=Min("contracts__ends_on"))
            .order_by("reference")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create_case=is_editor(self.request.user), **kwargs)


def with_latest_funding(services):
    """Annotate each service with its latest financial year on record and that year's total."""
    contributions = FundingContribution.objects.filter(service=OuterRef("pk")).order_by()
    latest_year = contributions.order_by("-financial_year").values("financial_year")[:1]
    year_total = (
        contributions.filter(financial_year=OuterRef("latest_year"))
        .values("service")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return services.annotate(latest_year=Subquery(latest_year)).annotate(
        latest_year_total=Subquery(year_total, output_field=DecimalField(**MONEY))
    )


class ServiceListView(RegisterView):
    model = Service
    table_class = tables.ServiceTable
    filterset_class = filters.ServiceFilter
    register_title = "Services"
    register_noun = "services"
    export_name = "services"
    export_class = exports.ServiceExport

    def get_queryset(self):
        services = (
            Service.objects.visible_to(self.request.user)
            .select_related("commissioner")
            .prefetch_related("providers", "areas")
            .order_by("name", "pk")
        )
        return with_latest_funding(services)


class OrganisationListView(RegisterView):
    """Every organisation: they are public bodies and providers. Read only."""

    model = Organisation
    table_class = tables.OrganisationTable
    filterset_class = filters.OrganisationFilter
    register_title = "Organisations"
    register_noun = "organisations"
    export_name = "organisations"
    export_class = exports.OrganisationExport

    def get_queryset(self):
        return Organisation.objects.prefetch_related("members").order_by("name")

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_editor(self.request.user):
            kwargs["exclude"] = ("change",)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add_provider=is_editor(self.request.user), **kwargs)


def rows_by_year(contributions) -> dict[str, int]:
    return dict(contributions.order_by().values_list("financial_year").annotate(n=Count("pk")))


class YearPaginator(Paginator):
    """Pages of funding rows counted a financial year at a time, and read from the years a page spans.

    A council sees tens of thousands of contributions over a handful of years. Counted by year (one
    query, the same number as a plain count), the rows before each year are known; when the rows
    are sorted by year first (the register's default, and its Year column either way), a page's
    rows are those of the one or two years it spans, at a known offset among them. So PostgreSQL
    joins and sorts a year's rows for a page rather than every visible row. Any other sort pages
    the whole list as usual. ``object_list`` is the table's rows (django-tables2's BoundRows).
    """

    def __init__(self, *args, rows_by_year: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows_by_year = rows_by_year  # already counted (the filter's, when nothing is filtered)

    @cached_property
    def year_counts(self) -> list[tuple[str, int]]:
        """(year, rows) in the order of the rows when sorted by year first."""
        counts = self.rows_by_year
        if counts is None:
            counts = rows_by_year(self.object_list.data.data)
        return sorted(counts.items(), reverse=self.descending)

    @cached_property
    def by_year(self) -> bool:
        order = self.object_list.data.data.query.order_by
        return bool(order) and order[0] in ("financial_year", "-financial_year")

    @cached_property
    def descending(self) -> bool:
        return self.object_list.data.data.query.order_by[:1] == ("-financial_year",)

    @cached_property
    def count(self) -> int:
        return sum(n for _, n in self.year_counts)

    def page(self, number):
        if not self.by_year:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        years, before, seen = [], None, 0
        for year, rows in self.year_counts:
            if seen + rows > bottom and seen < top:
                years.append(year)
                before = seen if before is None else before
            seen += rows
        rows = self.object_list
        window = rows.data.data.filter(financial_year__in=years)[bottom - (before or 0) : top - (before or 0)]
        return self._get_page(BoundRows(window, rows.table), number, self)


class FundingListView(RegisterView):
    model = FundingContribution
    table_class = tables.FundingTable
    filterset_class = filters.FundingFilter
    register_title = "Funding contributions"
    register_noun = "contributions"
    export_name = "funding"
    export_class = exports.FundingExport
    template_name = "commissioning/funding_list.html"
    table_pagination = {"per_page": 25, "paginator_class": YearPaginator}

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination and not self.filterset.is_filtered:
            # The filter counted every visible row by year for its list of years: the same rows.
            pagination["rows_by_year"] = self.filterset.rows_by_year
        return pagination

    def get_queryset(self):
        return (
            FundingContribution.objects.visible_to(self.request.user)
            .select_related("service", "commissioner", "budget_holder", "ring_fenced_area")
            # Shares are of the service's pool for the year: its other contributions, prefetched.
            .prefetch_related("service__contributions")
            .order_by("-financial_year", "service__name", "commissioner__name", "pk")
        )
