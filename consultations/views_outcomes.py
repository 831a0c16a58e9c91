"""What came of a consultation: its "We asked, you said, we did" rows (pages to add, change and
delete them, a page to read them as the public would, and a one-page PDF to publish), and the
officer's side of the Gunning checklist.

Every record is found through the cases the user can see (another organisation's: 404); only
the lead commissioner's officers change them (a partner's viewer: 403).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.models import Case
from commissioning.papers.render import html_to_pdf
from commissioning.views.edit import EditView, delete_page, find_case_object

from .forms import GunningForm, YouSaidWeDidForm
from .models import Consultation, YouSaidWeDid
from .outcomes import adequate_time, figures_for, long_date, statement


def _consultations(user):
    return Consultation.objects.visible_to(user).select_related("case__lead_commissioner")


def _rows(user):
    return YouSaidWeDid.objects.filter(consultation__case__in=Case.objects.visible_to(user)).select_related(
        "consultation__case"
    )


class ConsultationRecordMixin:
    """Pages that return to the consultation's page, with its case in the breadcrumbs."""

    template_name = "consultations/outcome_form.html"

    def consultation_of(self):
        return self.object.consultation if self.object is not None else self.consultation

    def get_success_url(self):
        return self.consultation_of().get_absolute_url() + "#you-said-we-did"

    def get_context_data(self, **kwargs):
        consultation = self.consultation_of()
        return super().get_context_data(consultation=consultation, case=consultation.case, **kwargs)


class YouSaidWeDidCreateView(ConsultationRecordMixin, EditView):
    model = YouSaidWeDid
    form_class = YouSaidWeDidForm
    created_heading = "Add a “we asked, you said, we did” row"
    created_message = "Row added"

    def dispatch(self, request, *args, **kwargs):
        self.consultation = find_case_object(
            request, _consultations(request.user), kwargs["pk"], lambda c: c.case
        )
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        last = self.consultation.you_said_we_did.order_by("-order").values_list("order", flat=True).first()
        return YouSaidWeDid(consultation=self.consultation, order=(last or 0) + 1)


class YouSaidWeDidUpdateView(ConsultationRecordMixin, EditView):
    model = YouSaidWeDid
    form_class = YouSaidWeDidForm
    updated_heading = "Change “we asked, you said, we did” row"
    updated_message = "Row updated"

    def find_object(self):
        return find_case_object(
            self.request, _rows(self.request.user), self.kwargs["pk"], lambda r: r.consultation.case
        )


def you_said_we_did_delete(request, pk):
    row = find_case_object(request, _rows(request.user), pk, lambda r: r.consultation.case)
    back = row.consultation.get_absolute_url() + "#you-said-we-did"
    return delete_page(
        request,
        row,
        case=row.consultation.case,
        heading="Delete this “we asked, you said, we did” row?",
        what=f"We asked: {row.we_asked}",
        back=back,
        done=back,
        message="Row deleted.",
    )


class GunningUpdateView(EditView):
    model = Consultation
    form_class = GunningForm
    template_name = "consultations/outcome_form.html"
    updated_heading = "Gunning principles checklist"
    updated_message = "Checklist updated"

    def find_object(self):
        return find_case_object(
            self.request, _consultations(self.request.user), self.kwargs["pk"], lambda c: c.case
        )

    def get_success_url(self):
        return self.object.get_absolute_url() + "#gunning"

    def get_context_data(self, **kwargs):
        return super().get_context_data(consultation=self.object, case=self.object.case, **kwargs)


def summary_context(consultation: Consultation) -> dict:
    """What the public page and the one-page PDF show: how the council consulted, and the rows."""
    figures = figures_for(consultation)
    if figures.held:
        total = figures.analysis["total"]
        responses = f"{total:,} response{'' if total == 1 else 's'} received"
    elif consultation.response_count is not None:
        count = consultation.response_count
        responses = f"{count:,} response{'' if count == 1 else 's'} received (reported)"
    else:
        responses = ""
    time = adequate_time(consultation)
    when = ""
    if time is not None:
        when = (
            f"{long_date(consultation.starts_on)} to {long_date(consultation.ends_on)} "
            f"({time['length']}, {time['days']:,} days)"
        )
    authority = consultation.case.lead_commissioner
    return {
        "consultation": consultation,
        "authority": authority.name if authority else "",
        "when": when,
        "responses": responses,
        "statement": statement(consultation, figures=figures),
        "printed_on": long_date(timezone.localdate()),
    }


def you_said_we_did(request, pk):
    consultation = get_object_or_404(_consultations(request.user), pk=pk)
    return render(request, "consultations/you_said_we_did.html", summary_context(consultation))


def you_said_we_did_pdf(request, pk):
    """The one-page summary the council publishes, made now from the rows and the responses."""
    consultation = get_object_or_404(_consultations(request.user), pk=pk)
    html = render_to_string("consultations/you_said_we_did_print.html", summary_context(consultation))
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-you-said-we-did.pdf"'
    )
    return response
