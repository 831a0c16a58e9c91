"""Reference areas shipped with the product: every English local authority district and its
upper-tier council, with their ONS codes, from the ONS lookup kept beside this module (see
README.md for its source and licence).

``load_reference_areas`` creates what is missing and puts right what differs, so it is safe to
run again: a second run writes nothing. An area already in the service under the same name (a
seed case's "Ashfield", say) becomes the reference row rather than a duplicate of it.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

FOLDER = Path(__file__).resolve().parent
LOOKUP_CSV = FOLDER / "ons_lad_to_utla_2023.csv"
# The lookup's columns: lower tier (the district) and upper tier (its county, or itself).
DISTRICT_CODE, DISTRICT_NAME, UPPER_CODE, UPPER_NAME = "LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"


@dataclass(frozen=True)
class LookupRow:
    district_code: str
    district_name: str
    upper_code: str
    upper_name: str


def read_lookup(path: Path = LOOKUP_CSV) -> list[LookupRow]:
    """The lookup's English rows, in the file's order."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [
            LookupRow(row[DISTRICT_CODE], row[DISTRICT_NAME], row[UPPER_CODE], row[UPPER_NAME])
            for row in csv.DictReader(f)
            if row[DISTRICT_CODE].startswith("E")
        ]


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return f"Reference areas: {self.created} added, {self.updated} updated, {self.unchanged} unchanged"


@transaction.atomic
def load_reference_areas(path: Path = LOOKUP_CSV) -> Loaded:
    from commissioning.models import Area

    rows = read_lookup(path)
    # code -> (name, kind, district codes): a county is made of its districts; a unitary
    # authority (its own upper tier) is a district and made of nothing else.
    wanted: dict[str, tuple[str, str, list[str]]] = {}
    for row in rows:
        wanted[row.district_code] = (row.district_name, Area.Kind.DISTRICT, [])
    for row in rows:
        if row.upper_code != row.district_code:
            wanted.setdefault(row.upper_code, (row.upper_name, Area.Kind.COUNTY, []))[2].append(
                row.district_code
            )

    shared = list(Area.objects.filter(owner=None).prefetch_related("districts"))
    by_code = {a.ons_code: a for a in shared if a.ons_code}
    by_name = {a.name: a for a in shared if not a.ons_code}
    loaded = Loaded()
    areas, created, unchanged = {}, set(), set()
    for code, (name, kind, _) in wanted.items():
        area = by_code.get(code) or by_name.get(name)
        if area is None:
            area = Area.objects.create(ons_code=code, name=name, kind=kind, is_reference=True)
            created.add(code)
        elif (area.ons_code, area.name, area.kind, area.is_reference) != (code, name, kind, True):
            area.ons_code, area.name, area.kind, area.is_reference = code, name, kind, True
            area.save()
            loaded.updated += 1
        else:
            unchanged.add(code)
        areas[code] = area
    for code, (_, _, district_codes) in wanted.items():
        area = areas[code]
        want = {areas[c].pk for c in district_codes}
        have = set() if code in created else {d.pk for d in area.districts.all()}  # prefetched
        if want != have:
            area.districts.set(want)
            if code in unchanged:
                unchanged.discard(code)
                loaded.updated += 1
    loaded.created, loaded.unchanged = len(created), len(unchanged)
    return loaded
