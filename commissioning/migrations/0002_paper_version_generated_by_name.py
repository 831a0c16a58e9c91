from django.db import migrations, models


def keep_names(apps, schema_editor):
    """Versions made before the name was kept: copy it from the user, while they still exist."""
    PaperVersion = apps.get_model("commissioning", "PaperVersion")
    for version in PaperVersion.objects.exclude(generated_by=None).select_related("generated_by"):
        user = version.generated_by
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        PaperVersion.objects.filter(pk=version.pk).update(generated_by_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paperversion",
            name="generated_by_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(keep_names, migrations.RunPython.noop),
    ]
