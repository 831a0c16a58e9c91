"""The GOV.UK form renderer, MoneyField and GovukDateField, and the sign-in page built on them."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from pytest_django.asserts import assertContains

from commissioning.fields import GovukDateField, MoneyField, RecordChoicesField
from commissioning.models import Organisation
from tests.factories import OrganisationFactory


class ContractForm(forms.Form):
    title = forms.CharField(label="Title", help_text="As the contract names it")
    annual_value = MoneyField(label="Annual value")
    starts_on = GovukDateField(label="Start date")
    route = forms.ChoiceField(
        label="Route", choices=[("open", "Open tender"), ("direct", "Direct award")], widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("£1,234.50", Decimal("1234.50")), ("1234.5", Decimal("1234.5")), ("1,234", Decimal("1234"))],
)
def test_money_field_accepts_written_amounts(typed, expected):
    assert MoneyField().clean(typed) == expected


def test_money_field_explains_bad_input():
    with pytest.raises(forms.ValidationError) as error:
        MoneyField().clean("twelve pounds")
    assert error.value.messages == ["Enter an amount in pounds, like £1,234.50"]
    with pytest.raises(forms.ValidationError) as error:
        MoneyField().clean("£1.234")
    assert error.value.messages == ["Amounts can have at most two decimal places (pence)"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "Enter an amount in pounds, like £1,234.50"),
        ("9" * 40, "Enter an amount less than £1,000,000,000,000"),
        ("£1,2,3", "Enter the amount with commas only between thousands, like £1,234,567"),
        ("١٢٣", "Enter the amount using the digits 0 to 9"),
    ],
)
def test_money_field_refuses_what_cannot_be_money(typed, message):
    with pytest.raises(forms.ValidationError) as error:
        MoneyField().clean(typed)
    assert error.value.messages == [message]


def test_date_field_names_itself_without_optional():
    field = GovukDateField(label="Start date (optional)", required=False)
    with pytest.raises(forms.ValidationError) as error:
        field.clean(["1", "", "2020"])
    assert error.value.messages == ["Start date must include a month"]


def test_date_field_takes_the_ends_of_its_range():
    field = GovukDateField(label="Start date")
    assert field.clean(["1", "1", "1900"]) == date(1900, 1, 1)
    assert field.clean(["31", "12", "2100"]) == date(2100, 12, 31)


@pytest.mark.django_db
def test_record_choices_refuse_a_key_beyond_any_column():
    organisation = OrganisationFactory()
    field = RecordChoicesField(queryset=Organisation.objects.all())
    assert list(field.clean([str(organisation.pk)])) == [organisation]
    for key in ["9" * 40, "9223372036854775808", "-9223372036854775809"]:
        with pytest.raises(forms.ValidationError) as error:
            field.clean([key])
        assert error.value.messages == ["Select only from the choices shown"]


def test_money_input_shows_stored_amount_with_commas():
    form = ContractForm(initial={"annual_value": Decimal("231300.00")})
    assert 'value="231,300"' in str(form["annual_value"])


def test_date_field_reads_day_month_year():
    form = ContractForm(
        data={
            "title": "X",
            "annual_value": "1",
            "route": "open",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2020",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == date(2020, 4, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2020", "Enter a real date"),
        ("1", "", "2020", "Start date must include a month"),
        ("", "", "2020", "Start date must include a day and a month"),
        ("1", "4", "20", "Year must include 4 numbers"),
        ("", "", "", "Enter a date"),
        # A 20-digit part raised OverflowError in date() (a server error).
        ("99999999999999999999", "1", "2020", "Enter a real date"),
        ("1", "99999999999999999999", "2020", "Enter a real date"),
        ("1", "1", "99999999999999999999", "Year must include 4 numbers"),
        # Python and the database take year 1; officers mean nothing of the sort.
        ("1", "1", "0001", "Year must be between 1900 and 2100"),
        ("31", "12", "1899", "Year must be between 1900 and 2100"),
        ("1", "1", "2101", "Year must be between 1900 and 2100"),
        # str.isdigit() and int() take these; an officer never means them.
        ("١", "4", "2020", "Enter the date using the digits 0 to 9"),
        ("1", "4", "２０２０", "Enter the date using the digits 0 to 9"),
        ("²", "4", "2020", "Enter the date using the digits 0 to 9"),
    ],
)
def test_date_field_messages(day, month, year, message):
    form = ContractForm(data={"starts_on_0": day, "starts_on_1": month, "starts_on_2": year})
    assert not form.is_valid()
    assert form.errors["starts_on"] == [message]


def render(template, **context):
    return Template("{% load govuk_forms %}" + template).render(Context(context))


def test_form_renders_govuk_markup_without_required():
    html = str(ContractForm())
    assert 'class="govuk-input' in html
    assert 'class="govuk-radios__input"' in html
    assert 'class="govuk-textarea' in html
    assert 'class="govuk-input__prefix" aria-hidden="true">£<' in html
    assert "govuk-date-input__input" in html
    assert 'id="id_title_helptext" class="govuk-hint">As the contract names it<' in html
    assert "required" not in html


def test_errors_render_inline_and_in_summary():
    form = ContractForm(
        data={
            "title": "",
            "annual_value": "abc",
            "route": "",
            "starts_on_0": "31",
            "starts_on_1": "2",
            "starts_on_2": "2020",
        }
    )
    assert not form.is_valid()
    html = str(form)
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert (
        '<span class="govuk-visually-hidden">Error:</span> Enter an amount in pounds, like £1,234.50' in html
    )
    assert "govuk-input--error" in html
    summary = render("{% govuk_error_summary form %}", form=form)
    assert "There is a problem" in summary
    # Each error links to the first input of its field: the day box of a date, the first radio.
    assert '<a href="#id_annual_value">Enter an amount in pounds, like £1,234.50</a>' in summary
    assert '<a href="#id_starts_on_0">Enter a real date</a>' in summary
    assert 'href="#id_route_0"' in summary


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert render("{% govuk_error_summary form %}", form=ContractForm()).strip() == ""


@pytest.mark.django_db
def test_sign_in_page_is_govuk_styled_and_reports_errors(client, officer):
    response = client.get(reverse("login"))
    assertContains(response, '<h1 class="govuk-heading-l">Sign in</h1>', html=False)
    assertContains(response, "novalidate")
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assertContains(response, "There is a problem")
    assertContains(response, "<title>Error: Sign in")
    response = client.post(
        reverse("login"), {"username": "officer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:dashboard")


@pytest.mark.django_db
def test_sign_out_is_a_post_that_ends_the_session(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("commissioning:dashboard")).status_code == 302


@pytest.mark.parametrize("multiple", [False, True])
def test_select_options_are_written_in_one_tag_as_the_template_wrote_them(multiple):
    """The project's select template writes its options in one tag (govuk_forms.select_options);
    the HTML is what its template loop wrote (checked against it), groups, selected options and
    escaping included."""
    from commissioning.forms_renderer import GovukFormRenderer

    choices = [
        ("", "Any"),
        ("Councils", [(1, "Stoke-on-Trent City Council"), (2, 'Smith & Jones "Partnership" <CIC>')]),
        (3, "Dorset Police and Crime Commissioner"),
    ]
    widget = (forms.SelectMultiple if multiple else forms.Select)(
        choices=choices, attrs={"class": "govuk-select", "id": "id_commissioner"}
    )
    html = widget.render("commissioner", ["2", "3"] if multiple else "2", renderer=GovukFormRenderer())
    many, third = (" multiple", " selected") if multiple else ("", "")
    assert html == (
        f'<select name="commissioner" class="govuk-select" id="id_commissioner"{many}>'
        '\n  <option value="">Any</option>'
        '\n  <optgroup label="Councils">'
        '\n  <option value="1">Stoke-on-Trent City Council</option>'
        '\n  <option value="2" selected>Smith &amp; Jones &quot;Partnership&quot; &lt;CIC&gt;</option>'
        "\n  </optgroup>"
        f'\n  <option value="3"{third}>Dorset Police and Crime Commissioner</option>'
        "\n</select>"
    )
