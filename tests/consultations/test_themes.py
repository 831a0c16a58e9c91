"""Themes tagged on comments, chosen quotes, and the bar charts, on the page and in the paper.

The generated set: responses R1 to R120; response i has no comment when i % 10 == 0, else the
comment "Comment number i". Theme k (k = 0..3, named Safety, Refuge space, Children, Money) is
tagged on each commented response with i % (k + 2) == 0. The expected counts are worked out
below by inclusion and exclusion, not by the code under test.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import PaperType
from commissioning.paper_types import ensure_default_paper_types
from commissioning.papers import render
from commissioning.papers.actions import start_paper
from consultations.analysis import analyse, chosen_quotes, theme_counts
from consultations.charts import BAR_SPACE, bar_chart, preferences_chart
from consultations.models import ChosenQuote, Response, ResponseTheme, Theme
from tests.factories import (
    AreaFactory,
    CaseFactory,
    ConsultationFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ProfileFactory,
)

N = 120
THEMES = ["Safety", "Refuge space", "Children", "Money"]
SVG = "{http://www.w3.org/2000/svg}"
COMMENT = "Please call me: jane.doe@example.com or 07700 900123. The refuge saved my life."
MASKED = "Please call me: [email removed] or [phone removed]. The refuge saved my life."


@pytest.fixture
def consultation(organisation):
    ensure_default_paper_types()
    case = CaseFactory(reference="themes-2026", lead_commissioner=organisation)
    appraisal = OptionAppraisalFactory(case=case)
    for order, (label, name) in enumerate([("A", "Two lots"), ("B", "One county-wide"), ("C", "Grants")]):
        OptionFactory(appraisal=appraisal, label=label, name=name, order=order)
    return ConsultationFactory(case=case, title="Future of refuge services")


def make_responses(consultation, n=N, **extra):
    options = list(consultation.case.appraisals.get().options.order_by("order"))
    return Response.objects.bulk_create(
        Response(
            consultation=consultation,
            response_id=f"R{i}",
            comment="" if i % 10 == 0 else f"Comment number {i}",
            option=options[i % 3],
            respondent_type=Response.RespondentType.PUBLIC,
            **extra,
        )
        for i in range(1, n + 1)
    )


def make_themes(consultation, names=THEMES):
    return [
        Theme.objects.create(consultation=consultation, name=name, order=k) for k, name in enumerate(names)
    ]


@pytest.fixture
def tagged(consultation):
    responses = make_responses(consultation)
    themes = make_themes(consultation)
    Theme.objects.create(consultation=consultation, name="Transport", order=9)  # tagged on none
    ResponseTheme.objects.bulk_create(
        ResponseTheme(response=r, theme=themes[k])
        for i, r in enumerate(responses, start=1)
        if i % 10
        for k in range(4)
        if i % (k + 2) == 0
    )
    return consultation


def test_theme_counts_by_arithmetic(tagged):
    # Commented responses: 120 less the 12 multiples of 10.
    comments = 120 - 12
    # Each theme: multiples of m up to 120, less those that are also multiples of 10.
    safety = 120 // 2 - 120 // 10  # every multiple of 10 is even: 60 - 12
    refuge = 120 // 3 - 120 // 30  # 40 - 4
    children = 120 // 4 - 120 // 20  # 30 - 6
    money = 120 // 5 - 120 // 10  # 24 - 12
    # Tagged with any: multiples of 2, 3 or 5 (4 adds none), by inclusion and exclusion, less the
    # multiples of 10 (all among them).
    tagged_any = (60 + 40 + 24 - 20 - 12 - 8 + 4) - 12
    assert (safety, refuge, children, money, tagged_any) == (48, 36, 24, 12, 76)

    counts = theme_counts(tagged)
    assert counts["comments"] == comments
    assert counts["tagged"] == tagged_any
    assert counts["untagged"] == comments - tagged_any
    assert [(r["theme"], r["count"], r["percentage"]) for r in counts["rows"]] == [
        ("Safety", 48, Decimal("63.2")),  # 48/76 = 63.157...
        ("Refuge space", 36, Decimal("47.4")),  # 47.368...
        ("Children", 24, Decimal("31.6")),  # 31.578...
        ("Money", 12, Decimal("15.8")),  # 15.789...
        ("Transport", 0, Decimal("0.0")),
    ]
    # The main themes are those tagged, most first; Transport is left out.
    assert [r["theme"] for r in counts["main"]] == ["Safety", "Refuge space", "Children", "Money"]


def test_a_response_is_counted_once_per_theme(consultation):
    response = make_responses(consultation, n=1)[0]
    theme = make_themes(consultation, ["Safety"])[0]
    ResponseTheme.objects.create(response=response, theme=theme)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            ResponseTheme.objects.create(response=response, theme=theme)
    assert theme_counts(consultation)["rows"][0]["count"] == 1


def test_no_themes_gives_none(consultation):
    make_responses(consultation, n=3)
    assert theme_counts(consultation) is None


def tagging_url(consultation, page=1):
    return reverse("consultations:response-comments", args=[consultation.pk]) + f"?page={page}"


def test_tagging_saves_the_page_all_or_nothing(client, officer, consultation, monkeypatch):
    responses = make_responses(consultation, n=3)
    safety, refuge = make_themes(consultation, ["Safety", "Refuge space"])
    client.force_login(officer)
    url = tagging_url(consultation)
    page = client.get(url)
    assertContains(page, "Themes of response R1")
    assertContains(page, f'name="themes-{responses[2].pk}"', count=2)
    # One value not on offer refuses the whole page: the two good rows are not saved either.
    bad = {
        f"themes-{responses[0].pk}": [str(safety.pk)],
        f"themes-{responses[1].pk}": [str(safety.pk), str(refuge.pk)],
        f"themes-{responses[2].pk}": ["999999"],
    }
    refused = client.post(url, bad)
    assert refused.status_code == 200
    assertContains(refused, "Select themes for response R3 from the list")
    assertContains(refused, "There is a problem")
    assert ResponseTheme.objects.count() == 0

    # A failure while saving (the database refusing the fourth row) undoes the rows before it.
    good = bad | {f"themes-{responses[2].pk}": [str(refuge.pk)]}
    real_create = ResponseTheme.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 4:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(ResponseTheme.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        client.post(url, good)
    assert len(calls) == 4
    assert ResponseTheme.objects.count() == 0
    monkeypatch.undo()

    saved = client.post(url, good)
    assert saved.status_code == 302
    assert {(t.response.response_id, t.theme.name) for t in ResponseTheme.objects.all()} == {
        ("R1", "Safety"),
        ("R2", "Safety"),
        ("R2", "Refuge space"),
        ("R3", "Refuge space"),
    }
    # Untagging is a change too, kept in the history with who made it.
    client.post(url, good | {f"themes-{responses[1].pk}": [str(refuge.pk)]})
    assert not ResponseTheme.objects.filter(response=responses[1], theme=safety).exists()
    removed = ResponseTheme.history.filter(history_type="-").get()
    assert (removed.response_id, removed.theme_id, removed.history_user) == (
        responses[1].pk,
        safety.pk,
        officer,
    )


def shown_token(page) -> str:
    return re.search(r'name="tags_shown" value="([^"]+)"', page.content.decode())[1]


def test_two_officers_tagging_the_same_page_keep_each_others_tags(client, officer, consultation):
    """The second officer's page was opened before the first saved: their save adds and removes
    only what they ticked and unticked, and the first officer's tags stay."""
    responses = make_responses(consultation, n=2)
    safety, refuge = make_themes(consultation, ["Safety", "Refuge space"])
    ResponseTheme.objects.create(response=responses[1], theme=safety)
    colleague = ProfileFactory(user__username="colleague", organisation=officer.profile.organisation).user
    first, second = client, Client()
    first.force_login(officer)
    second.force_login(colleague)
    url = tagging_url(consultation)
    first_token, second_token = shown_token(first.get(url)), shown_token(second.get(url))
    one, two = f"themes-{responses[0].pk}", f"themes-{responses[1].pk}"
    # The first officer tags R1 with Safety (R2 keeps Safety).
    saved = first.post(url, {one: [str(safety.pk)], two: [str(safety.pk)], "tags_shown": first_token})
    assert saved.status_code == 302
    # The second, from the page as it was, tags R1 with Refuge space and unticks Safety on R2.
    saved = second.post(url, {one: [str(refuge.pk)], two: [], "tags_shown": second_token})
    assert saved.status_code == 302
    assert {(t.response.response_id, t.theme.name) for t in ResponseTheme.objects.all()} == {
        ("R1", "Safety"),  # the first officer's, kept
        ("R1", "Refuge space"),
    }
    # A token that was not signed here counts for nothing: the tags as stored are the base.
    refused = second.post(url, {one: [str(refuge.pk)], two: [], "tags_shown": "forged"})
    assert refused.status_code == 302
    assert ResponseTheme.objects.filter(response=responses[0]).count() == 1


def queries_for_page(client, consultation, page) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(tagging_url(consultation, page)).status_code == 200
    return len(captured)


def test_the_tagging_page_runs_the_same_queries_for_few_and_many(client, officer, consultation):
    # 30 commented responses: page 1 shows 25, page 2 shows 5; every response has two tags.
    responses = [r for r in make_responses(consultation, n=33) if r.comment]
    assert len(responses) == 30
    themes = make_themes(consultation)
    ResponseTheme.objects.bulk_create(
        ResponseTheme(response=r, theme=t) for r in responses for t in themes[:2]
    )
    client.force_login(officer)
    queries_for_page(client, consultation, 1)  # the session and the like, cached after the first
    assert queries_for_page(client, consultation, 1) == queries_for_page(client, consultation, 2)


def test_partners_and_others_cannot_tag(client, consultation, other_officer):
    make_responses(consultation, n=2)
    make_themes(consultation)
    partner = OrganisationFactory(name="Partner PCC")
    consultation.case.partners.add(partner)
    client.force_login(ProfileFactory(organisation=partner).user)
    assert client.get(tagging_url(consultation)).status_code == 403
    assert client.get(reverse("consultations:theme-list", args=[consultation.pk])).status_code == 200
    client.force_login(other_officer)
    assert client.get(tagging_url(consultation)).status_code == 404


def test_theme_pages_add_change_and_delete_saying_what_is_tagged(client, officer, consultation):
    response = make_responses(consultation, n=1)[0]
    client.force_login(officer)
    added = client.post(
        reverse("consultations:theme-create", args=[consultation.pk]),
        {"name": "Safety", "description": "Feeling safe", "order": "1"},
    )
    assert added.status_code == 302
    theme = Theme.objects.get()
    again = client.post(
        reverse("consultations:theme-create", args=[consultation.pk]), {"name": "safety", "order": "2"}
    )
    assertContains(again, "There is already a theme called “safety” in this code frame")
    ResponseTheme.objects.create(response=response, theme=theme)
    delete_url = reverse("consultations:theme-delete", args=[theme.pk])
    assertContains(client.get(delete_url), "1 comment is tagged with “Safety”. Deleting the theme removes it")
    assert client.post(delete_url).status_code == 302
    assert not Theme.objects.exists() and not ResponseTheme.objects.exists()
    # The untagging is in the history as well as the theme's deletion.
    assert ResponseTheme.history.filter(history_type="-").count() == 1


def test_a_quote_needs_the_respondents_consent(client, officer, consultation):
    refused, consented = make_responses(consultation, n=2)
    Response.objects.filter(pk=consented.pk).update(consent_to_quote=True)
    consented.refresh_from_db()
    with pytest.raises(ValidationError, match="did not consent to be quoted"):
        ChosenQuote.choose(refused, by=officer)

    client.force_login(officer)
    page = client.post(
        reverse("consultations:response-quote", args=[refused.pk]), {"action": "choose"}, follow=True
    )
    assertContains(
        page, "You cannot quote this response, because the respondent did not consent to be quoted"
    )
    assert not ChosenQuote.objects.exists()

    chosen = client.post(reverse("consultations:response-quote", args=[consented.pk]), {"action": "choose"})
    assert chosen.status_code == 302
    assert ChosenQuote.objects.get().response == consented
    assert ChosenQuote.objects.get().chosen_by == officer
    page = client.get(consented.get_absolute_url())
    assertContains(page, "This comment is a chosen quote")
    removed = client.post(reverse("consultations:response-quote", args=[consented.pk]), {"action": "remove"})
    assert removed.status_code == 302
    assert not ChosenQuote.objects.exists()
    assert ChosenQuote.history.filter(history_type="-").count() == 1


def test_quotes_are_masked_and_anonymous_ones_say_nothing_of_the_respondent(officer, consultation):
    AreaFactory(name="Mansfield")
    named, anonymous = make_responses(consultation, n=2, consent_to_quote=True)
    Response.objects.filter(pk=named.pk).update(
        comment=COMMENT, respondent_type=Response.RespondentType.SURVIVOR, postcode_district="NG5"
    )
    Response.objects.filter(pk=anonymous.pk).update(
        comment=COMMENT,
        respondent_type=Response.RespondentType.SURVIVOR,
        postcode_district="NG7",
        anonymous=True,
    )
    for r in (named, anonymous):
        r.refresh_from_db()
        ChosenQuote.choose(r, by=officer)
    assert chosen_quotes(consultation) == [
        {"text": MASKED, "by": "Survivor or service user, NG5"},
        {"text": MASKED, "by": "Anonymous respondent"},
    ]


def test_the_bar_chart_has_a_title_a_description_and_a_bar_per_option_in_proportion(consultation):
    # R1..R12 choose A when i % 3 == 0, B when 1, C when 2: four each. R1 and R2 then change to
    # A and R5 to B: A has 6 (R1, R2, R3, R6, R9, R12), B 4 (R4, R5, R7, R10), C 2 (R8, R11).
    make_responses(consultation, n=12)
    a, b, _ = consultation.case.appraisals.get().options.order_by("order")
    Response.objects.filter(response_id__in=["R1", "R2"]).update(option=a)
    Response.objects.filter(response_id="R5").update(option=b)

    svg = preferences_chart(analyse(consultation))
    assert 'role="img"' in svg and "style=" not in svg and "<script" not in svg
    root = ET.fromstring(svg)
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Options people preferred"
    assert desc.text == (
        "Respondents preferring each option. "
        "Option A: Two lots: 6; Option B: One county-wide: 4; Option C: Grants: 2."
    )
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    # One bar per option, the largest at full length, the others in proportion: 6 : 4 : 2.
    assert widths == [BAR_SPACE, BAR_SPACE * 4 // 6, BAR_SPACE * 2 // 6] == [300, 200, 100]


def test_a_chart_escapes_its_labels_and_draws_a_zero_as_no_bar():
    svg = bar_chart([("<b>Safe</b> & sound", 4), ("None", 0)], chart_id="c", title="T & t", description="D")
    root = ET.fromstring(svg)
    assert [t.text for t in root.iter(f"{SVG}text")][0] == "<b>Safe</b> & sound"
    assert [r.get("width") for r in root.iter(f"{SVG}rect")] == ["300", "0"]


def test_the_page_shows_both_charts_beside_their_tables(client, officer, tagged):
    client.force_login(officer)
    page = client.get(reverse("consultations:consultation-detail", args=[tagged.pk]))
    html = page.content.decode()
    assert html.count('role="img"') == 2
    assert 'id="preferences-chart"' in html and 'id="themes-chart"' in html
    assertContains(
        page, '<caption class="govuk-table__caption govuk-table__caption--s">Comments by theme</caption>'
    )
    assertContains(page, "76 of the 108 comments are tagged with at least one theme.")
    assert "style=" not in html.split('id="responses"')[1]


def pdf_text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


def test_the_paper_prints_the_main_themes_their_counts_and_a_masked_quote(officer, tagged):
    quoted = Response.objects.get(response_id="R7")
    Response.objects.filter(pk=quoted.pk).update(comment=COMMENT, consent_to_quote=True)
    quoted.refresh_from_db()
    ChosenQuote.choose(quoted, by=officer)
    paper = start_paper(case=tagged.case, paper_type=PaperType.objects.get(slug="cabinet-report"))
    text = pdf_text(render.render_pdf(paper))
    assert "76 comments were tagged with themes" in text
    for name, count, share in [
        ("Safety", 48, "63.2%"),
        ("Refuge space", 36, "47.4%"),
        ("Children", 24, "31.6%"),
        ("Money", 12, "15.8%"),
    ]:
        assert f"{name} {count} {share}" in text, name
    assert "Transport" not in text  # tagged on no comment: not a main theme
    assert MASKED in text
    assert "Member of the public" in text  # who said it (not anonymous)
    for secret in ("jane.doe@example.com", "07700 900123", "example.com"):
        assert secret not in text


def test_the_tagging_page_shows_comments_masked_and_anonymous_ones_without_details(
    client, officer, consultation
):
    named, anonymous = make_responses(consultation, n=2)
    Response.objects.filter(pk=named.pk).update(comment=COMMENT, postcode_district="NG5")
    Response.objects.filter(pk=anonymous.pk).update(postcode_district="NG7", anonymous=True)
    make_themes(consultation)
    client.force_login(officer)
    page = client.get(tagging_url(consultation))
    assertContains(page, MASKED)
    assertNotContains(page, "jane.doe@example.com")
    assertContains(page, "Response R1: Member of the public, NG5")
    assertContains(page, "Response R2 (anonymous)")
    assertNotContains(page, "NG7")
