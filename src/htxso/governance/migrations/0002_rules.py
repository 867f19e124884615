"""The thresholds of the Law on Cooperatives 2023 (17/2023/QH15, in force 1 Jul 2024),
as dated rows.  ``confirmed`` says the value was read in the law's text itself.

Read in the text (Công báo số 861 + 862 ngày 29-7-2023, pp. 41 and 45, as transcribed on
vi.wikisource): Điều 57 khoản 2 (a delegate assembly from 50 official members) and
Điều 60 khoản 2 (one third of the official members may petition the agenda).  The other
rows come from secondary sources and stay ``confirmed=False`` until read."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

IN_FORCE = dt.date(2024, 7, 1)

#: (key, org_kind, band_min, band_max, value, unit, article, confirmed, note)
RULES = [
    ("member_capital_max", "", 0, None, "30", "percent", "Điều 74", False, ""),
    ("member_capital_max", "union", 0, None, "40", "percent", "Điều 74", False, ""),
    ("associate_capital_max", "", 0, None, "30", "percent", "Điều 74", False, ""),
    ("associate_capital_max", "union", 0, None, "40", "percent", "Điều 74", False, ""),
    ("foreign_capital_max", "", 0, None, "30", "percent", "Điều 74", False, ""),
    ("foreign_members_max", "", 0, None, "35", "percent", "Điều 30", False, ""),
    ("capital_payment_months", "", 0, None, "6", "months", "Điều 74", False, ""),
    ("annual_assembly_months", "", 0, None, "4", "months", "Điều 57", False, ""),
    ("delegate_assembly_from", "", 0, None, "50", "count", "Điều 57 khoản 2", True, "may"),
    ("delegates", "", 51, 100, "50", "percent", "Điều 57", False, "at least"),
    ("delegates", "", 101, 300, "30", "percent", "Điều 57", False, "at least"),
    ("delegates", "", 301, 1000, "20", "percent", "Điều 57", False, "at least"),
    ("delegates", "", 1001, None, "200", "count", "Điều 57", False, "at least"),
    ("quorum_1", "", 0, None, "50", "percent", "Điều 61", False, "at least"),
    ("quorum_2", "", 0, None, "33", "percent", "Điều 61", False, "at least"),
    ("quorum_3", "", 0, None, "0", "percent", "Điều 61", False, "no quorum"),
    ("second_call_days", "", 0, None, "30", "days", "Điều 61", False, ""),
    ("third_call_days", "", 0, None, "20", "days", "Điều 61", False, ""),
    ("petition_share", "", 0, None, "33.3333", "percent", "Điều 60 khoản 2", True, "one third"),
    ("special_majority", "", 0, None, "65", "percent", "Điều 61", False, "at least"),
    ("ordinary_majority", "", 0, None, "50", "percent", "Điều 61", False, "more than"),
    ("major_asset_deal", "", 0, None, "20", "percent", "Điều 61", False, "of total assets"),
    ("disclosure_working_days", "", 0, None, "5", "working_days", "Điều 14", False, ""),
    ("disclosure_keep_days", "", 0, None, "30", "days", "Điều 14", False, "at least"),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("governance", "Rule")
    for key, kind, bmin, bmax, value, unit, article, confirmed, note in RULES:
        Rule.objects.get_or_create(
            key=key,
            org_kind=kind,
            band_min=bmin,
            valid_from=IN_FORCE,
            defaults={
                "band_max": bmax,
                "value": Decimal(value),
                "unit": unit,
                "article": f"Luật Hợp tác xã 2023, {article}",
                "source": "17/2023/QH15",
                "confirmed": confirmed,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
