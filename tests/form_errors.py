"""Asserting where a GOV.UK error message is shown: in the field's own error line, next to it."""

from django.utils.html import escape
from pytest_django.asserts import assertContains


def assert_error_next_to(response, field_id: str, message: str):
    """The message is the error line of the field whose input has ``field_id`` (for a date, the
    id of the group: ``id_due_on``), as the GOV.UK templates draw it."""
    assertContains(
        response,
        f'<p id="{field_id}_error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {escape(message)}</p>',
        html=True,
    )
