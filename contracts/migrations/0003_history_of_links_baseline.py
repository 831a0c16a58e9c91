"""Start the new histories of contracts', lots' and FOI requests' links from what is stored now,
so existing links do not read as added by whoever next edits."""

from django.db import migrations

from commissioning.history_baseline import links_baseline


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_history_of_links"),
    ]

    operations = [
        links_baseline(
            "contracts",
            [
                ("Contract", ["commissioners", "providers", "services"]),
                ("Lot", ["areas", "providers"]),
                ("FOIRequest", ["contracts"]),
            ],
        )
    ]
