"""A consultation's code frame (themes), tagging comments with them, and choosing quotes.

Only the lead commissioner's officers change these (403 for a partner's, 404 for anyone who
cannot see the case). Comments are always shown masked here; an anonymous respondent's details
are never shown with their comment.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.models import Case
from commissioning.permissions import can_edit_case
from commissioning.views.edit import EditView, delete_page, error_summary, find_case_object

from .forms_themes import TaggingForm, ThemeForm
from .models import ChosenQuote, Consultation, Response, ResponseTheme, Theme
from .views_responses import _editable_consultation

COMMENTS_PER_PAGE = 25


def theme_list(request, pk):
    """The code frame: each theme and how many comments carry it; the lead's officers may change it."""
    consultation = get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related("case"), pk=pk
    )
    themes = list(consultation.themes.annotate(tagged=Count("tags")).order_by("order", "name", "pk"))
    return render(
        request,
        "consultations/theme_list.html",
        {
            "consultation": consultation,
            "case": consultation.case,
            "themes": themes,
            "can_edit": can_edit_case(request.user, consultation.case),
        },
    )


class ThemeEditMixin:
    model = Theme
    form_class = ThemeForm
    template_name = "consultations/theme_form.html"

    def get_success_url(self):
        return reverse("consultations:theme-list", args=[self.consultation.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.consultation.case, consultation=self.consultation, **kwargs)


class ThemeCreateView(ThemeEditMixin, EditView):
    created_heading = "Add a theme"
    created_message = "Theme added"

    def dispatch(self, request, *args, **kwargs):
        self.consultation = _editable_consultation(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        last = self.consultation.themes.order_by("-order").first()
        return Theme(consultation=self.consultation, order=(last.order + 1) if last else 1)


class ThemeUpdateView(ThemeEditMixin, EditView):
    updated_heading = "Change theme"
    updated_message = "Theme updated"

    def find_object(self):
        queryset = Theme.objects.filter(consultation__case__in=Case.objects.visible_to(self.request.user))
        theme = find_case_object(
            self.request,
            queryset.select_related("consultation__case"),
            self.kwargs["pk"],
            lambda t: t.consultation.case,
        )
        self.consultation = theme.consultation
        return theme


def theme_delete(request, pk):
    """Delete a theme after confirmation. Where comments are tagged with it, the page says how
    many, and deleting it takes the tag off them too (each untagging kept in the history)."""
    queryset = Theme.objects.filter(consultation__case__in=Case.objects.visible_to(request.user))
    theme = find_case_object(
        request, queryset.select_related("consultation__case"), pk, lambda t: t.consultation.case
    )
    consultation = theme.consultation
    tagged = theme.tags.count()
    what = f"No comments are tagged with “{theme.name}”."
    if tagged:
        what = (
            f"{tagged:,} comment{'s are' if tagged != 1 else ' is'} tagged with “{theme.name}”. "
            f"Deleting the theme removes it from {'them' if tagged != 1 else 'it'}, and the counts "
            "by theme will no longer include it."
        )
    # A published "you said" must not silently lose its theme: the row is changed first.
    rows = theme.you_said_we_did.count()
    blockers = []
    if rows:
        are, them = ("s are", "them") if rows != 1 else (" is", "it")
        blockers.append(
            f"{rows:,} “we asked, you said, we did” row{are} about this theme. "
            f"Change or delete {them} on the consultation's page first."
        )
    back = reverse("consultations:theme-list", args=[consultation.pk])
    return delete_page(
        request,
        theme,
        case=consultation.case,
        heading=f"Delete the theme “{theme.name}”?",
        what=what,
        back=back,
        done=back,
        message=f"Theme “{theme.name}” deleted",
        blockers=blockers,
    )


def response_comments(request, pk):
    """Responses with a comment, a page at a time, each with a checkbox for every theme.

    The page is saved all together or not at all: one choice that is not on offer refuses the
    whole page. The same few queries show a page of 1 or 25 responses. What the page showed
    travels with it (``tags_shown``), so a save applies only the ticks and unticks made on it:
    tags another officer saved meanwhile are kept, not undone."""
    consultation = _editable_consultation(request, pk)
    themes = list(consultation.themes.order_by("order", "name", "pk"))
    responses = (
        Response.objects.filter(consultation=consultation)
        .exclude(comment="")
        .select_related("area", "chosen_quote")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name", "pk")))
        .order_by("pk")
    )
    page = Paginator(responses, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    form = TaggingForm(request.POST or None, responses=page.object_list, themes=themes)
    current = {r.pk: {t.pk for t in r.themes.all()} for r in form.responses}
    shown = read_shown(request.POST.get(SHOWN_FIELD, "")) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        changed = save_tags(form.chosen(), shown if shown is not None else current)
        messages.success(
            request, f"Themes saved for {changed:,} response{'s' if changed != 1 else ''} on this page"
        )
        return redirect(f"{request.path}?page={page.number}")
    return render(
        request,
        "consultations/response_comments.html",
        {
            "consultation": consultation,
            "case": consultation.case,
            "themes": themes,
            "form": form,
            "page_obj": page,
            "heading": "Tag comments with themes",
            "error_summary": error_summary(form),
            # A refused page keeps what it first showed, so the officer's ticks stay theirs alone.
            "tags_shown": request.POST.get(SHOWN_FIELD) if shown is not None else sign_shown(current),
        },
    )


SHOWN_FIELD = "tags_shown"
SHOWN_SALT = "consultations.tags-shown"


def sign_shown(tags: dict[int, set[int]]) -> str:
    return signing.dumps({str(pk): sorted(themes) for pk, themes in tags.items()}, salt=SHOWN_SALT)


def read_shown(value: str) -> dict[int, set[int]] | None:
    """The tags the page showed, or None if the value is missing or not one this site signed."""
    try:
        data = signing.loads(value, salt=SHOWN_SALT)
        return {int(pk): {int(t) for t in themes} for pk, themes in data.items()}
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        return None


@transaction.atomic
def save_tags(chosen: dict[int, set[int]], shown: dict[int, set[int]]) -> int:
    """Apply the page's ticks and unticks (``chosen`` against what was ``shown``) to the tags as
    they are now; all or nothing. The page's responses are locked first, so two saves of the same
    page take turns. One row is written or deleted at a time so that the history records each."""
    pks = sorted(chosen)
    list(Response.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    now: dict[int, set[int]] = {pk: set() for pk in pks}
    for response_pk, theme_pk in ResponseTheme.objects.filter(response_id__in=pks).values_list(
        "response_id", "theme_id"
    ):
        now[response_pk].add(theme_pk)
    changed = 0
    for response_pk in pks:
        wanted, before = chosen[response_pk], shown.get(response_pk, now[response_pk])
        added = (wanted - before) - now[response_pk]
        removed = (before - wanted) & now[response_pk]
        if not (added or removed):
            continue
        changed += 1
        for tag in ResponseTheme.objects.filter(response_id=response_pk, theme_id__in=removed):
            tag.delete()
        for theme_pk in sorted(added):
            ResponseTheme.objects.create(response_id=response_pk, theme_id=theme_pk)
    return changed


@require_POST
def response_quote(request, pk):
    """Choose a response's comment as a quote for the paper, or stop quoting it."""
    response = get_object_or_404(
        Response.objects.filter(consultation__case__in=Case.objects.visible_to(request.user)).select_related(
            "consultation__case"
        ),
        pk=pk,
    )
    _editable_consultation(request, response.consultation_id)
    if request.POST.get("action") == "remove":
        ChosenQuote.objects.filter(response=response).delete()
        messages.success(request, f"Response {response.response_id} is no longer a chosen quote")
    else:
        try:
            ChosenQuote.choose(response, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Response {response.response_id} is now a chosen quote")
    return redirect(response)
