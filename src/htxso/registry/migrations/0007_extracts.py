# Issue 19: business-registration and tax extracts, reconciliation (filled by its author).
import csv
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import htxso.core.files

VSIC_CSV = Path(__file__).resolve().parent.parent / "data" / "vsic2018_sectors.csv"


def load_vsic(apps, schema_editor):
    """The VSIC 2018 → sector table, kept as data (registry/data/vsic2018_sectors.csv)."""
    VsicSector = apps.get_model("registry", "VsicSector")
    with VSIC_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            VsicSector.objects.update_or_create(
                code=row["code"], defaults={"sector": row["sector"], "label": row["label"]}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_legacy_units_and_mapping"),
        ("registry", "0006_import_batches_heartbeat_cancel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VsicSector",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=5, unique=True, verbose_name="VSIC code")),
                ("label", models.CharField(max_length=255, verbose_name="label")),
                (
                    "sector",
                    models.CharField(
                        choices=[
                            ("agriculture", "Agriculture"),
                            ("forestry", "Forestry"),
                            ("fishery", "Fishery and aquaculture"),
                            ("industry", "Industry and handicrafts"),
                            ("construction", "Construction"),
                            ("trade", "Trade and services"),
                            ("transport", "Transport"),
                            ("credit", "People's credit fund"),
                            ("tourism", "Tourism"),
                            ("environment", "Environment and water"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="sector",
                    ),
                ),
            ],
            options={
                "verbose_name": "VSIC mapping",
                "verbose_name_plural": "VSIC mappings",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="organisation",
            name="dissolved_on",
            field=models.DateField(
                blank=True,
                help_text="From this day the organisation no longer counts as operating.",
                null=True,
                verbose_name="dissolved on",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="representative",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=150,
                verbose_name="legal representative",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="status_changed_on",
            field=models.DateField(blank=True, null=True, verbose_name="status changed on"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="tax_status",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=20, verbose_name="tax status"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="tax_status_on",
            field=models.DateField(blank=True, null=True, verbose_name="tax status as of"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="vsic_codes",
            field=models.JSONField(
                blank=True, default=list, null=True, verbose_name="business lines (VSIC 2018)"
            ),
        ),
        migrations.CreateModel(
            name="SyncRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("business", "Business-registration extract"),
                            ("tax", "Tax extract"),
                        ],
                        max_length=20,
                        verbose_name="source",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("review", "To review"),
                            ("applied", "Reviewed"),
                            ("discarded", "Discarded"),
                        ],
                        default="review",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=htxso.core.files.private_storage,
                        upload_to=htxso.core.files.UnguessableName("extracts/%Y/%m/"),
                        verbose_name="file",
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("file_sha256", models.CharField(db_index=True, max_length=64)),
                ("content_sha256", models.CharField(db_index=True, max_length=64)),
                ("extract_date", models.DateField(verbose_name="date of the extract")),
                ("older_than_last", models.BooleanField(default=False)),
                ("older_confirmed", models.BooleanField(default=False)),
                ("total_rows", models.PositiveIntegerField(default=0)),
                ("unchanged", models.PositiveIntegerField(default=0)),
                ("counts", models.JSONField(default=dict)),
                ("applied_count", models.PositiveIntegerField(default=0)),
                ("rejected_count", models.PositiveIntegerField(default=0)),
                ("unknown_vsic", models.JSONField(default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.province",
                    ),
                ),
            ],
            options={
                "verbose_name": "registry sync",
                "verbose_name_plural": "registry syncs",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SyncItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("new", "New registrations"),
                            ("changed", "Changes"),
                            ("dissolved", "Dissolved or revoked"),
                            ("missing", "Not in the extract"),
                            ("conflict", "Conflicts"),
                            ("other_province", "Another province"),
                            ("tax", "Tax status"),
                        ],
                        max_length=20,
                    ),
                ),
                ("row", models.PositiveIntegerField(default=0)),
                ("code", models.CharField(blank=True, max_length=32)),
                ("name", models.CharField(blank=True, max_length=255)),
                ("record", models.JSONField(default=dict)),
                ("changes", models.JSONField(default=dict)),
                ("problems", models.JSONField(default=list)),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("pending", "To decide"),
                            ("applied", "Applied"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="registry.organisation",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="registry.syncrun",
                    ),
                ),
            ],
            options={
                "ordering": ["run", "category", "row", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="syncrun",
            index=models.Index(fields=["source", "province", "status"], name="syncrun_src_prov"),
        ),
        migrations.AddIndex(
            model_name="syncitem",
            index=models.Index(fields=["run", "category", "decision"], name="syncitem_run_cat"),
        ),
        migrations.RunPython(load_vsic, migrations.RunPython.noop),
    ]
