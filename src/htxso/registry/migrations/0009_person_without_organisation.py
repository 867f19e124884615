# Issue 16 (training): a person may have no organisation (trainers, policymakers), carries
# a year of birth (training lists often give only the year; matching people uses it) and
# may point to the record it was merged into after a duplicate review.
import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import ExtractYear


def fill_birth_year(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Person.objects.filter(birth_date__isnull=False).update(birth_year=ExtractYear("birth_date"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_sync_feed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="registry.organisation",
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="birth_year",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="year of birth"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_from",
                to="registry.person",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_text", "birth_year"], name="person_name_year"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["phone"], name="person_phone"),
        ),
        migrations.RunPython(fill_birth_year, migrations.RunPython.noop, elidable=True),
    ]
