"""Default service levels per request type, and the make-up working day of 2026."""

import datetime as dt

from django.db import migrations

DEFAULT_SLA = {
    "product": (2, 15),
    "trade": (2, 15),
    "investment": (3, 20),
    "dx": (2, 10),
    "credit": (3, 20),
    "legal": (2, 10),
    "training": (2, 15),
    "model_visit": (3, 20),
    "other": (3, 15),
}
#: Saturday 22/08/2026 is worked to make up for Monday 31/08/2026 (holidays.VN lists the
#: day off; the worked Saturday is ours to record).
CHANGES = [(dt.date(2026, 8, 22), "work", "Làm bù cho ngày nghỉ 31/08/2026")]


def seed(apps, schema_editor):
    SlaRule = apps.get_model("support", "SlaRule")
    CalendarDay = apps.get_model("support", "CalendarDay")
    for request_type, (first, resolution) in DEFAULT_SLA.items():
        SlaRule.objects.get_or_create(
            request_type=request_type,
            defaults={"first_response_days": first, "resolution_days": resolution},
        )
    for day, kind, name in CHANGES:
        CalendarDay.objects.get_or_create(day=day, defaults={"kind": kind, "name": name})


def unseed(apps, schema_editor):
    apps.get_model("support", "SlaRule").objects.filter(request_type__in=DEFAULT_SLA).delete()
    apps.get_model("support", "CalendarDay").objects.filter(
        day__in=[c[0] for c in CHANGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_service_requests")]
    operations = [migrations.RunPython(seed, unseed)]
