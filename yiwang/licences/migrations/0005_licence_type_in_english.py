from django.db import migrations, models


def name_types_in_english(apps, schema_editor):
    """Licences issued before the English name was kept take it from their item's versions."""
    Licence = apps.get_model("licences", "Licence")
    ItemVersion = apps.get_model("catalog", "ItemVersion")
    english = {}
    for version in ItemVersion.objects.exclude(licence_type_en="").order_by("pk"):
        english[(version.item_id, version.licence_type)] = version.licence_type_en
    for licence in Licence.objects.filter(licence_type_en="").only(
        "pk", "item_id", "licence_type"
    ):
        name = english.get((licence.item_id, licence.licence_type))
        if name:
            Licence.objects.filter(pk=licence.pk).update(licence_type_en=name)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_load_dictionaries"),
        ("licences", "0004_licence_particulars"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="licence_type_en",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="licence type (English)"
            ),
        ),
        migrations.RunPython(name_types_in_english, migrations.RunPython.noop),
    ]
