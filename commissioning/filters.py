"""Register filters: GOV.UK-styled django-filter FilterSets and the pieces they share.

Filters that cross a to-many relation (a case's services, a service's areas) select by
``pk__in`` a subquery, so a row matching twice is still listed once and no DISTINCT is needed.
"""

import functools

import django_filters
from django import forms
from django.db.models import Count, Q
from django_filters.fields import RangeField
from django_filters.widgets import RangeWidget

from commissioning import choice_lists
from commissioning.fields import govuk_messages
from commissioning.models import Area, Case, FundingContribution, Organisation, RiskLevel, Service


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # A browser's date input sends and expects ISO dates, whatever the locale.
        super().__init__(attrs, format="%Y-%m-%d")


class IsoDateRangeWidget(RangeWidget):
    """Two labelled date inputs: ``<name>_after`` (From) and ``<name>_before`` (To)."""

    template_name = "includes/register_date_range_widget.html"
    suffixes = ["after", "before"]
    labels = ("From", "To")

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (IsoDateInput, IsoDateInput), attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context


class DateRangeField(RangeField):
    """A pair of dates, either optional; cleans to ``slice(start, stop)`` of dates."""

    widget = IsoDateRangeWidget

    def __init__(self, *args, **kwargs):
        fields = (
            forms.DateField(error_messages={"invalid": "Enter a real date for the start of the range"}),
            forms.DateField(error_messages={"invalid": "Enter a real date for the end of the range"}),
        )
        super().__init__(fields, *args, **kwargs)

    def compress(self, data_list):
        if data_list and any(data_list):
            return slice(*data_list)
        return None

    def clean(self, value):
        result = super().clean(value)
        if result and result.start and result.stop and result.stop < result.start:
            raise forms.ValidationError("The end of the range must be the same as or after its start")
        return result


# A choice list longer than this becomes a typeahead in the browser (GOV.UK's accessible-autocomplete,
# static/js/typeahead.mjs); without JavaScript it stays a plain <select>.
TYPEAHEAD_OVER = 20


class TypeaheadSelect(forms.Select):
    """A <select> marked ``data-typeahead`` when it offers more than TYPEAHEAD_OVER choices.

    Counted from the options the widget renders anyway, so marking costs no query."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        groups = context["widget"]["optgroups"]
        choices = sum(1 for _, options, _ in groups for option in options if option["value"] != "")
        if choices > TYPEAHEAD_OVER:
            context["widget"]["attrs"]["data-typeahead"] = "true"
        return context


def date_bounds(field: str, value: slice) -> Q:
    """Both bounds in one Q, so across a to-many relation they apply to the same row."""
    q = Q()
    if value.start:
        q &= Q(**{f"{field}__gte": value.start})
    if value.stop:
        q &= Q(**{f"{field}__lte": value.stop})
    return q


class DateBetweenFilter(django_filters.Filter):
    field_class = DateRangeField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(date_bounds(self.field_name, value))


# Choice lists hold only what the user can see: the organisations and areas of their own rows,
# not the national reference data (two hundred commissioners and six hundred providers would be
# most of each page). django-filter calls each with the request.


def organisations_in(*pk_queries, providers: bool = False):
    """Commissioners (or providers) whose pks one of the queries gives, by name."""
    first, *rest = [q.order_by() for q in pk_queries]
    kinds = Q(kind__in=Organisation.COMMISSIONER_KINDS)
    return Organisation.objects.filter(~kinds if providers else kinds, pk__in=first.union(*rest)).order_by(
        "name"
    )


def areas_in(*pk_queries):
    first, *rest = [q.order_by() for q in pk_queries]
    return Area.objects.filter(pk__in=first.union(*rest)).order_by("name")


class Kept:
    """A filter's choices, the user's visible rows' ``build(user)``, kept between changes to the
    data (commissioning.choice_lists): GovukFilterSet reads all of a page's lists in one query."""

    def __init__(self, build):
        self.build, self.name = build, build.__name__.replace("_", "-")
        functools.update_wrapper(self, build)

    @functools.cached_property
    def model(self):
        return self.build(None).model

    def __call__(self, request):
        # No rows: GovukFilterSet.offer gives the field its kept choices (building the visible
        # rows' querysets just to replace them took a tenth of a register's time).
        return self.model.objects.none()

    def choices(self, user) -> list[tuple]:
        return choice_lists.choices_of(self.build(user))


def scoped(choices):
    """A choice queryset built from the signed-in user's visible rows; none without a request."""

    def queryset(request):
        return choices(request.user) if request is not None else choices(None).none()

    return queryset


def visible_services(user):
    return Service.objects.visible_to(user) if user is not None else Service.objects.none()


def visible_cases(user):
    return Case.objects.visible_to(user) if user is not None else Case.objects.none()


@Kept
def case_commissioners(user):
    """Leads and partners of the user's cases."""
    cases = visible_cases(user)
    partners = Case.partners.through.objects.filter(case__in=cases).values("organisation")
    return organisations_in(cases.values("lead_commissioner"), partners)


@Kept
def service_areas(user):
    return areas_in(Service.areas.through.objects.filter(service__in=visible_services(user)).values("area"))


@Kept
def service_commissioners(user):
    """Who manages or funds the user's services."""
    services = visible_services(user)
    funders = FundingContribution.objects.filter(service__in=services).values("commissioner")
    return organisations_in(services.values("commissioner"), funders)


@Kept
def service_providers(user):
    services = visible_services(user)
    return organisations_in(
        Service.providers.through.objects.filter(service__in=services).values("organisation"), providers=True
    )


@scoped
def funders(user):
    services = visible_services(user)
    return organisations_in(FundingContribution.objects.filter(service__in=services).values("commissioner"))


def funders_among(pks):
    """``funders`` when the funding rows' commissioners are already known (``years_and_funders``)."""
    return Organisation.objects.filter(kind__in=Organisation.COMMISSIONER_KINDS, pk__in=sorted(pks)).order_by(
        "name"
    )


def years_and_funders(contributions) -> tuple[dict[str, int], set[int]]:
    """The rows counted by financial year, and their commissioners' pks, in one pass over them
    (a council sees some 50,000: reading them twice was a fifth of the funding register's time)."""
    rows_by_year, funder_pks = {}, set()
    for year, commissioner, n in (
        contributions.order_by().values_list("financial_year", "commissioner").annotate(n=Count("pk"))
    ):
        rows_by_year[year] = rows_by_year.get(year, 0) + n
        funder_pks.add(commissioner)
    return rows_by_year, funder_pks


def funding_years(user) -> dict:
    """The funding register's kept value: its rows by year, and its Commissioner choices."""
    rows = FundingContribution.objects.visible_to(user)
    rows_by_year, funder_pks = years_and_funders(rows)
    return {"years": rows_by_year, "funders": choice_lists.choices_of(funders_among(funder_pks))}


# Each word of a search is one condition over several columns: a thousand words nest too deep for
# SQLite's parser, and one word of 100,000 characters is a LIKE pattern it will not run. Nobody
# searches a register with more than a few words.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_LENGTH = 200


class SearchField(forms.CharField):
    """The register's search box: at most SEARCH_MAX_WORDS words and SEARCH_MAX_LENGTH characters."""

    def __init__(self, **kwargs):
        messages = {
            "max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or less",
            # Only a hand-made address can carry one; PostgreSQL refuses them in a query.
            "null_characters_not_allowed": "Search must not include null characters",
        }
        super().__init__(max_length=SEARCH_MAX_LENGTH, error_messages=messages, **kwargs)

    def validate(self, value):
        super().validate(value)
        if len(value.split()) > SEARCH_MAX_WORDS:
            raise forms.ValidationError(f"Search for {SEARCH_MAX_WORDS} words or fewer", code="max_words")


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def search_filter(label="Search"):
    return SearchFilter(label=label, method="search")


class GovukFilterSet(django_filters.FilterSet):
    """A FilterSet the register template lays out: plain filters, then date ranges as fieldsets."""

    search_fields: tuple = ()
    # Other values kept with the choice lists (name: build(user), JSON); read as ``self.kept``.
    kept_values: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = {
            name: f.queryset
            for name, f in self.filters.items()
            if isinstance(getattr(f, "queryset", None), Kept)
        }
        self.kept = {}
        if self.request is not None and (kept or self.kept_values):
            builders = {source.name: source.choices for source in kept.values()} | self.kept_values
            self.kept = choice_lists.get_lists(self.request.user, builders)
        # The project's form renderer styles single inputs; the date pairs are styled here.
        for name, field in self.form.fields.items():
            govuk_messages(field, name)
            if name in kept and self.request is not None:
                self.offer(name, self.kept[kept[name].name])
            elif type(field.widget) is forms.Select:
                field.widget = TypeaheadSelect(attrs=field.widget.attrs)
                field.widget.choices = field.choices
            if isinstance(field.widget, IsoDateRangeWidget):
                for widget in field.widget.widgets:
                    widget.attrs["class"] = "govuk-input govuk-date-input__input"

    def offer(self, name: str, choices: list):
        """A model choice field offering these (pk, label) choices: listed as they are, and a
        value checked against just those rows, so neither reads the visible rows again."""
        field = self.form.fields[name]
        choices = [(pk, label) for pk, label in choices]
        field.queryset = field.queryset.model.objects.filter(pk__in=[pk for pk, _ in choices])
        field.widget = TypeaheadSelect(attrs=field.widget.attrs)
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        field.widget.choices = [*empty, *choices]

    def search(self, queryset, name, value):
        q = Q()
        for term in value.split():
            term_q = Q()
            for field in self.search_fields:
                term_q |= Q(**{f"{field}__icontains": term})
            q &= term_q
        return queryset.filter(q)

    def fields_by_kind(self, ranges: bool):
        return [bf for bf in self.form if isinstance(self.filters[bf.name], DateBetweenFilter) is ranges]

    def plain_fields(self):
        return self.fields_by_kind(ranges=False)

    def range_fields(self):
        return self.fields_by_kind(ranges=True)

    @property
    def is_filtered(self) -> bool:
        return any(v for k, v in self.data.items() if k not in ("sort", "page", "export"))


def pk_in(queryset, model, **lookups):
    return queryset.filter(pk__in=model.objects.filter(**lookups).values("pk"))


class CaseFilter(GovukFilterSet):
    search_fields = ("reference", "title", "summary")

    q = search_filter()
    commissioner = django_filters.ModelChoiceFilter(
        label="Commissioner", queryset=case_commissioners, method="filter_commissioner", empty_label="Any"
    )
    area = django_filters.ModelChoiceFilter(
        label="Area", queryset=service_areas, method="filter_area", empty_label="Any"
    )
    service_type = django_filters.ChoiceFilter(
        label="Service type", choices=Service.Type.choices, method="filter_service_type", empty_label="Any"
    )
    risk = django_filters.ChoiceFilter(
        label="Risk level", field_name="current_risk", choices=RiskLevel.choices, empty_label="Any"
    )
    stage = django_filters.ChoiceFilter(label="Stage", choices=Case.Stage.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(label="Status", choices=Case.Status.choices, empty_label="Any")
    ends = DateBetweenFilter(label="A contract ends between", method="filter_ends")

    class Meta:
        model = Case
        fields = ()

    def filter_commissioner(self, queryset, name, value):
        partnered = Case.objects.filter(partners=value).values("pk")
        return queryset.filter(Q(lead_commissioner=value) | Q(pk__in=partnered))

    def filter_area(self, queryset, name, value):
        return pk_in(queryset, Case, services__areas=value)

    def filter_service_type(self, queryset, name, value):
        return pk_in(queryset, Case, services__service_type=value)

    def filter_ends(self, queryset, name, value):
        return queryset.filter(
            pk__in=Case.objects.filter(date_bounds("contracts__ends_on", value)).values("pk")
        )


RISK_FLAGS = {"standard": "risk_standard", "medium": "risk_medium", "high": "risk_high"}


class ServiceFilter(GovukFilterSet):
    search_fields = ("name", "description")

    q = search_filter()
    commissioner = django_filters.ModelChoiceFilter(
        label="Commissioner or funder",
        queryset=service_commissioners,
        method="filter_commissioner",
        empty_label="Any",
    )
    area = django_filters.ModelChoiceFilter(
        label="Area", queryset=service_areas, method="filter_area", empty_label="Any"
    )
    service_type = django_filters.ChoiceFilter(
        label="Service type", choices=Service.Type.choices, empty_label="Any"
    )
    risk = django_filters.ChoiceFilter(
        label="Risk level served",
        choices=[(k, k.capitalize()) for k in RISK_FLAGS],
        method="filter_risk",
        empty_label="Any",
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=service_providers,
        method="filter_provider",
        empty_label="Any",
    )
    ends = DateBetweenFilter(label="A contract ends between", method="filter_ends")

    class Meta:
        model = Service
        fields = ()

    def filter_commissioner(self, queryset, name, value):
        funded = Service.objects.filter(contributions__commissioner=value).values("pk")
        return queryset.filter(Q(commissioner=value) | Q(pk__in=funded))

    def filter_area(self, queryset, name, value):
        return pk_in(queryset, Service, areas=value)

    def filter_provider(self, queryset, name, value):
        return pk_in(queryset, Service, providers=value)

    def filter_risk(self, queryset, name, value):
        return queryset.filter(**{RISK_FLAGS[value]: True})

    def filter_ends(self, queryset, name, value):
        return queryset.filter(
            pk__in=Service.objects.filter(date_bounds("contracts__ends_on", value)).values("pk")
        )


class OrganisationFilter(GovukFilterSet):
    search_fields = ("name", "short_name")

    q = search_filter()
    kind = django_filters.ChoiceFilter(label="Type", choices=Organisation.Kind.choices, empty_label="Any")
    role = django_filters.ChoiceFilter(
        label="Role",
        choices=[("commissioner", "Commissioner"), ("provider", "Provider")],
        method="filter_role",
        empty_label="Any",
    )

    class Meta:
        model = Organisation
        fields = ()

    def filter_role(self, queryset, name, value):
        commissioner = Q(kind__in=Organisation.COMMISSIONER_KINDS)
        return queryset.filter(commissioner if value == "commissioner" else ~commissioner)


class FundingFilter(GovukFilterSet):
    search_fields = ("service__name", "funder_description", "commissioner__name", "note")

    q = search_filter()
    # The funders of the visible rows (``funders``), offered from the kept "funding-years" value.
    commissioner = django_filters.ModelChoiceFilter(
        label="Commissioner", queryset=Organisation.objects.none(), empty_label="Any"
    )
    financial_year = django_filters.ChoiceFilter(label="Financial year", choices=[], empty_label="Any")
    service_type = django_filters.ChoiceFilter(
        label="Service type",
        field_name="service__service_type",
        choices=Service.Type.choices,
        empty_label="Any",
    )
    area = django_filters.ModelChoiceFilter(
        label="Area", queryset=service_areas, method="filter_area", empty_label="Any"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=FundingContribution.Kind.choices, empty_label="Any"
    )
    ends = DateBetweenFilter(label="A grant ends between", field_name="grant_ends_on")

    class Meta:
        model = FundingContribution
        fields = ()

    kept_values = {"funding-years": funding_years}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years on record (of the rows the user may see), newest first, with their rows counted
        # (the register pages by year: commissioning.views.registers.YearPaginator), and the
        # commissioners of those rows, the Commissioner choices: kept between changes to the data.
        if self.request is not None:
            kept = self.kept["funding-years"]
            self.rows_by_year = kept["years"]
            self.offer("commissioner", kept["funders"])
        else:
            self.rows_by_year, _ = years_and_funders(self.queryset)
        years = sorted(self.rows_by_year, reverse=True)
        self.filters["financial_year"].extra["choices"] = [(y, y) for y in years]
        self.form.fields["financial_year"].choices = [("", "Any"), *((y, y) for y in years)]

    def filter_area(self, queryset, name, value):
        return queryset.filter(service__in=Service.objects.filter(areas=value).values("pk"))
