"""Who may do what. Seeing is scoped by organisation (``visible_to`` on each queryset);
changing case data is for the lead commissioner's officers and administrators only.

Partner commissioners' staff read what is shared with them and never edit it, even a service
their own organisation manages once it is in scope of a case another organisation leads: that
case's papers print it, so its lead answers for it. Approvers, finance and legal officers act
through approval steps, not by editing case data.
"""

from django.core.exceptions import PermissionDenied

from commissioning.models import Case, Profile

EDITOR_ROLES = frozenset({Profile.Role.OFFICER, Profile.Role.ADMINISTRATOR})


def profile_of(user) -> Profile | None:
    return getattr(user, "profile", None) if user.is_authenticated else None


def is_editor(user) -> bool:
    """May create records at all: a commissioning officer or administrator, or a superuser."""
    profile = profile_of(user)
    return user.is_superuser or bool(profile and profile.role in EDITOR_ROLES)


def require_editor(user) -> None:
    if not is_editor(user):
        raise PermissionDenied("Only commissioning officers can create records.")


def can_edit_service(user, service) -> bool:
    """Officers of the lead of a case the service is in scope of; for a service in no case led by
    another organisation, officers of its managing commissioner. Partners never edit."""
    if user.is_superuser:
        return True
    profile = profile_of(user)
    if not profile or profile.role not in EDITOR_ROLES:
        return False
    if editable_cases(user).filter(services=service).exists():
        return True
    led_by_others = service.cases.exclude(lead_commissioner_id=profile.organisation_id).exists()
    return service.commissioner_id == profile.organisation_id and not led_by_others


def can_edit_case(user, case: Case) -> bool:
    if user.is_superuser:
        return True
    profile = profile_of(user)
    return bool(
        profile and profile.role in EDITOR_ROLES and case.lead_commissioner_id == profile.organisation_id
    )


def require_case_editor(user, case: Case) -> None:
    """Raise PermissionDenied (403) unless the user may change this case's data."""
    if not can_edit_case(user, case):
        raise PermissionDenied("Only the lead commissioner's officers can change this case.")


def editable_cases(user):
    """Cases the user may change; a subset of Case.objects.visible_to(user)."""
    if user.is_superuser:
        return Case.objects.all()
    profile = profile_of(user)
    if not profile or profile.role not in EDITOR_ROLES:
        return Case.objects.none()
    return Case.objects.filter(lead_commissioner_id=profile.organisation_id)


# Option appraisals and approvals.
def can_score(user, appraisal) -> bool:
    """Scorers are the lead commissioner's officers, while the appraisal is still a draft."""
    return can_edit_case(user, appraisal.case) and not appraisal.is_locked


def can_act_on_step(user, step) -> bool:
    """The right role in the lead organisation, not the submitter (see ApprovalStep.refusal_for)."""
    return user.is_authenticated and not step.decision and not step.refusal_for(user)
