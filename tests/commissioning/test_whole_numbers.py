"""Whole numbers typed in text boxes (ages, tiers, units, weeks, counts): read strictly and held
to the model's limits and the column's size, so a huge number is a message, not a database error."""

import pytest
from django import forms

from commissioning.fields import WholeNumberField, govuk_formfield, whole_number_bounds
from commissioning.forms import ServiceForm
from commissioning.models import Service
from consultations.models import Consultation


def field(**kwargs):
    return WholeNumberField(label="Minimum age (optional)", required=False, **kwargs)


@pytest.mark.parametrize(("typed", "expected"), [("12", 12), (" 7 ", 7), ("1,200", 1200), ("", None)])
def test_reads_whole_numbers(typed, expected):
    assert field().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("99999999999999999999", "Minimum age must be 25 or less"),
        ("9" * 5000, "Minimum age must be 25 or less"),
        ("26", "Minimum age must be 25 or less"),
        ("-1", "Minimum age must be 0 or more"),
        ("-99999999999999999999", "Minimum age must be 0 or more"),
        # int() reads each of these; none is what an officer types for 12.
        ("1_2", "Minimum age must be a whole number"),
        ("12.0", "Minimum age must be a whole number"),
        ("1e1", "Minimum age must be a whole number"),
        ("1,2", "Minimum age must be a whole number"),
        ("١٢", "Enter the minimum age using the digits 0 to 9"),
        ("１２", "Enter the minimum age using the digits 0 to 9"),
    ],
)
def test_refuses_with_a_message_naming_the_field(typed, message):
    with pytest.raises(forms.ValidationError) as caught:
        field(min_value=0, max_value=25).clean(typed)
    assert caught.value.messages == [message]


def test_bounds_are_the_model_limits_and_the_postgresql_column_size():
    # Whatever database the tests run on: SQLite's columns would take 2**63 - 1.
    assert whole_number_bounds(Service._meta.get_field("minimum_age")) == (0, 25)
    assert whole_number_bounds(Service._meta.get_field("tier_from")) == (1, 4)
    assert whole_number_bounds(Service._meta.get_field("accommodation_units")) == (0, 32767)
    assert whole_number_bounds(Consultation._meta.get_field("response_count")) == (0, 2147483647)


def test_model_forms_use_it_through_their_formfield_callback():
    minimum_age = ServiceForm.base_fields["minimum_age"]
    assert isinstance(minimum_age, WholeNumberField)
    assert (minimum_age.min_value, minimum_age.max_value) == (0, 25)
    # The form's own widget (a text box) is kept.
    assert isinstance(minimum_age.widget, forms.TextInput)
    # Fields that are not whole numbers are left to the model.
    assert not isinstance(govuk_formfield(Service._meta.get_field("name")), WholeNumberField)
