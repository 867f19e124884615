"""The placeholders of letter templates: what each means and a sample value.

Programme letters fill these keys (see ``programs``); the template editor lists them as
help and fills the samples into its preview download.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

#: (key, meaning, sample value) — the sample is letter text, hence Vietnamese.
PLACEHOLDERS: list[tuple[str, object, str]] = [
    ("call_title", _("Title of the call"), "Lựa chọn HTX tham gia dự án thanh niên chuyển đổi số"),
    (
        "programme",
        _("Programme or project, with its name"),
        "Dự án “Thanh niên trong HTX là chủ thể của chuyển đổi số tại địa phương”",
    ),
    ("donor", _("Donor or funding source"), "Liên minh châu Âu (EU)"),
    ("period", _("Period of the programme"), "từ năm 2024 đến năm 2027 (42 tháng)"),
    ("deadline", _("Deadline for applications (dd/mm/yyyy)"), "15/4/2024"),
    ("province", _("Province, with its type word in lower case"), "tỉnh Cao Bằng"),
    ("audience", _("Who may apply"), "các hợp tác xã"),
    (
        "criteria",
        _("Criteria, one per line starting with “-”"),
        "- Có trên 40% người lao động là thanh niên (dưới 35 tuổi);\n"
        "- Hoạt động sản xuất, kinh doanh hiệu quả, ổn định;\n"
        "- Tham gia sản xuất theo chuỗi giá trị sản phẩm.",
    ),
    ("min_eligible", _("Eligible applications a province needs to qualify"), "05"),
    ("provinces_min", _("Fewest provinces to select"), "12"),
    ("provinces_max", _("Most provinces to select"), "24"),
    (
        "contact",
        _("Contact person and phone"),
        "Ban Hợp tác quốc tế, Liên minh HTX Việt Nam, điện thoại 024 0000 0000",
    ),
    ("today", _("Date of the letter (dd/mm/yyyy)"), "02/4/2024"),
]

PLACEHOLDER_KEYS: list[str] = [key for key, _label, _sample in PLACEHOLDERS]


def sample_context() -> dict[str, str]:
    """A sample value for every placeholder (the template editor's preview)."""
    return {key: sample for key, _label, sample in PLACEHOLDERS}


def province_phrase(name: str) -> str:
    """ "Tỉnh Cao Bằng" → "tỉnh Cao Bằng", as it reads inside a sentence."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def short_date(date: dt.date) -> str:
    """ "02/4/2024": the day with two digits, the month as written in letters."""
    return f"{date.day:02d}/{date.month}/{date.year}"


#: How a preview letter is headed, by template code (a provincial alliance for the
#: province's own call, VCA for the rest).
_PROVINCE_HEAD = {
    "parent_body": "UBND TỈNH CAO BẰNG",
    "issuing_body": "LIÊN MINH HỢP TÁC XÃ",
    "symbol": "LMHTX-TVHT",
    "place": "Cao Bằng",
    "recipients": ["Các hợp tác xã trên địa bàn tỉnh Cao Bằng"],
}
_NATIONAL_HEAD = {
    "parent_body": "",
    "issuing_body": "LIÊN MINH HỢP TÁC XÃ VIỆT NAM",
    "symbol": "LMHTX-HTQT",
    "place": "Hà Nội",
    "recipients": ["Liên minh Hợp tác xã các tỉnh, thành phố"],
}


def sample_letter_fields(code: str) -> dict:
    """The letter's own parts for a preview of template ``code`` (number left blank)."""
    import datetime as dt

    head = _PROVINCE_HEAD if code == "call_province" else _NATIONAL_HEAD
    return {
        **head,
        "recipients": list(head["recipients"]),
        "number": "",
        "date": dt.date(2024, 4, 2),
    }
