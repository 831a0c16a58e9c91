"""The key dates page (with CSV and iCalendar downloads) and the action that snoozes reminders."""

import csv
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning.exports import csv_cell
from commissioning.permissions import EDITOR_ROLES, profile_of

from . import keydates
from .forms_keydates import KeyDateFilterForm, SnoozeForm
from .models import Contract, Snooze


def can_snooze(user, contract: Contract) -> bool:
    """Reminders go to the lead commissioner's officers: they (or a superuser) may stop them."""
    if user.is_superuser:
        return True
    profile = profile_of(user)
    return bool(
        profile and profile.role in EDITOR_ROLES and profile.organisation_id == contract.lead_commissioner_id
    )


def _filtered(request, today):
    form = KeyDateFilterForm(request.GET or None)
    kinds, start, stop = (), today, None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["kind"]:
            kinds = (form.cleaned_data["kind"],)
        dates = form.cleaned_data["dates"]
        if dates:
            start, stop = dates.start or today, dates.stop
    contracts = keydates.agreements(request.user)
    return form, keydates.key_dates(contracts, today, kinds=kinds, start=start, stop=stop), contracts


def key_date_list(request, *, snooze_form=None, snooze_key=None, status=200):
    today = timezone.localdate()
    form, dates, contracts = _filtered(request, today)
    export = request.GET.get("export")
    if export == "csv":
        return csv_response(dates)
    if export == "ics":
        return ics_response(request, dates)
    user = request.user
    snoozes = {
        (s.contract_id, s.kind, s.date): s
        for s in Snooze.objects.filter(user=user, contract__in=[d.agreement.pk for d in dates]).order_by(
            "created_at"
        )
        if s.applies_on(today)
    }
    rows = []
    for key_date in dates:
        key = (key_date.agreement.pk, key_date.kind, key_date.date)
        rows.append(
            {
                "key_date": key_date,
                "id": f"snooze-{key_date.agreement.reference}-{key_date.kind}-{key_date.date:%Y%m%d}",
                "snooze": snoozes.get(key),
                "can_snooze": key_date.date >= today and can_snooze(user, key_date.agreement),
                "form": snooze_form if key == snooze_key else None,
            }
        )
    error_summary = []
    if snooze_form is not None:
        row_id = next((r["id"] for r in rows if r["form"] is snooze_form), "")
        for name, errors in snooze_form.errors.items():
            anchor = f"#{row_id}-{name}" if row_id and name in ("reason", "until") else ""
            error_summary += [{"text": str(e), "href": anchor} for e in errors]
    context = {
        "form": form,
        "rows": rows,
        "today": today,
        "cliff_edges": keydates.cliff_edges(contracts, today),
        "cliff_edge_months": keydates.CLIFF_EDGE_MONTHS,
        "error_summary": error_summary,
    }
    return render(request, "contracts/key_date_list.html", context, status=status)


@require_POST
def key_date_snooze(request, reference):
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("lead_commissioner"), reference=reference
    )
    if not can_snooze(request.user, contract):
        raise PermissionDenied("Only the lead commissioner's officers can stop its reminders.")
    form = SnoozeForm(request.POST)
    today = timezone.localdate()
    if form.is_valid():
        kind, day = form.cleaned_data["kind"], form.cleaned_data["date"]
        until = form.cleaned_data["until"]
        if not any(d.kind == kind and d.date == day for d in keydates.dates_of(contract, today)):
            form.add_error(None, "This agreement has no such key date: reload the page and try again")
        elif until and until < today:
            form.add_error("until", "The day the reminders stop until must be today or later")
        else:
            Snooze.objects.create(
                contract=contract,
                kind=kind,
                date=day,
                user=request.user,
                reason=form.cleaned_data["reason"],
                until=until,
                created_by=request.user,
            )
            return redirect(reverse("contracts:key-date-list") + f"?{request.GET.urlencode()}")
    key = (contract.pk, form.data.get("kind"), form.cleaned_data.get("date"))
    return key_date_list(request, snooze_form=form, snooze_key=key)


# Downloads.
CSV_HEADER = [
    "Date",
    "Kind",
    "Agreement reference",
    "Agreement",
    "Lead commissioner",
    "Description",
    "Cliff edge",
]


def csv_response(dates) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="key-dates.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for d in dates:
        row = [
            d.date,
            d.kind_label,
            d.agreement.reference,
            d.agreement.title,
            d.organisation.name,
            d.description,
            d.cliff_edge,
        ]
        writer.writerow([csv_cell(value, False) for value in row])
    return response


def ics_escape(text: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped in TEXT values."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued on lines that start with a space."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not parts else 74
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ics_calendar(dates, *, link, stamp: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Domestic abuse commissioning//Key dates//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Key dates",
    ]
    for d in dates:
        end = d.date.toordinal() + 1
        lines += [
            "BEGIN:VEVENT",
            f"UID:{d.kind}-{d.agreement.reference}-{d.date:%Y%m%d}@da-commissioning",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{d.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{datetime.fromordinal(end):%Y%m%d}",
            f"SUMMARY:{ics_escape(f'{d.kind_label}: {d.agreement.title}')}",
            f"DESCRIPTION:{ics_escape(f'{d.description}. Lead commissioner: {d.organisation.name}.')}",
            f"URL:{link(d.agreement)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def ics_response(request, dates) -> HttpResponse:
    body = ics_calendar(
        dates,
        link=lambda agreement: request.build_absolute_uri(agreement.get_absolute_url()),
        stamp=datetime.now(UTC),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="key-dates.ics"'
    return response
