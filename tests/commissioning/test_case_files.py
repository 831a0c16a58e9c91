"""import_case and export_case: every mistake named with its key path and line, nothing saved from a
file with any; a second import changes nothing and keeps what officers changed; history names
the importing user; the seed cases export and import back identical.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from commissioning.case_files import CaseFileInvalid, export_case, import_case_text, schema
from commissioning.models import Case, Decision, Milestone, Organisation
from commissioning.seed_cases import CASES
from tests.commissioning.case_file_helpers import as_data, empty_database

pytestmark = pytest.mark.django_db

BOROUGH = Path(__file__).resolve().parent.parent / "case_files" / "anytown-borough.yaml"


def line_of(text: str, fragment: str, start: int = 0) -> int:
    """The number of the first line holding ``fragment`` after line ``start``, counted from 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > start and fragment in line:
            return number
    raise AssertionError(fragment)


def with_mistakes() -> str:
    text = BOROUGH.read_text()
    for old, new in (
        ("    maker: Cabinet\n    decided_by:", "    maker: Cabinett\n    decided_by:"),
        ('        amount: "140,000"', "        amount: 140000.5"),
        ("    due: 2024-07\n", "    due: soon\n"),
        ("    decided_on: 2023-08-14\n", "    decided_on: 14/08/2023\n"),
        (
            "  lead: Anytown Borough Council\n  stage:",
            "  lead: Anytown Borough Council\n  partners:\n    - Anytown CCG\n  stage:",
        ),
        ("    relation: bridges\n", "    relation: bridges\n    value_line: []\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_every_mistake_is_named_with_its_key_path_and_line_and_nothing_is_saved():
    text = with_mistakes()
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    messages = [str(p) for p in raised.value.problems]
    expected = [
        f"case.partners[1] (line {line_of(text, '- Anytown CCG')}): no organisation 'Anytown CCG': "
        "list it under organisations",
        f"services[1].funding[1].amount (line {line_of(text, 'amount: 140000.5')}): write amounts in "
        'quotes, like "231,300" or "231300.00"; not 140000.5',
        f"decisions[1].decided_on (line {line_of(text, 'decided_on: 14/08/2023')}): enter a date as "
        "year-month-day, like 2011-10-13; not '14/08/2023'",
        f"decisions[2].maker (line {line_of(text, 'maker: Cabinett')}): no meeting body 'Cabinett' of "
        "Anytown Borough Council: list it under the organisation's meeting_bodies",
        f"milestones[3].due (line {line_of(text, 'due: soon')}): enter the date as written: 2019-11-14, "
        "2019-11, 2019 Q4, autumn 2019 or 2019; not 'soon'",
        f"contracts[2].value_line (line {line_of(text, 'value_line:')}): unknown key 'value_line' "
        "for a contract; the keys are: reference, title, kind, decision,",
    ]
    assert len(messages) == len(expected), messages
    for message, start in zip(messages, expected, strict=True):
        assert message.startswith(start), (message, start)
    assert not Case.objects.exists() and not Organisation.objects.exists()


def test_a_value_line_that_ends_before_it_starts_is_named_by_key_path_and_line():
    text = BOROUGH.read_text()
    old = "        starts_on: 2023-09-01\n        ends_on: 2025-03-31\n"
    assert text.count(old) == 1
    text = text.replace(old, "        starts_on: 2025-03-31\n        ends_on: 2023-09-01\n")
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert [str(p) for p in raised.value.problems] == [
        f"contracts[2].value_lines[1].ends_on (line {line_of(text, 'ends_on: 2023-09-01')}): The period "
        "must end on or after the day it starts"
    ]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "old, new, at, message",
    [
        (
            "      - label: The 19 months",
            "      - kind: extension\n        option: 2\n        label: The 19 months",
            "option: 2",
            "contracts[2].value_lines[1].option (line {line}): the contract has 1 extension(s) or break "
            "clause(s), not 2",
        ),
        (
            "    predecessor: abc-da-2018\n",
            "    predecessor: abc-da-2017\n",
            "predecessor: abc-da-2017",
            "contracts[2].predecessor (line {line}): no contract 'abc-da-2017'",
        ),
        (
            "      - annual_value\n",
            "      - value\n",
            "- value",
            "contracts[1].not_published[1] (line {line}): 'value' is not a fact a contract can leave "
            "unpublished; choose from: starts_on, ends_on, initial_term_months, annual_value",
        ),
        (
            "      - published_on\n",
            "      - published_on\n    published_on: 2023-08-15\n",
            "published_on: 2023-08-15",
            "decisions[1].published_on (line {line}): leave this out: not_published says the sources do "
            "not publish it",
        ),
        (
            "          - 85312000-9\n",
            "          - 8531200\n",
            "cpv_codes:",
            "contracts[3].tender_notices[1].cpv_codes (line {line}): Enter CPV codes as 8 digits and a "
            "check digit, like 85312000-9 (not 8531200)",
        ),
    ],
)
def test_mistakes_in_the_newer_keys_are_named_by_key_path_and_line(old, new, at, message):
    """``at``: what the line the message names holds."""
    text = BOROUGH.read_text()
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert [str(p) for p in raised.value.problems] == [message.format(line=line_of(text, at))]


def test_evidence_and_capacity_figures_are_checked_like_any_other_key():
    text = (BOROUGH.parent / "anyvale-committee.yaml").read_text()
    mistakes = (('    value: "11.2"\n', "    value: eleven\n"), ("    provided: 15\n", "    provided: -1\n"))
    for old, new in mistakes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert [str(p) for p in raised.value.problems] == [
        f"evidence[2].value (line {line_of(text, 'value: eleven')}): enter a number, like 8400, "
        "\"8,400\" or 11.2; not 'eleven'",
        f"capacity[1].provided (line {line_of(text, 'provided: -1')}): must be 0 or more",
    ]


def test_the_command_lists_the_mistakes_and_saves_nothing(tmp_path):
    path = tmp_path / "anytown.yaml"
    path.write_text(with_mistakes())
    with pytest.raises(CommandError) as raised:
        call_command("import_case", str(path), stdout=StringIO())
    assert str(raised.value).startswith(f"{path} has 6 mistake(s); nothing was saved:\n  case.partners[1]")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("format: 2\ncase: {}\n", "format (line 1): this service reads case files of format 1, not 2"),
        ("format: 1\ncase:\n  title: [x\n", "line 4: this is not valid YAML"),
        (
            "format: 1\ncase:\n  title: A\n  title: B\n",
            "line 4: this is not valid YAML: found duplicate key",
        ),
        ("- a list\n", "line 1: a case file is a set of keys such as format:, case:"),
        ("case: {}\n", "line 1: enter the format of a case file ('format:' is missing)"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(text, message):
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert str(raised.value).startswith(message)


def test_the_same_entry_twice_is_refused_rather_than_merged():
    text = BOROUGH.read_text().replace("  - title: Tender closes", "  - title: Cabinet decides to tender")
    first = line_of(text, "title: Cabinet decides to tender")
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert [str(p) for p in raised.value.problems] == [
        f"milestones[3] (line {line_of(text, 'title: Cabinet decides to tender', first)}): another entry "
        "in this file is a milestone with the same title"
    ]


def row_keys():
    return {
        model._meta.label: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label in ("commissioning", "contracts", "consultations")
    }


def test_importing_again_changes_nothing(tmp_path):
    out = StringIO()
    call_command("import_case", str(BOROUGH), stdout=out)
    assert out.getvalue().startswith("anytown-da: 41 created, 0 updated, 0 unchanged")
    before = row_keys()
    out = StringIO()
    call_command("import_case", str(BOROUGH), stdout=out)
    assert re.fullmatch(r"anytown-da: 0 created, 0 updated, \d+ unchanged, 0 links changed\n", out.getvalue())
    assert row_keys() == before


def test_history_names_the_importing_user_and_the_file():
    alice = get_user_model().objects.create(username="alice")
    call_command("import_case", str(BOROUGH), "--user", "alice", stdout=StringIO())
    record = Case.history.get(reference="anytown-da", history_type="+")
    assert record.history_user == alice
    assert record.history_change_reason == "Imported from the case file anytown-borough.yaml (import_case)"
    with pytest.raises(CommandError, match="There is no user 'nobody'."):
        call_command("import_case", str(BOROUGH), "--user", "nobody", stdout=StringIO())


def test_a_second_import_keeps_what_an_officer_changed_and_reset_puts_it_back(monkeypatch):
    from commissioning.audit import acting_as

    call_command("import_case", str(BOROUGH), stdout=StringIO())
    officer = get_user_model().objects.create(username="ann", first_name="Ann", last_name="Officer")
    with acting_as(officer):
        decision = Decision.objects.get(reference="CAB/24/031")
        decision.title = "Tender in two lots (renamed)"
        decision.save()
        milestone = Milestone.objects.get(title="Tender closes")
        milestone.note = "Extended by a week."
        milestone.save()
    out = StringIO()
    call_command("import_case", str(BOROUGH), stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert "2 changed since loading, kept as they are" in out.getvalue()
    assert Decision.objects.get(pk=decision.pk).title == "Tender in two lots (renamed)"

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was changed."):
        call_command("import_case", str(BOROUGH), "--reset", stdout=out)
    assert "--reset will overwrite 2 changed row(s):" in out.getvalue()
    assert Milestone.objects.get(pk=milestone.pk).note == "Extended by a week."

    call_command("import_case", str(BOROUGH), "--reset", "--yes", stdout=StringIO())
    assert (
        Decision.objects.get(pk=decision.pk).title
        == "Recommissioning domestic abuse support: tender in two lots"
    )
    assert Milestone.objects.get(pk=milestone.pk).note == ""


def test_export_case_writes_the_file_or_says_what_is_missing(tmp_path):
    call_command("import_case", str(BOROUGH), stdout=StringIO())
    out = StringIO()
    call_command("export_case", "anytown-da", stdout=out)
    assert out.getvalue() == export_case(Case.objects.get(reference="anytown-da"))
    assert "  - reference: CAB/24/031\n" in out.getvalue()
    # Computed figures are never written.
    assert "call_in_deadline" not in out.getvalue() and "21 March" not in out.getvalue()
    target = tmp_path / "anytown.yaml"
    call_command("export_case", "anytown-da", "--output", str(target), stderr=StringIO())
    assert target.read_text() == out.getvalue()
    with pytest.raises(CommandError, match="There is no case 'nowhere'."):
        call_command("export_case", "nowhere")


def test_the_seed_cases_export_import_into_an_empty_database_and_export_again_identically():
    call_command("load_seed_cases", stdout=StringIO())
    first = {reference: export_case(Case.objects.get(reference=reference)) for reference in CASES}
    empty_database()
    for reference in CASES:
        import_case_text(first[reference])
        assert export_case(Case.objects.get(reference=reference)) == first[reference], reference


DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "case-files.md"


def test_the_documented_example_imports_and_exports_back_to_the_same_content():
    text = DOCS.read_text()
    example = text.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("\n```", 1)[0]
    tally = import_case_text(example)
    assert tally["created"] > 50
    assert as_data(export_case(Case.objects.get(reference=tally.reference))) == as_data(example)


def test_every_key_of_the_format_is_documented():
    text = DOCS.read_text()
    entries = [value for value in vars(schema).values() if isinstance(value, schema.Entry)]
    missing = [f"{e.what}: {k}" for e in entries for k in e.names if f"| `{k}`" not in text]
    missing += [k for k in schema.TOP_LEVEL if f"| `{k}`" not in text]
    assert missing == []
    assert "[docs/case-files.md](docs/case-files.md)" in (DOCS.parent.parent / "README.md").read_text()


def test_an_entry_with_a_mistake_is_reported_once_not_again_where_it_is_named():
    """Anytown Women's Aid is named as a provider and a contract's provider: its wrong kind is
    the one mistake, not three."""
    text = BOROUGH.read_text().replace("    kind: charity\n", "    kind: charities\n", 1)
    with pytest.raises(CaseFileInvalid) as raised:
        import_case_text(text)
    assert [str(p) for p in raised.value.problems] == [
        f"organisations[2].kind (line {line_of(text, 'kind: charities')}): 'charities' is not a kind of "
        "organisation; choose one of: county_council, city_council, unitary_council, district_council, "
        "london_borough, metropolitan_district, opcc, mayoral_pcc, combined_authority, fire_authority, "
        "health_body, icb, government_department, partnership, charity, housing_association, consortium, "
        "company"
    ]
