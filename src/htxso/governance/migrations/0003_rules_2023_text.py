"""The rules checked against the 2023 law's text (session 13), and the funds' minimum
shares before profit is distributed.

A row is ``confirmed`` only where the clause's own wording, attributed to its article
of the Law on Cooperatives 2023 (17/2023/QH15), was read.  What was read, and where:

* Điều 74 khoản 1 and khoản 2 — quoted word for word ("Vốn góp tối đa không quá 30% vốn
  điều lệ đối với hợp tác xã và không quá 40% vốn điều lệ đối với liên hiệp hợp tác xã";
  "Tổng phần vốn góp của tất cả thành viên liên kết góp vốn … không quá 30% vốn điều lệ
  đối với hợp tác xã và không quá 40% vốn điều lệ đối với liên hiệp hợp tác xã") on
  https://beta.thuvienphapluat.vn/phap-luat/thanh-vien-hop-tac-xa-co-phan-von-gop-bang-von-gop-toi-thieu-nhung-chua-gop-du-von-gop-cam-ket-co-b-175505-174068.html
  → member_capital_max 30 / 40 (union), associate_capital_max 30 / 40 (union).
* Điều 59 (first clause) — "Hội đồng quản trị … hoặc Giám đốc … triệu tập Đại hội thành
  viên thường niên trong thời hạn 04 tháng kể từ ngày kết thúc năm tài chính" on
  https://lawnet.vn/thong-tin-phap-luat/chinh-sach-moi/cac-truong-hop-trieu-tap-dai-hoi-thanh-vien-hop-tac-xa-xa-tu-ngay-01-7-2024-136912.html
  → annual_assembly_months 4; the article was wrong (Điều 57): it is Điều 59 khoản 1.
* Điều 57 khoản 2 (delegate assembly from 50 official members) read again on
  https://thuvienphapluat.vn/hoi-dap-phap-luat/83A2F7A-hd-bien-ban-hop-dai-hoi-thanh-vien-hop-tac-xa-duoc-the-hien-duoi-hinh-thuc-nao.html
  and Điều 60 khoản 2 (one third may petition the agenda) on
  https://vi.m.wikisource.org/wiki/Trang:Cong_bao_Chinh_phu_861_862_nam_2023.pdf/44
  (both already confirmed by 0002; unchanged).

Articles corrected, values NOT read (they stay unconfirmed):

* delegates → Điều 58 "Đại biểu tham dự đại hội đại biểu" (the article's title in the
  official codification, Pháp điển đề mục 12.4 "Hợp tác xã", mirrored in the public
  repository diepxuan/diepxuan.github.io, van-ban/doanh-nghiep-hop-tac-xa/hop-tac-xa/
  index.html; the same listing gives Điều 59 "Triệu tập Đại hội thành viên", Điều 61
  "Tham dự và biểu quyết trong Đại hội thành viên", Điều 84 "Quỹ chung không chia",
  Điều 86 "Phân phối thu nhập", Điều 87 "Quản lý, sử dụng các quỹ").
* foreign_members_max → Điều 30 khoản 7: "Tổng số thành viên chính thức là tổ chức kinh
  tế có vốn đầu tư nước ngoài và cá nhân là nhà đầu tư nước ngoài phải chiếm …" (the
  page was cut before the number) on
  http://118.69.201.250:801/phap-luat/to-chuc-kinh-te-co-von-dau-tu-nuoc-ngoai-duoc-tro-thanh-thanh-vien-chinh-thuc-cua-hop-tac-xa-phai-d-893099-172666.html

New rows, NOT confirmed (secondary sources only):

* indivisible_fund_min 5 % (10 % for a union) of the income from outside transactions
  ("giao dịch bên ngoài"): "mức trích lập quỹ tối thiểu từ thu nhập của giao dịch bên
  ngoài là 5% đối với hợp tác xã, 10% đối với liên hiệp hợp tác xã" in the summaries of
  the law by the Hải Phòng Department of Planning and Investment
  (https://haiphongdpi.gov.vn/2023/09/21/nam-nhom-chinh-sach-moi-cua-luat-hop-tac-xa-nam-2023/)
  and the Cần Thơ cooperative alliance
  (https://lienminhhtxtpct.vn/2023/07/24/luat-hop-tac-xa-nam-2023-xay-dung-he-sinh-thai-cac-to-chuc-kinh-te-hop-tac/).
  Filed under Điều 86 (Phân phối thu nhập); the clause was not read.
* No minimum share for the development investment fund or the financial reserve fund
  was found in the 2023 text (the 20 % / 5 % figures are the 2012 law's Điều 46): no row
  (the keys exist; a row added later takes effect without code).

Only rows still as 0002 seeded them are changed (a row the VCA edited is left alone);
the reverse puts 0002's article and flag back and removes the new rows.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations, models

IN_FORCE = dt.date(2024, 7, 1)
LAW = "Luật Hợp tác xã 2023, "

#: (key, org_kind, band_min, article in 0002, article now, confirmed now)
CHECKED = [
    ("member_capital_max", "", 0, "Điều 74", "Điều 74 khoản 1", True),
    ("member_capital_max", "union", 0, "Điều 74", "Điều 74 khoản 1", True),
    ("associate_capital_max", "", 0, "Điều 74", "Điều 74 khoản 2", True),
    ("associate_capital_max", "union", 0, "Điều 74", "Điều 74 khoản 2", True),
    ("annual_assembly_months", "", 0, "Điều 57", "Điều 59 khoản 1", True),
    ("delegates", "", 51, "Điều 57", "Điều 58", False),
    ("delegates", "", 101, "Điều 57", "Điều 58", False),
    ("delegates", "", 301, "Điều 57", "Điều 58", False),
    ("delegates", "", 1001, "Điều 57", "Điều 58", False),
    ("foreign_members_max", "", 0, "Điều 30", "Điều 30 khoản 7", False),
]

#: (key, org_kind, value, unit, article, confirmed, note)
ADDED = [
    (
        "indivisible_fund_min",
        "",
        "5",
        "percent",
        "Điều 86",
        False,
        "of the income from outside transactions; secondary sources",
    ),
    (
        "indivisible_fund_min",
        "union",
        "10",
        "percent",
        "Điều 86",
        False,
        "of the income from outside transactions; secondary sources",
    ),
]


def _forget_cached_rules():
    """``update()`` sends no signal: forget the cached table (``governance.rules``)."""
    from htxso.governance.rules import RULES

    RULES.forget()


def confirm_rules(apps, schema_editor):
    """Forward (idempotent; ``tests/conftest.py`` may call it after a flush)."""
    Rule = apps.get_model("governance", "Rule")
    for key, kind, band_min, before, now, confirmed in CHECKED:
        Rule.objects.filter(
            key=key,
            org_kind=kind,
            band_min=band_min,
            valid_from=IN_FORCE,
            article__in=[LAW + before, LAW + now],
        ).update(article=LAW + now, confirmed=confirmed)
    for key, kind, value, unit, article, confirmed, note in ADDED:
        Rule.objects.get_or_create(
            key=key,
            org_kind=kind,
            band_min=0,
            valid_from=IN_FORCE,
            defaults={
                "value": Decimal(value),
                "unit": unit,
                "article": LAW + article,
                "source": "17/2023/QH15",
                "confirmed": confirmed,
                "note": note,
            },
        )
    _forget_cached_rules()


def restore_rules(apps, schema_editor):
    Rule = apps.get_model("governance", "Rule")
    for key, kind, band_min, before, now, _confirmed in CHECKED:
        Rule.objects.filter(
            key=key, org_kind=kind, band_min=band_min, valid_from=IN_FORCE, article=LAW + now
        ).update(article=LAW + before, confirmed=False)
    for key, kind, _value, _unit, _article, _confirmed, _note in ADDED:
        Rule.objects.filter(key=key, org_kind=kind, band_min=0, valid_from=IN_FORCE).delete()
    _forget_cached_rules()


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_rules")]

    operations = [
        migrations.AlterField(
            model_name="rule",
            name="key",
            field=models.CharField(
                choices=[
                    ("member_capital_max", "Capital of one official member, at most"),
                    ("associate_capital_max", "All associate members' capital, at most"),
                    ("foreign_capital_max", "All foreign members' capital, at most"),
                    ("foreign_members_max", "Foreign official members, fewer than"),
                    ("capital_payment_months", "Months to pay the pledged capital"),
                    (
                        "annual_assembly_months",
                        "Months after the year end to hold the annual assembly",
                    ),
                    (
                        "delegate_assembly_from",
                        "Official members from which a delegate assembly may be held",
                    ),
                    ("delegates", "Delegates for a number of official members"),
                    ("quorum_1", "Quorum on the first call"),
                    ("quorum_2", "Quorum on the second call"),
                    ("quorum_3", "Quorum on the third call"),
                    ("second_call_days", "Days within which the second call meets"),
                    ("third_call_days", "Days within which the third call meets"),
                    ("petition_share", "Share of official members who may petition the agenda"),
                    ("special_majority", "Majority for the special matters, at least"),
                    ("ordinary_majority", "Majority for other matters, more than"),
                    ("major_asset_deal", "Asset deal that is a special matter, from"),
                    ("disclosure_working_days", "Working days to post a disclosure"),
                    ("disclosure_keep_days", "Days a disclosure stays posted, at least"),
                    (
                        "indivisible_fund_min",
                        "Indivisible common fund, at least (share of the income from "
                        "outside transactions)",
                    ),
                    (
                        "development_fund_min",
                        "Development investment fund, at least (share of the income after tax)",
                    ),
                    (
                        "reserve_fund_min",
                        "Financial reserve fund, at least (share of the income after tax)",
                    ),
                ],
                max_length=40,
                verbose_name="rule",
            ),
        ),
        migrations.RunPython(confirm_rules, restore_rules),
    ]
