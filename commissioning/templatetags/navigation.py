"""The service navigation: the product's sections, the current one marked."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (label, URL name). Registers may not be routed yet while the app grows: unrouted ones are left out.
SECTIONS = (
    ("Dashboard", "commissioning:dashboard"),
    ("Cases", "commissioning:case-list"),
    ("Services", "commissioning:service-list"),
    ("Contracts", "contracts:contract-list"),
    ("Key dates", "contracts:key-date-list"),
    ("Consultations", "consultations:consultation-list"),
    ("Organisations", "commissioning:organisation-list"),
    ("Funding", "commissioning:funding-list"),
)


@register.inclusion_tag("includes/service_navigation.html", takes_context=True)
def service_navigation(context):
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for label, name in SECTIONS:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        # The dashboard lives at "/", a prefix of every path: only an exact match is current.
        current = path == href if href == "/" else path.startswith(href)
        items.append({"label": label, "href": href, "current": current, "exact": path == href})
    # A section inside another (contracts/key-dates/ in contracts/) is current alone.
    matches = [item for item in items if item["current"]]
    for item in matches:
        item["current"] = item is max(matches, key=lambda i: len(i["href"]))
    return {"items": items, "request": request, "user": context.get("user")}
