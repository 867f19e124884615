"""Store.pickup_ward: the ward of the pickup address (the 2025 administrative units).

Nullable in the database: stores opened before the ward picker keep working and show
the street with the organisation's province; the store form requires the ward when
pickup is on, so every store gains it at its next edit.  No backfill from the
organisation's registered ward: the pickup point is often not the head office, and a
wrong ward shown to buyers is worse than none.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_legacy_units_and_mapping"),
        ("market", "0006_product_fulltext"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="pickup_ward",
            field=models.ForeignKey(
                blank=True,
                help_text="The ward or commune of the pickup address, in the organisation's province.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.ward",
                verbose_name="pickup ward",
            ),
        ),
    ]
