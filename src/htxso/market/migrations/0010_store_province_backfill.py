"""Fill ``Store.province`` from the organisation for the stores opened before it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Store = apps.get_model("market", "Store")
    Organisation = apps.get_model("registry", "Organisation")
    Store.objects.filter(province__isnull=True, organisation__isnull=False).update(
        province_id=Subquery(
            Organisation.objects.filter(pk=OuterRef("organisation_id")).values("province_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("market", "0009_store_province_independent")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
