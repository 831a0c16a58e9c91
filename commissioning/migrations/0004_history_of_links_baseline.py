"""Start the new histories from what is stored now: existing links as they stand (not as added
by whoever next edits), and a "generated" row for each existing paper version."""

from django.db import migrations

from commissioning.history_baseline import links_baseline, record_paper_versions


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0003_history_of_links_and_paper_versions"),
    ]

    operations = [
        links_baseline(
            "commissioning",
            [
                ("Service", ["areas", "providers"]),
                ("OptionLot", ["areas"]),
                ("Organisation", ["members"]),
                ("Area", ["districts"]),
            ],
        ),
        # Reversing 0003 drops the table these rows are in.
        migrations.RunPython(record_paper_versions, migrations.RunPython.noop),
    ]
