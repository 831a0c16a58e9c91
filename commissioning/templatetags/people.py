"""How pages name a person: their full name, else their username, else what the record kept.

A record can outlive its user's link (a seeded approval has no submitter; a version's
generator may have been removed), so a missing user prints the fallback, never an error.
"""

from django import template

register = template.Library()


@register.filter
def person(user, fallback="Not recorded"):
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


@register.filter
def unpublished(record, field: str) -> bool:
    """Whether the record's sources do not publish this fact (it then reads "Not published")."""
    return field in (getattr(record, "not_published", None) or [])
