"""Data: the two classification schemes shipped with HTX Số.

* ``tt01-2020``: Circular 01/2020/TT-BKHĐT, 15 criteria, 100 points.  The split of the
  40 points of "members and community" between its six criteria was not read in the
  primary text: those criteria carry ``"check": true`` (configurable data).
* ``tt09-2017``: Circular 09/2017/TT-BNNPTNT, agricultural cooperatives, 6 criteria,
  100 points, any administrative sanction in the year → weak.  The points per criterion
  are marked ``"check"`` as well.
"""

from django.db import migrations

THRESHOLDS = {
    "good": 80,
    "fair": 65,
    "average": 50,
    "min_months_operating": 12,
    "max_months_suspended": 3,
}

GROUPS = {
    "finance": ("Tài chính", "Finance"),
    "governance": ("Quản trị và năng lực", "Governance and capacity"),
    "members": ("Thành viên và cộng đồng", "Members and community"),
}


def _c(code, group, max_points, label_vi, label_en, check=False):
    row = {
        "code": code,
        "group": group,
        "group_label_vi": GROUPS[group][0],
        "group_label_en": GROUPS[group][1],
        "label_vi": label_vi,
        "label_en": label_en,
        "max_points": max_points,
    }
    if check:
        row["check"] = True
    return row


TT01_2020 = [
    _c("F1", "finance", 7, "Vốn hoạt động", "Capital"),
    _c("F2", "finance", 6, "Tài sản", "Assets"),
    _c("F3", "finance", 11, "Kết quả hoạt động sản xuất, kinh doanh", "Business results"),
    _c("F4", "finance", 6, "Trích lập và sử dụng các quỹ", "Funds"),
    _c("G1", "governance", 8, "Chấp hành quy định pháp luật", "Legal compliance"),
    _c("G2", "governance", 6, "Tranh chấp, khiếu nại", "Disputes"),
    _c("G3", "governance", 6, "Trình độ cán bộ quản lý", "Manager qualifications"),
    _c(
        "G4",
        "governance",
        6,
        "Chính sách đối với thành viên, người lao động",
        "Member and staff policies",
    ),
    _c(
        "G5",
        "governance",
        4,
        "Công nghệ, thương hiệu, liên kết chuỗi giá trị",
        "Technology, brand and value chain",
    ),
    _c("M1", "members", 8, "Sự tham gia của thành viên", "Member participation", True),
    _c("M2", "members", 8, "Lợi ích của thành viên", "Member benefits", True),
    _c("M3", "members", 8, "Dịch vụ cho thành viên", "Services to members", True),
    _c("M4", "members", 6, "Thông tin, đào tạo", "Information and training", True),
    _c("M5", "members", 6, "Tác động đến cộng đồng", "Community impact", True),
    _c("M6", "members", 4, "Khen thưởng", "Awards", True),
]

TT09_2017 = [
    _c(
        "A1",
        "finance",
        25,
        "Doanh thu và sản lượng hàng hóa, dịch vụ",
        "Revenue and output of goods and services",
        True,
    ),
    _c("A2", "finance", 20, "Kết quả hoạt động", "Business results", True),
    _c("A3", "members", 20, "Lợi ích của thành viên", "Member benefits", True),
    _c("A4", "finance", 10, "Quy mô vốn và tài sản", "Capital and assets", True),
    _c(
        "A5",
        "members",
        15,
        "Sự hài lòng của thành viên",
        "Member satisfaction",
        True,
    ),
    _c("A6", "governance", 10, "Khen thưởng, xử phạt", "Awards and sanctions", True),
]

SCHEMES = [
    {
        "code": "tt01-2020",
        "name": "Xếp loại hợp tác xã (Thông tư 01/2020/TT-BKHĐT)",
        "legal_basis": "Thông tư 01/2020/TT-BKHĐT",
        "version": 1,
        "applies_to": "cooperative",
        "criteria": TT01_2020,
        "thresholds": THRESHOLDS,
    },
    {
        "code": "tt09-2017",
        "name": "Phân loại HTX nông nghiệp (Thông tư 09/2017/TT-BNNPTNT)",
        "legal_basis": "Thông tư 09/2017/TT-BNNPTNT",
        "version": 1,
        "applies_to": "agricultural",
        "criteria": TT09_2017,
        "thresholds": {**THRESHOLDS, "sanction_grade": "weak"},
    },
]


def add_schemes(apps, schema_editor):
    Scheme = apps.get_model("registry", "ClassificationScheme")
    for data in SCHEMES:
        Scheme.objects.update_or_create(code=data["code"], defaults=data)


def remove_schemes(apps, schema_editor):
    Scheme = apps.get_model("registry", "ClassificationScheme")
    Score = apps.get_model("registry", "ClassificationScore")
    codes = [s["code"] for s in SCHEMES]
    # schemes already used by scores stay (PROTECT); the others go
    used = set(Score.objects.filter(scheme__code__in=codes).values_list("scheme__code", flat=True))
    Scheme.objects.filter(code__in=[c for c in codes if c not in used]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_import_jobs_and_mappings")]

    operations = [migrations.RunPython(add_schemes, remove_schemes)]
