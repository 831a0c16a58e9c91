"""The consultations register filter."""

import django_filters
from django.db.models import Q

from commissioning.filters import DateBetweenFilter, GovukFilterSet, Kept, case_commissioners, search_filter
from commissioning.models import Case

from .models import Consultation


@Kept
def consultation_cases(user):
    """The user's cases that have a consultation: a case without one would list nothing."""
    if user is None:
        return Case.objects.none()
    consulted = Consultation.objects.values("case_id")
    return Case.objects.visible_to(user).filter(pk__in=consulted).order_by("reference")


class ConsultationFilter(GovukFilterSet):
    search_fields = ("title", "summary", "case__title", "case__reference")

    q = search_filter()
    case = django_filters.ModelChoiceFilter(label="Case", queryset=consultation_cases, empty_label="Any")
    commissioner = django_filters.ModelChoiceFilter(
        label="Commissioner", queryset=case_commissioners, method="filter_commissioner", empty_label="Any"
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=Consultation.Kind.choices, empty_label="Any")
    stage = django_filters.ChoiceFilter(
        label="Case stage", field_name="case__stage", choices=Case.Stage.choices, empty_label="Any"
    )
    ends = DateBetweenFilter(label="Ends between", field_name="ends_on")

    class Meta:
        model = Consultation
        fields = ()

    def filter_commissioner(self, queryset, name, value):
        partnered = Case.objects.filter(partners=value).values("pk")
        return queryset.filter(Q(case__lead_commissioner=value) | Q(case__in=partnered))
