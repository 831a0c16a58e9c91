"""Consultation responses imported from a survey export, masked, analysed and printed.

The 2,000-row export is generated from the row number ``i`` (1 to 2,000): respondent type by
``i % 7``, channel by ``i % 5``, preferred option by ``i % 11`` and area by ``i % 4``. The
expected figures are worked out from those rules by arithmetic, not by the code under test.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import PaperType
from commissioning.papers.actions import start_paper
from consultations.analysis import analyse, percentage
from consultations.importer import import_responses
from consultations.masking import mask
from consultations.models import ImportMapping, Response, validate_postcode_district
from tests.factories import (
    ConsultationFactory,
    OrganisationFactory,
    ProfileFactory,
)

N = 2000
HEADER = [
    "Response ID",
    "Are you responding as",
    "How did you respond?",
    "Date submitted",
    "Your area or postcode",
    "Which option do you prefer?",
    "How far do you agree (0-10)?",
    "Anything else you would like to tell us?",
    "May we quote you?",
]
MAPPING = {
    "response_id": "Response ID",
    "respondent_type": "Are you responding as",
    "channel": "How did you respond?",
    "received_on": "Date submitted",
    "area": "Your area or postcode",
    "option": "Which option do you prefer?",
    "scale": "How far do you agree (0-10)?",
    "comment": "Anything else you would like to tell us?",
    "consent_to_quote": "May we quote you?",
}
# i % 7: six types as the survey words them, and 6 left blank (not stated).
TYPES = [
    "Member of the public",
    "Survivor or service user",
    "Provider",
    "Partner agency",
    "Professional",
    "Elected member",
    "",
]
TYPE_LABELS = [t or "Not stated" for t in TYPES]
CHANNELS = ["Online survey", "Paper form", "Event", "E-mail", "Letter"]  # i % 5
# i % 11: 0-4 Option A, 5-7 Option B, 8-9 Option C, 10 no option.
OPTION_OF = ["Option A"] * 5 + ["Option B"] * 3 + ["Option C"] * 2 + [""]
AREAS = ["NG5", "Mansfield", "NG7 2RD", ""]  # i % 4; the full postcode is kept as NG7


def how_many(modulus: int, residues) -> int:
    """How many i in 1..N have i % modulus in ``residues``: whole cycles, then the part cycle."""
    whole, rest = divmod(N, modulus)
    return sum(whole + (1 if 1 <= r <= rest else 0) if r else whole for r in residues)


def tenths(part: int, whole: int) -> str:
    """part/whole as a percentage to one place, half up, in integer arithmetic."""
    scaled = (part * 2000 + whole) // (2 * whole)  # tenths of a per cent, rounded half up
    return f"{scaled // 10}.{scaled % 10}"


def export_row(i: int) -> list[str]:
    return [
        f"R{i:05d}",
        TYPES[i % 7],
        CHANNELS[i % 5],
        date(2026, 1, 1 + i % 28).strftime("%d/%m/%Y"),
        AREAS[i % 4],
        OPTION_OF[i % 11],
        str(i % 11),
        f"Comment number {i}",
        "Yes" if i % 2 else "No",
    ]


def csv_bytes(rows, encoding="utf-8", header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run_import(consultation, data: bytes, name="export.csv", mapping=MAPPING, tool="SmartSurvey"):
    return import_responses(consultation, io.BytesIO(data), name, mapping, tool=tool)


@pytest.fixture
def imported(consultation):
    result = run_import(consultation, csv_bytes(export_row(i) for i in range(1, N + 1)))
    assert result.ok, [str(e) for e in result.errors]
    assert result.imported == N
    return consultation


def test_every_count_and_percentage_of_2000_rows(imported):
    analysis = analyse(imported)
    assert analysis["total"] == N == Response.objects.filter(consultation=imported).count()

    by_type = {r["label"]: (r["count"], str(r["percentage"])) for r in analysis["by_type"]}
    expected_types = {label: how_many(7, [r]) for r, label in enumerate(TYPE_LABELS)}
    assert by_type == {label: (n, tenths(n, N)) for label, n in expected_types.items()}
    assert sum(expected_types.values()) == N

    by_channel = {r["label"]: (r["count"], str(r["percentage"])) for r in analysis["by_channel"]}
    assert by_channel == {c: (how_many(5, [r]), tenths(how_many(5, [r]), N)) for r, c in enumerate(CHANNELS)}
    assert by_channel["Online survey"] == (400, "20.0")

    by_area = {r["label"]: r["count"] for r in analysis["by_area"]}
    assert by_area == {"NG5": 500, "Mansfield": 500, "NG7": 500, "Not stated": 500}
    assert not Response.objects.filter(postcode_district__contains=" ").exists()

    preferences = analysis["preferences"]
    counts = {
        "Option A": how_many(11, range(0, 5)),
        "Option B": how_many(11, range(5, 8)),
        "Option C": how_many(11, range(8, 10)),
    }
    answered = N - how_many(11, [10])
    assert (answered, preferences["no_preference"]) == (sum(counts.values()), how_many(11, [10]))
    assert {r["option"]: (r["count"], str(r["percentage"])) for r in preferences["rows"]} == {
        option: (n, tenths(n, answered)) for option, n in counts.items()
    }
    # 2000 = 181 cycles of 11 and 9 over: A 5*181+4, B 3*181+3, C 2*181+2 of the 1,819 that chose.
    assert counts == {"Option A": 909, "Option B": 546, "Option C": 364}
    assert [str(r["percentage"]) for r in preferences["rows"]] == ["50.0", "30.0", "20.0"]
    assert preferences["leader"] == "Option A was preferred by most (909, 50.0%)."

    crosstab = analysis["crosstab"]
    assert crosstab["columns"] == TYPE_LABELS
    rows = {row["option"]: row["cells"] for row in crosstab["rows"]}
    # Option A among the public: i % 11 in 0..4 and i % 7 == 0, i.e. i % 77 in the residues
    # that are both (by the Chinese remainder theorem, one per pair).
    for option, residues in (
        ("Option A", range(0, 5)),
        ("Option B", range(5, 8)),
        ("Option C", range(8, 10)),
    ):
        for column, kind in enumerate(range(7)):
            both = [r for r in range(77) if r % 11 in residues and r % 7 == kind]
            assert rows[option][column] == how_many(77, both), (option, TYPE_LABELS[column])
    assert rows["No option chosen"] == [
        how_many(77, [r for r in range(77) if r % 11 == 10 and r % 7 == k]) for k in range(7)
    ]
    assert crosstab["totals"] == [how_many(7, [k]) for k in range(7)]
    # Scale, consent and dates were read too.
    sample = Response.objects.get(consultation=imported, response_id="R00214")
    assert (sample.scale, sample.consent_to_quote, sample.received_on) == (214 % 11, False, date(2026, 1, 19))
    assert sample.history.count() == 1


def test_percentages_round_half_up_and_ties_are_stated(consultation):
    assert percentage(1, 8) == Decimal("12.5")
    assert percentage(1, 16) == Decimal("6.3")  # 6.25 up, not to even
    assert percentage(2, 3) == Decimal("66.7")
    rows = [
        [f"T{i}", "", "", "", "", option, "", "", ""] for i, option in enumerate(["A", "B", "Option A", "B"])
    ]
    assert run_import(consultation, csv_bytes(rows)).ok
    leader = analyse(consultation)["preferences"]["leader"]
    assert leader == "Option A and Option B tied, with 2 each (50.0%)."


def test_three_bad_rows_are_reported_exactly_and_nothing_is_saved(consultation):
    rows = [export_row(i) for i in range(1, 1001)]
    rows[212][5] = "Option E"  # row 214 of the sheet: the header is row 1
    rows[499][3] = "31/02/2026"
    rows[899][1] = "Alien"
    result = run_import(consultation, csv_bytes(rows))
    assert [str(e) for e in result.errors] == [
        "Row 214, column 'Which option do you prefer?': 'Option E' is not one of this case's options",
        "Row 501, column 'Date submitted': '31/02/2026' is not a date (use 2026-12-01 or 01/12/2026)",
        "Row 901, column 'Are you responding as': 'Alien' is not a respondent type",
    ]
    assert (result.ok, result.imported) == (False, 0)
    assert Response.objects.count() == 0
    assert Response.history.count() == 0
    assert not ImportMapping.objects.exists()


def test_the_same_response_id_twice_is_refused(consultation):
    rows = [export_row(1), export_row(2), export_row(1)]
    result = run_import(consultation, csv_bytes(rows))
    assert [str(e) for e in result.errors] == [
        "Row 4, column 'Response ID': response 'R00001' is also on row 2"
    ]
    assert Response.objects.count() == 0
    assert run_import(consultation, csv_bytes(rows[:2])).ok
    again = run_import(consultation, csv_bytes([export_row(2), export_row(3)]))
    assert [str(e) for e in again.errors] == [
        "Row 2, column 'Response ID': response 'R00002' is already imported"
    ]
    assert Response.objects.count() == 2


def test_windows_1252_and_utf8_with_a_byte_order_mark_both_read(consultation):
    row = export_row(7)
    row[7] = "£20 a week for travel is too much – I couldn’t pay it"
    assert run_import(consultation, csv_bytes([row], encoding="cp1252")).ok
    row[0] = "BOM-1"
    assert run_import(consultation, csv_bytes([row], encoding="utf-8-sig")).ok
    comments = set(Response.objects.values_list("comment", flat=True))
    assert comments == {"£20 a week for travel is too much – I couldn’t pay it"}
    assert set(Response.objects.values_list("response_id", flat=True)) == {"R00007", "BOM-1"}


def test_an_excel_workbook_reads_like_the_csv(consultation):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(1, 12):
        row = export_row(i)
        row[3] = date(2026, 1, 1 + i % 28)  # a real date cell
        row[6] = i % 11  # a number cell
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    assert run_import(consultation, out.getvalue(), name="export.xlsx").ok
    assert Response.objects.get(response_id="R00003").received_on == date(2026, 1, 4)
    assert analyse(consultation)["preferences"]["rows"][0]["count"] == 5


def test_postcode_districts_only():
    validate_postcode_district("NG5")
    validate_postcode_district("SW1A")
    with pytest.raises(Exception, match="not a postcode district"):
        validate_postcode_district("NG5 1AB")


def test_masking():
    text = (
        "I'm worried. My name is Jane Smith, email jane.smith@example.org, "
        "ring 07700 900123 or (0115) 912 3456."
    )
    assert mask(text) == (
        "I'm worried. My name is [name removed], email [email removed], "
        "ring [phone removed] or [phone removed]."
    )
    assert mask("We live at NG5 1AB, in NG5.") == "We live at [postcode removed], in NG5."
    assert mask("I am English and I am Worried") == "I am English and I am Worried"


COMMENT = "Please contact me on jane.doe@example.com or 07700 900123, I am Sarah"


@pytest.fixture
def with_contact_details(consultation):
    row = export_row(5)
    row[7] = COMMENT
    assert run_import(consultation, csv_bytes([row])).ok
    return Response.objects.get()


def test_a_comment_is_masked_on_pages_and_absent_from_the_paper(
    client, officer, consultation, with_contact_details
):
    client.force_login(officer)
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    assertContains(page, "Please contact me on [email removed] or [phone removed], I am [name removed]")
    assertNotContains(page, "jane.doe@example.com")
    # The lead's officer may open the comment as written, on the response's page only.
    response_page = client.get(with_contact_details.get_absolute_url())
    assertContains(response_page, "[email removed]")
    assertContains(response_page, "jane.doe@example.com")
    paper = start_paper(case=consultation.case, paper_type=PaperType.objects.get(slug="cabinet-report"))
    html = client.get(reverse("commissioning:paper-detail", args=[paper.pk])).content.decode()
    assert "1 response was received." in html
    for secret in ("jane.doe@example.com", "07700 900123", "Sarah"):
        assert secret not in html


def test_a_partners_officer_sees_only_the_masked_comment(client, consultation, with_contact_details):
    partner = OrganisationFactory(name="Partner PCC")
    consultation.case.partners.add(partner)
    client.force_login(ProfileFactory(organisation=partner).user)
    page = client.get(with_contact_details.get_absolute_url())
    assertContains(page, "[email removed]")
    assertNotContains(page, "jane.doe@example.com")
    upload = client.get(reverse("consultations:response-import", args=[consultation.pk]))
    assert upload.status_code == 403


def test_another_organisations_officer_gets_404(client, other_officer, consultation, with_contact_details):
    client.force_login(other_officer)
    for url in (
        reverse("consultations:response-import", args=[consultation.pk]),
        reverse("consultations:response-import-map", args=[consultation.pk, 1]),
        with_contact_details.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_paper_prints_the_computed_figures(client, officer, imported):
    client.force_login(officer)
    paper = start_paper(case=imported.case, paper_type=PaperType.objects.get(slug="cabinet-report"))
    page = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(page, "2,000 responses were received.")
    assertNotContains(page, "19 responses were reported as received")  # the reported figure
    assertContains(page, "Option A was preferred by most (909, 50.0%).")
    assertContains(page, "Shares are of the 1,819 responses that chose an option; 181 chose none.")
    assertContains(page, '<td class="num">909</td><td class="num">50.0%</td>', html=False)
    assertContains(
        page, f'<th scope="row">Survivor or service user</th><td class="num">{how_many(7, [1])}</td>'
    )


def test_seeded_figures_stay_labelled_reported(client, officer, consultation):
    client.force_login(officer)
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    assertContains(page, "19 (reported)")


def test_upload_map_preview_and_import_through_the_pages(client, officer, consultation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    url = reverse("consultations:response-import", args=[consultation.pk])
    data = csv_bytes(export_row(i) for i in range(1, 51))
    response = client.post(url, {"tool": "SmartSurvey", "file": SimpleUploadedFile("export.csv", data)})
    assert response.status_code == 302
    map_url = response["Location"]
    page = client.get(map_url)
    assertContains(page, "9 columns")
    form = {**MAPPING}
    preview = client.post(map_url, {**form, "action": "preview"})
    assertContains(preview, "The first rows as they will be read")
    assertContains(preview, "R00001")
    assert Response.objects.count() == 0
    done = client.post(map_url, {**form, "action": "import"})
    assert done.status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 50
    assert ImportMapping.objects.get(consultation=consultation, tool="SmartSurvey").columns == MAPPING
    assert not list(tmp_path.rglob("*.csv"))  # the upload is gone once imported
    # The next file from the same tool starts with the remembered columns.
    response = client.post(url, {"tool": "SmartSurvey", "file": SimpleUploadedFile("next.csv", data)})
    page = client.get(response["Location"])
    assertContains(page, "The columns chosen for the last file from SmartSurvey are filled in.")
    # A small file is imported in the request; a refused one comes back to its page, which lists why.
    refused = client.post(response["Location"], {**form, "action": "import"}, follow=True)
    assertContains(refused, "Nothing was imported: 50 problems in the file")
    assertContains(
        refused, "Row 2, column &#x27;Response ID&#x27;: response &#x27;R00001&#x27; is already imported"
    )


def test_upload_refuses_other_files(client, officer, consultation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    url = reverse("consultations:response-import", args=[consultation.pk])
    response = client.post(url, {"tool": "Forms", "file": SimpleUploadedFile("notes.txt", b"hello")})
    assertContains(response, "The file must be a CSV file or an Excel workbook (.xlsx)")


def test_the_command_imports_with_a_mapping_or_the_remembered_one(consultation, officer, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(export_row(i) for i in range(1, 21)))
    out = io.StringIO()
    call_command(
        "import_responses",
        consultation.pk,
        str(path),
        "--mapping",
        json.dumps(MAPPING),
        "--tool",
        "SmartSurvey",
        stdout=out,
    )
    assert "20 responses imported" in out.getvalue()
    path.write_bytes(csv_bytes(export_row(i) for i in range(21, 31)))
    call_command(
        "import_responses",
        consultation.pk,
        str(path),
        "--tool",
        "SmartSurvey",
        "--user",
        "officer",
        stdout=out,
    )
    assert Response.objects.count() == 30
    assert Response.history.filter(history_user__username="officer").count() == 10  # the second file
    path.write_bytes(csv_bytes([export_row(30)]))
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command(
            "import_responses", consultation.pk, str(path), "--tool", "SmartSurvey", stderr=io.StringIO()
        )


def test_the_case_page_counts_the_responses_held(client, officer, consultation, with_contact_details):
    client.force_login(officer)
    page = client.get(consultation.case.get_absolute_url())
    assertContains(page, '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>', html=False)
    assertNotContains(page, "(reported)")


def test_an_option_with_responses_stays_unless_its_case_goes(consultation):
    from django.db.models import RestrictedError

    assert run_import(consultation, csv_bytes([export_row(1)])).ok
    option = Response.objects.get().option
    with pytest.raises(RestrictedError):
        option.delete()
    consultation.case.delete()
    assert not Response.objects.exists()


def test_appraisal_support_counts_the_responses_held_not_the_typed_figures(imported):
    """The scores table's "support" column: once responses are held, the option's count comes
    from them (i % 11 in 0-4 for A: 5 residues of 11 in 1..2000), not from a typed preference."""
    from commissioning.scoring import score_table

    appraisal = imported.case.appraisals.get()
    option_a = appraisal.options.get(label="A")
    imported.preferences.create(option=option_a, respondents=19)  # typed before the import
    appraisal.options.update(shortlisted=True)
    support = {row.option.label: row.support for row in score_table(appraisal).rows}
    assert support == {
        "A": how_many(11, range(0, 5)),
        "B": how_many(11, range(5, 8)),
        "C": how_many(11, range(8, 10)),
    }
    # Another consultation on the same case without responses: its typed count is added.
    other = ConsultationFactory(case=imported.case, title="Providers' event")
    other.preferences.create(option=option_a, respondents=7)
    support = {row.option.label: row.support for row in score_table(appraisal).rows}
    assert support["A"] == how_many(11, range(0, 5)) + 7


def test_a_response_names_the_leads_own_areas_but_never_another_organisations(
    consultation, other_organisation
):
    from commissioning.models import Area
    from consultations.importer import Vocabulary

    own = Area.objects.create(name="Lot 1", kind=Area.Kind.LOT, owner=consultation.case.lead_commissioner)
    Area.objects.create(name="Lot 2", kind=Area.Kind.LOT, owner=other_organisation)
    vocabulary = Vocabulary(consultation)
    assert vocabulary.area("Lot 1") == (own, "")
    assert vocabulary.area("Mansfield") == (Area.objects.get(name="Mansfield", owner=None), "")
    with pytest.raises(ValueError, match="'Lot 2' is neither an area nor a postcode district"):
        vocabulary.area("Lot 2")
