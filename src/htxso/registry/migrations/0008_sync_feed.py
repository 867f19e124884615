# Issue 19: the incremental sync feed for other national databases — the (updated_at, id)
# index the feed pages on, and the tombstones of deleted organisations.
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_legacy_units_and_mapping"),
        ("registry", "0007_extracts"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationTombstone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organisation_id",
                    models.BigIntegerField(unique=True, verbose_name="organisation id"),
                ),
                ("kind", models.CharField(max_length=20, verbose_name="kind")),
                ("tax_code", models.CharField(blank=True, max_length=14, verbose_name="tax code")),
                (
                    "deleted_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="deleted at"
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.province",
                        verbose_name="province",
                    ),
                ),
            ],
            options={
                "verbose_name": "deleted organisation",
                "verbose_name_plural": "deleted organisations",
                "indexes": [
                    models.Index(
                        fields=["deleted_at", "organisation_id"], name="org_tombstone_feed"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["updated_at", "id"], name="org_updated_feed"),
        ),
    ]
