"""An organisation run from officer screens: its details, budget holders and staff.

Every member of staff reads their organisation's page; its administrators change it, invite
staff (an e-mail with a one-time link to set a password), change their roles and deactivate
them. Nobody is deleted: history keeps their name. A superuser sets up a new organisation with
its first administrator, who then does the rest.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from commissioning.invitations import invitation_tokens, send_invitation, valid_for_days
from commissioning.models import BudgetHolder, Organisation, Profile
from commissioning.organisation_forms import (
    AcceptInvitationForm,
    BudgetHolderForm,
    FirstAdministratorForm,
    InviteForm,
    OrganisationForm,
    ProviderForm,
    StaffForm,
)
from commissioning.permissions import profile_of, require_editor
from commissioning.views.edit import EditView, error_summary, user_organisation


def is_administrator(user) -> bool:
    profile = profile_of(user)
    return bool(profile and profile.role == Profile.Role.ADMINISTRATOR)


def own_organisation(user):
    organisation = user_organisation(user)
    if organisation is None:
        raise Http404("Only staff of an organisation have an organisation page.")
    return organisation


def require_administrator(user):
    organisation = own_organisation(user)
    if not is_administrator(user):
        raise PermissionDenied("Only your organisation's administrators can change this.")
    return organisation


def administered(user, queryset, pk):
    """One of the user's organisation's own records (another's answers 404, as if absent), for
    its administrators only (anyone else in it gets 403): the record and the organisation."""
    organisation = own_organisation(user)
    record = get_object_or_404(queryset, pk=pk, organisation=organisation)
    require_administrator(user)
    return record, organisation


STAFF = Profile.objects.select_related("user")


def organisation_home(request):
    """The user's organisation: details, budget holders, meeting bodies and staff."""
    organisation = own_organisation(request.user)
    staff = (
        Profile.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-user__is_active", "user__last_name", "user__first_name", "user__username")
    )
    return render(
        request,
        "commissioning/organisation/home.html",
        {
            "organisation": organisation,
            "budget_holders": list(organisation.budget_holders.order_by("name")),
            "meeting_bodies": list(organisation.meeting_bodies.all()),
            "staff": list(staff),
            "administrator": is_administrator(request.user),
            "heading": organisation.name,
        },
    )


class AdministratorMixin:
    template_name = "commissioning/organisation/form.html"
    success_url = reverse_lazy("commissioning:my-organisation")

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)


class OrganisationUpdateView(AdministratorMixin, EditView):
    model = OrganisationForm.Meta.model
    form_class = OrganisationForm
    updated_heading = "Change your organisation's details"
    updated_message = "Organisation details saved"

    def find_object(self):
        self.organisation = require_administrator(self.request.user)
        return self.organisation


class BudgetHolderCreateView(AdministratorMixin, EditView):
    model = BudgetHolder
    form_class = BudgetHolderForm
    created_heading = "Add a budget holder"
    created_message = "Budget holder added"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = require_administrator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return BudgetHolder(organisation=self.organisation)


class BudgetHolderUpdateView(AdministratorMixin, EditView):
    model = BudgetHolder
    form_class = BudgetHolderForm
    updated_heading = "Rename the budget holder"
    updated_message = "Budget holder renamed"

    def find_object(self):
        holder, self.organisation = administered(self.request.user, BudgetHolder.objects, self.kwargs["pk"])
        return holder


def budget_holder_delete(request, pk):
    """Delete a budget holder no funding names; one that is named stays, and the page says where."""
    holder, organisation = administered(request.user, BudgetHolder.objects, pk)
    used_by = holder.contributions.count()
    if request.method == "POST" and not used_by:
        try:
            holder.delete()
        except ProtectedError:  # named by funding since the page was shown
            used_by = holder.contributions.count()
        else:
            messages.success(request, f"Budget holder “{holder.name}” deleted.")
            return redirect("commissioning:my-organisation")
    rows = f"{used_by} funding row{pluralize(used_by)} name{pluralize(used_by, 's,')}"
    return render(
        request,
        "commissioning/organisation/confirm_delete.html",
        {
            "organisation": organisation,
            "heading": f"Delete “{holder.name}”?",
            "blocker": used_by
            and f"“{holder.name}” cannot be deleted: {rows} it as the budget holder. Change those rows "
            "first, or rename the budget holder instead.",
            "free": "No funding names it.",
            "back": reverse("commissioning:my-organisation"),
            "back_label": "Back to your organisation",
        },
    )


# Staff.
class StaffInviteView(AdministratorMixin, EditView):
    model = Profile
    form_class = InviteForm
    created_heading = "Invite a member of staff"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = require_administrator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return Profile(organisation=self.organisation)

    def save(self, form, formsets):
        profile = form.save()
        # Sent once the rows are stored: a failure to send undoes the invitation, so it can be tried again.
        send_invitation(self.request, profile)
        return profile

    @property
    def created_message(self):
        return f"Invitation sent to {self.object.user.email}."


class StaffUpdateView(AdministratorMixin, EditView):
    model = Profile
    form_class = StaffForm
    updated_message = "Saved"

    @property
    def updated_heading(self):
        return f"Change {self.object.user.get_full_name() or self.object.user.get_username()}"

    def find_object(self):
        profile, self.organisation = administered(self.request.user, STAFF, self.kwargs["pk"])
        return profile

    def version_rows(self):
        # The names shown are the user's: a change to them since the page was shown counts too.
        return [*super().version_rows(), self.object.user]


@require_POST
def staff_active(request, pk):
    """Deactivate a member of staff (they can no longer sign in; their name stays on everything
    they did) or reactivate them. Not oneself, and never the last active administrator."""
    profile, _ = administered(request.user, STAFF, pk)
    user = profile.user
    name = user.get_full_name() or user.get_username()
    if user.pk == request.user.pk:
        messages.error(request, "You cannot deactivate yourself: ask another administrator.")
        return redirect("commissioning:my-organisation")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        user.is_active = not user.is_active
        user.save(update_fields=["is_active"])
    messages.success(request, f"{name} {'reactivated' if user.is_active else 'deactivated'}.")
    return redirect("commissioning:my-organisation")


@require_POST
def staff_invite_again(request, pk):
    """Send a new link to someone who has not set a password yet (the old link still works until
    it expires or the password is set)."""
    profile, _ = administered(request.user, STAFF, pk)
    if profile.user.has_usable_password() or not profile.user.is_active:
        messages.error(request, "Only someone who has not yet chosen a password can be invited again.")
    else:
        send_invitation(request, profile)
        messages.success(request, f"Invitation sent again to {profile.user.email}.")
    return redirect("commissioning:my-organisation")


# Providers and consortia: shared by every commissioner, so any officer adds and changes them.
class ProviderEditMixin:
    model = Organisation
    form_class = ProviderForm
    template_name = "commissioning/organisation/provider_form.html"
    success_url = reverse_lazy("commissioning:organisation-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["duplicates"] = context["form"].duplicates
        return context


class ProviderCreateView(ProviderEditMixin, EditView):
    created_heading = "Add a provider"

    def dispatch(self, request, *args, **kwargs):
        require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return Organisation(kind=Organisation.Kind.CHARITY)

    @property
    def created_message(self):
        return f"{self.object.name} added"


class ProviderUpdateView(ProviderEditMixin, EditView):
    updated_message = "Provider details saved"

    @property
    def updated_heading(self):
        return f"Change {self.object.name}"

    def find_object(self):
        provider = get_object_or_404(
            Organisation.objects.exclude(kind__in=Organisation.COMMISSIONER_KINDS), pk=self.kwargs["pk"]
        )
        require_editor(self.request.user)
        return provider


# Setting up a new organisation (superusers).
def organisation_create(request):
    """A superuser adds an organisation and invites its first administrator, in one step."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only the people who run the service add organisations.")
    organisation_form = OrganisationForm(
        request.POST or None, prefix="organisation", commissioners_only=False
    )
    administrator_form = FirstAdministratorForm(request.POST or None, prefix="administrator")
    if request.method == "POST":
        valid = [organisation_form.is_valid(), administrator_form.is_valid()]
        if all(valid):
            with transaction.atomic():
                organisation = organisation_form.save()
                administrator_form.instance.organisation = organisation
                profile = administrator_form.save()
                send_invitation(request, profile)
            messages.success(request, f"{organisation.name} added; invitation sent to {profile.user.email}.")
            return redirect("commissioning:organisation-list")
    return render(
        request,
        "commissioning/organisation/create.html",
        {
            "organisation_form": organisation_form,
            "administrator_form": administrator_form,
            "heading": "Add an organisation",
            "error_summary": error_summary(organisation_form) + error_summary(administrator_form)
            if request.method == "POST"
            else [],
        },
    )


# The invitation link (no sign-in: this is how a new member of staff gets one).
@login_not_required
@sensitive_post_parameters()
@never_cache
def invitation_accept(request, uidb64, token):
    try:
        user = get_user_model().objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not user.is_active or not invitation_tokens.check_token(user, token):
        return render(
            request,
            "commissioning/organisation/invitation_invalid.html",
            {"heading": "This invitation link does not work", "days": valid_for_days()},
            status=404,
        )
    form = AcceptInvitationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="commissioning.signin.ThrottledModelBackend")
        messages.success(request, "Your password is set and you are signed in.")
        return redirect("commissioning:dashboard")
    return render(
        request,
        "commissioning/organisation/invitation_accept.html",
        {
            "form": form,
            "invited": user,
            "heading": "Choose your password",
            "error_summary": error_summary(form) if form.is_bound else [],
        },
    )
