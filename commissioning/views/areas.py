"""An organisation's own areas: lots, sub-regions and localities its officers define as groups of
the reference districts and councils (the ONS lookup every organisation shares).

Every member of staff reads the list; officers and administrators add, change and delete them.
Another organisation's areas answer 404, as if absent, and so do reference areas, which only a
superuser changes (in the admin). An area something names is not deleted: the page says what.
"""

from django.contrib import messages
from django.db.models import Prefetch, ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy

from commissioning.models import Area
from commissioning.organisation_forms import OwnAreaForm
from commissioning.permissions import is_editor, require_editor
from commissioning.views.edit import EditView
from commissioning.views.organisation import own_organisation

DISTRICT_NAMES = Prefetch("districts", queryset=Area.objects.only("id", "name").order_by("name"))


def own_area(user, pk):
    """One of the user's organisation's own areas, for its officers: the area and the organisation."""
    organisation = own_organisation(user)
    area = get_object_or_404(Area.objects.filter(owner=organisation), pk=pk)
    require_editor(user)
    return area, organisation


def area_list(request):
    """The organisation's own areas, each with the districts it is made of."""
    organisation = own_organisation(request.user)
    areas = Area.objects.filter(owner=organisation).prefetch_related(DISTRICT_NAMES).order_by("name")
    return render(
        request,
        "commissioning/organisation/area_list.html",
        {
            "organisation": organisation,
            "areas": list(areas),
            "reference_count": Area.objects.reference().count(),
            "editor": is_editor(request.user),
            "heading": "Your organisation's areas",
        },
    )


class OwnAreaMixin:
    model = Area
    form_class = OwnAreaForm
    template_name = "commissioning/organisation/area_form.html"
    success_url = reverse_lazy("commissioning:area-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)


class AreaCreateView(OwnAreaMixin, EditView):
    created_heading = "Add an area"
    created_message = "Area added"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = own_organisation(request.user)
        require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return Area(owner=self.organisation, kind=Area.Kind.LOT)


class AreaUpdateView(OwnAreaMixin, EditView):
    updated_heading = "Change the area"
    updated_message = "Area saved"

    def find_object(self):
        area, self.organisation = own_area(self.request.user, self.kwargs["pk"])
        return area


def area_delete(request, pk):
    """Delete an area nothing names; one that is named stays, and the page says what names it."""
    area, organisation = own_area(request.user, pk)
    uses = area.uses()
    if request.method == "POST" and not uses:
        try:
            area.delete()
        except (ProtectedError, RestrictedError):  # named since the page was shown
            uses = area.uses()
        else:
            messages.success(request, f"Area “{area.name}” deleted.")
            return redirect("commissioning:area-list")
    named_by = ", ".join(f"{count} {what}" for count, what in uses)
    return render(
        request,
        "commissioning/organisation/confirm_delete.html",
        {
            "organisation": organisation,
            "heading": f"Delete “{area.name}”?",
            "blocker": uses
            and f"“{area.name}” cannot be deleted: it is named by {named_by}. Take it off those first, "
            "or rename the area instead.",
            "free": "Nothing names it.",
            "back": reverse("commissioning:area-list"),
            "back_label": "Back to your organisation's areas",
        },
    )
