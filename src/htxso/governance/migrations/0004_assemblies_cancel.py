"""Schema for the assemblies' edit and cancel (session 13): who cancelled an assembly,
when and why, and the reminders the daily ``governance_reminders`` job sent."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_rules_2023_text"),
        ("registry", "0009_person_without_organisation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assembly",
            name="cancel_reason",
            field=models.TextField(blank=True, max_length=1000, verbose_name="why cancelled"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="assembly",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="Reminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("annual_due", "Annual assembly due soon"),
                            ("annual_late", "Annual assembly late"),
                            ("assembly_soon", "Assembly in a few days"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("days_before", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("recipient", models.CharField(max_length=40)),
                ("sent_on", models.DateField(verbose_name="sent on")),
                (
                    "assembly",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="governance.assembly",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder",
                "verbose_name_plural": "reminders",
                "ordering": ["-sent_on", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("assembly__isnull", True)),
                        fields=("kind", "organisation", "recipient", "sent_on"),
                        name="governance_reminder_daily",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("assembly__isnull", False)),
                        fields=("kind", "assembly", "recipient", "days_before"),
                        name="governance_reminder_assembly",
                    ),
                ],
            },
        ),
    ]
