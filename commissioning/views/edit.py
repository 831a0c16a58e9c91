"""Create and edit pages for cases, services with their funding, milestones and options.

Each page is one model form, sometimes with inline formsets, saved together in one transaction
or not at all. A record of a case the user cannot see answers 404; one they can see but not
change (a partner's viewer) answers 403.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.generic.detail import SingleObjectTemplateResponseMixin
from django.views.generic.edit import ModelFormMixin

from commissioning import concurrency
from commissioning.forms import (
    CapacityFormSet,
    CaseContactForm,
    CaseDocumentForm,
    CaseForm,
    EvidenceFormSet,
    ExistingServiceForm,
    FundingContributionFormSet,
    MilestoneForm,
    OptionForm,
    OptionLotFormSet,
    ServiceForm,
    limit_area_choices,
    service_commissioners,
)
from commissioning.models import Case, CaseContact, CaseDocument, Milestone, Option, OptionAppraisal, Service
from commissioning.permissions import (
    can_edit_service,
    profile_of,
    require_case_editor,
    require_editor,
)


def user_organisation(user):
    profile = profile_of(user)
    return profile.organisation if profile else None


def error_summary(form, *formsets) -> list[dict]:
    """Every error on the page, in page order, each linking to the field it belongs to."""
    items = []

    def add(f, prefix=""):
        for name, errors in f.errors.items():
            if name == NON_FIELD_ERRORS:
                first = next(iter(f.visible_fields()), None)
                href = f"#{first.anchor_id}" if first is not None else ""
            else:
                href = f"#{f[name].anchor_id}"
            items.extend({"text": f"{prefix}{error}", "href": href} for error in errors)

    add(form)
    for formset in formsets:
        anchor = getattr(formset, "error_anchor", "") or formset.prefix
        items.extend({"text": error, "href": f"#{anchor}"} for error in formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            add(row, prefix=f"{formset.legend} {number}: ")
    return items


class EditView(SingleObjectTemplateResponseMixin, ModelFormMixin, View):
    """A model form plus inline formsets, saved all together or not at all.

    Subclasses set ``model``, ``form_class``, ``formset_classes`` and the success messages, and
    override ``find_object`` (updates) or ``new_object`` (creates) with their permission checks.
    """

    template_name_suffix = "_form"
    formset_classes: tuple = ()
    created_message = "Saved"
    updated_message = "Saved"
    created_heading = "Add"
    updated_heading = "Change"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.find_object()
        return super().dispatch(request, *args, **kwargs)

    def find_object(self):
        """The record being changed, with the permission checks; None on a create page."""
        return None

    def new_object(self):
        return self.model()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is None:
            kwargs["instance"] = self.new_object()
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        limit_area_choices(form, self.request.user)
        return form

    def get_formsets(self, form) -> list:
        bound = {}
        if self.request.method == "POST":
            bound = {"data": self.request.POST, "files": self.request.FILES}
        # The formsets share the form's instance, so they see the values just typed (the pool).
        formsets = [
            cls(instance=form.instance, **bound, **self.get_formset_kwargs(cls))
            for cls in self.formset_classes
        ]
        for formset in formsets:
            for row in formset.forms:
                limit_area_choices(row, self.request.user)
        return formsets

    def get_formset_kwargs(self, formset_class) -> dict:
        return {}

    def version_rows(self) -> list:
        """What an edit page shows, as stored now: the record and every row of its formsets."""
        if self.object is None:
            return []
        rows = [self.object]
        for formset_class in self.formset_classes:
            rows += list(formset_class.model._default_manager.filter(**{formset_class.fk.name: self.object}))
        return rows

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        self.record_version = concurrency.token_for(self.version_rows())
        return self.render_to_response(self.get_context_data(form=form, formsets=self.get_formsets(form)))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formsets = self.get_formsets(form)
        # The token the page was shown with: a refused page keeps it until the save goes through.
        self.record_version = request.POST.get(concurrency.FIELD_NAME, "")
        # The form first: its instance then carries the new values the formsets check against.
        form_ok = form.is_valid()
        formsets_ok = all([formset.is_valid() for formset in formsets])
        if form_ok and formsets_ok:
            response = self.form_valid(form, formsets)
            if response is not None:
                return response
        elif self.object is not None:
            # Say so now as well, before the officer puts their entries right for nothing.
            self.still_current(form)
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def form_valid(self, form, formsets):
        """Save everything in one transaction, unless someone saved the record since the page was
        shown: then nothing is saved, the form says who changed what, and None is returned."""
        creating = self.object is None
        with transaction.atomic():
            if not creating:
                type(self.object)._default_manager.select_for_update().filter(pk=self.object.pk).first()
                if not self.still_current(form):
                    return None
            self.object = self.save(form, formsets)
        messages.success(self.request, self.created_message if creating else self.updated_message)
        return redirect(self.get_success_url())

    def still_current(self, form) -> bool:
        """Compare what the page was shown with what is stored now; if they differ, put who changed
        what on the form. (Saving, the caller holds the record's row lock.)"""
        seen = concurrency.read_token(self.record_version)
        if seen is None:  # a request made without the page (a script, an old test): nothing to compare
            return True
        changes = concurrency.changes_since(seen, self.version_rows())
        if not changes:
            return True
        for line in concurrency.stale_message(changes):
            form.add_error(None, line)
        # Saving again now is a choice made knowing these changes.
        self.record_version = concurrency.token_for(self.version_rows())
        return False

    def save(self, form, formsets):
        obj = form.save()
        for formset in formsets:
            formset.instance = obj
            formset.save()
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_summary"] = error_summary(context["form"], *context.get("formsets", []))
        context["creating"] = self.object is None
        context["heading"] = self.created_heading if self.object is None else self.updated_heading
        context["record_version"] = getattr(self, "record_version", "")
        return context


class CaseScopedMixin:
    """For pages under case/<reference>/: the case must be visible (else 404) and editable (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(Case.objects.visible_to(request.user), reference=kwargs["reference"])
        require_case_editor(request.user, self.case)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return self.case.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)


def find_case_object(request, queryset, pk, case_of):
    """Look a record up through the cases the user can see (404), then check they may edit it (403)."""
    obj = get_object_or_404(queryset, pk=pk)
    require_case_editor(request.user, case_of(obj))
    return obj


# Cases.
class CaseCreateView(EditView):
    created_heading = "Start a new case"
    model = Case
    form_class = CaseForm
    created_message = "Case created"

    def dispatch(self, request, *args, **kwargs):
        require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return Case(lead_commissioner=user_organisation(self.request.user), officer=self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        lead = user_organisation(self.request.user)
        kwargs.update(lead_commissioner=lead, choose_lead=lead is None)
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()


class CaseUpdateView(EditView):
    updated_heading = "Change case details"
    model = Case
    form_class = CaseForm
    formset_classes = (EvidenceFormSet, CapacityFormSet)
    updated_message = "Case updated"

    def find_object(self):
        case = get_object_or_404(
            Case.objects.visible_to(self.request.user), reference=self.kwargs["reference"]
        )
        require_case_editor(self.request.user, case)
        return case

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choose_lead"] = (
            self.request.user.is_superuser and user_organisation(self.request.user) is None
        )
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.object, **kwargs)


# Services and their funding.
class ServiceEditMixin:
    """The commissioners a service page offers, managing and contributing, are the service's own
    (``commissioner_choices``); anything else posted is refused as an invalid choice."""

    model = Service
    form_class = ServiceForm
    formset_classes = (FundingContributionFormSet,)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "commissioner_choices": self.commissioner_choices()}

    def get_formset_kwargs(self, formset_class):
        return {"form_kwargs": {"commissioner_choices": self.commissioner_choices()}}


class ServiceCreateView(CaseScopedMixin, ServiceEditMixin, EditView):
    created_heading = "Add a service"
    created_message = "Service added"

    def new_object(self):
        return Service(commissioner=self.case.lead_commissioner)

    def commissioner_choices(self):
        # The managing and contributing commissioners are the case's own.
        return service_commissioners(cases=[self.case])

    def save(self, form, formsets):
        service = super().save(form, formsets)
        self.case.services.add(service)
        return service


class ServiceUpdateView(ServiceEditMixin, EditView):
    updated_heading = "Change service and funding"
    updated_message = "Service updated"

    def find_object(self):
        service = get_object_or_404(Service.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        if not can_edit_service(self.request.user, service):
            raise PermissionDenied("Only the lead commissioner's officers can change this service.")
        return service

    def commissioner_choices(self):
        return service_commissioners(self.object)

    def get_success_url(self):
        return self.object.get_absolute_url()


# Milestones.
class MilestoneCreateView(CaseScopedMixin, EditView):
    created_heading = "Add a milestone"
    model = Milestone
    form_class = MilestoneForm
    created_message = "Milestone added"

    def new_object(self):
        return Milestone(case=self.case)


class MilestoneUpdateView(EditView):
    updated_heading = "Change milestone"
    model = Milestone
    form_class = MilestoneForm
    updated_message = "Milestone updated"

    def find_object(self):
        queryset = Milestone.objects.filter(case__in=Case.objects.visible_to(self.request.user))
        return find_case_object(
            self.request, queryset.select_related("case"), self.kwargs["pk"], lambda m: m.case
        )

    def get_success_url(self):
        return self.object.case.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.object.case, **kwargs)


# Options, with their lots.
class OptionEditMixin:
    model = Option
    form_class = OptionForm
    formset_classes = (OptionLotFormSet,)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["appraisal"] = self.appraisal
        return kwargs

    def save(self, form, formsets):
        appraisal = self.appraisal
        if appraisal is None:
            # A case's first option starts its appraisal.
            appraisal = OptionAppraisal.objects.create(
                case=self.case, title="Options for the future delivery model"
            )
            form.instance.appraisal = appraisal
        option = super().save(form, formsets)
        recommended = form.cleaned_data["recommended"]
        if recommended and appraisal.recommended_option_id != option.pk:
            appraisal.recommended_option = option
            appraisal.save(update_fields=["recommended_option"])
        elif not recommended and appraisal.recommended_option_id == option.pk:
            appraisal.recommended_option = None
            appraisal.save(update_fields=["recommended_option"])
        return option

    def get_success_url(self):
        return self.case.get_absolute_url()


class OptionCreateView(CaseScopedMixin, OptionEditMixin, EditView):
    created_heading = "Add an option"
    created_message = "Option added"

    @cached_property
    def appraisal(self):
        return self.case.appraisals.order_by("created_at", "pk").first()

    def new_object(self):
        return Option(appraisal=self.appraisal)


class OptionUpdateView(OptionEditMixin, EditView):
    updated_heading = "Change option"
    updated_message = "Option updated"

    def find_object(self):
        queryset = Option.objects.filter(appraisal__case__in=Case.objects.visible_to(self.request.user))
        option = find_case_object(
            self.request,
            queryset.select_related("appraisal__case"),
            self.kwargs["pk"],
            lambda o: o.appraisal.case,
        )
        self.case = option.appraisal.case
        return option

    @property
    def appraisal(self):
        return self.object.appraisal

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)


def case_service_add(request, reference):
    """Take an existing service into the case's scope (a POST by the lead's officers)."""
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    require_case_editor(request.user, case)
    form = ExistingServiceForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"]
        case.services.add(service)
        messages.success(request, f"“{service.name}” is now in scope of this case.")
        return redirect(f"{case.get_absolute_url()}#services")
    return render(
        request,
        "commissioning/case_service_add.html",
        {
            "case": case,
            "form": form,
            "heading": "Take an existing service into scope",
            "error_summary": error_summary(form),
        },
    )


def milestone_delete(request, pk):
    """Delete a milestone entered by mistake: a confirmation page, then a POST. Nothing depends on
    a milestone; the deletion is kept in the history with who and when (the case history lists it)."""
    queryset = Milestone.objects.filter(case__in=Case.objects.visible_to(request.user)).select_related("case")
    milestone = find_case_object(request, queryset, pk, lambda m: m.case)
    if request.method == "POST":
        case, title = milestone.case, milestone.title
        milestone.delete()
        messages.success(request, f"Milestone “{title}” deleted.")
        return redirect(f"{case.get_absolute_url()}#milestones")
    return render(
        request,
        "commissioning/confirm_delete.html",
        {
            "case": milestone.case,
            "heading": f"Delete the milestone “{milestone.title}”?",
            "what": f"{milestone.title}, {milestone.when}",
            "back": milestone.case.get_absolute_url(),
        },
    )


def delete_page(request, obj, *, case, heading, what, back, done, message, blockers=()):
    """A confirmation page, then a POST that deletes ``obj``; simple-history keeps its last state
    with who and when, and the case history lists it. Where something depends on the record
    (``blockers``, sentences saying what), the page says so and nothing is deleted."""
    blockers = list(blockers)
    if request.method == "POST" and not blockers:
        with transaction.atomic():
            obj.delete()
        messages.success(request, message)
        return redirect(done)
    return render(
        request,
        "commissioning/confirm_delete.html",
        {"case": case, "heading": heading, "what": what, "back": back, "blockers": blockers},
    )


# Contacts and documents (background papers, appendices) the paper lists: rows of one case.
class CaseRecordCreateView(CaseScopedMixin, EditView):
    template_name = "commissioning/base_form.html"
    anchor = ""

    def new_object(self):
        return self.model(case=self.case)

    def get_success_url(self):
        return f"{self.case.get_absolute_url()}#{self.anchor}"


class CaseRecordUpdateView(EditView):
    template_name = "commissioning/base_form.html"
    anchor = ""

    def find_object(self):
        queryset = self.model.objects.filter(case__in=Case.objects.visible_to(self.request.user))
        return find_case_object(
            self.request, queryset.select_related("case"), self.kwargs["pk"], lambda r: r.case
        )

    def get_success_url(self):
        return f"{self.object.case.get_absolute_url()}#{self.anchor}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.object.case, **kwargs)


def case_record_delete(request, model, pk, *, heading, what, message, anchor):
    """Delete a row of a case nothing depends on (the paper lists the case's rows as they are)."""
    queryset = model.objects.filter(case__in=Case.objects.visible_to(request.user)).select_related("case")
    record = find_case_object(request, queryset, pk, lambda r: r.case)
    back = f"{record.case.get_absolute_url()}#{anchor}"
    return delete_page(
        request,
        record,
        case=record.case,
        heading=heading(record),
        what=what(record),
        back=back,
        done=back,
        message=message(record),
    )


class CaseContactCreateView(CaseRecordCreateView):
    model = CaseContact
    form_class = CaseContactForm
    anchor = "contacts"
    created_heading = "Add a contact"
    created_message = "Contact added"


class CaseContactUpdateView(CaseRecordUpdateView):
    model = CaseContact
    form_class = CaseContactForm
    anchor = "contacts"
    updated_heading = "Change contact"
    updated_message = "Contact updated"


def contact_delete(request, pk):
    return case_record_delete(
        request,
        CaseContact,
        pk,
        heading=lambda c: f"Delete the contact “{c.name}”?",
        what=lambda c: ", ".join(part for part in (c.name, c.role, c.job_title) if part),
        message=lambda c: f"Contact “{c.name}” deleted.",
        anchor="contacts",
    )


class CaseDocumentCreateView(CaseRecordCreateView):
    model = CaseDocument
    form_class = CaseDocumentForm
    anchor = "documents"
    created_heading = "Add a background paper or appendix"
    created_message = "Document added"

    def new_object(self):
        return CaseDocument(case=self.case, kind=CaseDocument.Kind.BACKGROUND)


class CaseDocumentUpdateView(CaseRecordUpdateView):
    model = CaseDocument
    form_class = CaseDocumentForm
    anchor = "documents"
    updated_heading = "Change background paper or appendix"
    updated_message = "Document updated"


def document_delete(request, pk):
    return case_record_delete(
        request,
        CaseDocument,
        pk,
        heading=lambda d: f"Delete “{d}”?",
        what=lambda d: f"{d.get_kind_display()}: {d}",
        message=lambda d: f"“{d}” deleted.",
        anchor="documents",
    )
