"""Reminder e-mails for key dates: 3 months, 1 month and 1 week before each, to the commissioning
officers of the agreement's lead commissioner.

Each reminder is recorded (``Reminder``) as it is sent and never sent twice, however often this
runs; a day missed is caught up by sending the latest reminder due (at 3 weeks before a date
with none sent, the 1-month one), once. A person's snoozed key date sends them nothing.
"""

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from commissioning.models import Profile

from . import keydates
from .models import Contract, Reminder, ReminderLead, Snooze

RECIPIENT_ROLES = (Profile.Role.OFFICER,)


def _officers(organisation_ids) -> dict[int, list]:
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role__in=RECIPIENT_ROLES,
            profile__organisation_id__in=organisation_ids,
        )
        .exclude(email="")
        .select_related("profile")
        .order_by("pk")
    )
    by_organisation = defaultdict(list)
    for user in users:
        by_organisation[user.profile.organisation_id].append(user)
    return by_organisation


def _message(key_date: keydates.KeyDate, lead: str) -> tuple[str, str]:
    agreement = key_date.agreement
    when = ReminderLead(lead).label.replace(" before", "")
    subject = f"In {when}: {key_date.kind_label.lower()}, {agreement.title}"
    body = (
        f"{key_date.kind_label} on {key_date.date:%-d %B %Y} ({when} from now).\n\n"
        f"{agreement.title} ({agreement.reference}), led by {key_date.organisation.name}:\n"
        f"{key_date.description}.\n\n"
        f"The agreement: {agreement.get_absolute_url()}\n"
        "Every key date, and where to snooze these reminders: /contracts/key-dates/\n"
    )
    return subject, body


def send_reminders(today: date) -> list[Reminder]:
    """Send every reminder due on ``today`` not sent before nor snoozed; return those sent."""
    dates = keydates.key_dates(keydates.prefetched(Contract.objects.all()), today, start=today)
    due = [(d, d.reminder_due(today)) for d in dates]
    due = [(d, lead) for d, lead in due if lead]
    if not due:
        return []
    officers = _officers({d.organisation.pk for d, _ in due})
    contract_ids = {d.agreement.pk for d, _ in due}
    sent = set(
        Reminder.objects.filter(contract__in=contract_ids, date__gte=today).values_list(
            "contract_id", "kind", "date", "user_id", "lead"
        )
    )
    snoozed = {
        (s.contract_id, s.kind, s.date, s.user_id)
        for s in Snooze.objects.filter(contract__in=contract_ids, date__gte=today)
        if s.applies_on(today)
    }
    reminders = []
    for key_date, lead in due:
        for user in officers.get(key_date.organisation.pk, []):
            ids = (key_date.agreement.pk, key_date.kind, key_date.date, user.pk)
            if (*ids, lead) in sent or ids in snoozed:
                continue
            subject, body = _message(key_date, lead)
            try:
                # The row first: a second run at the same moment meets the unique constraint and
                # sends nothing; a mail that fails takes its row with it, to be tried again.
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        contract=key_date.agreement,
                        kind=key_date.kind,
                        date=key_date.date,
                        lead=lead,
                        user=user,
                    )
                    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
            except IntegrityError:
                continue
            reminders.append(reminder)
    return reminders
