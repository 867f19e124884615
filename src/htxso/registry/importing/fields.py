"""What each kind of import reads: its fields, their types and the header names that
suggest them (Vietnamese and English, compared folded: no accents, lower case)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from htxso.core.text import fold

from ..models import ImportKind

TEXT, TAX_CODE, DATE, MONEY, INTEGER, BOOLEAN, CHOICE, YEAR = (
    "text",
    "tax_code",
    "date",
    "money",
    "integer",
    "boolean",
    "choice",
    "year",
)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: object
    type: str = TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 255
    #: Amounts and counts above this are refused as absurd.
    maximum: int | None = None
    allow_negative: bool = False
    #: Amounts written in thousands, millions… of đồng ("DT 2024 (triệu đồng)").
    scale: int = 1
    #: A year's figure on an organisation sheet: the year, and the column it was read
    #: from (:func:`figure_fields`).
    year: int | None = None
    column: int | None = None


def _f(key, label, type_=TEXT, aliases=(), **kw) -> FieldSpec:
    return FieldSpec(key, label, type_, tuple(fold(a) for a in aliases), **kw)


MAX_CAPITAL = 10**13  # 10,000 billion VND: more than any cooperative in the country
MAX_COUNT = 1_000_000

ORG_TAX_CODE = _f(
    "org_tax_code",
    _("Tax code of the organisation"),
    TAX_CODE,
    ("mã số thuế htx", "mst htx", "mã số thuế", "mst", "mã htx", "mã số htx", "tax code"),
)

ORGANISATION_FIELDS = (
    _f(
        "name",
        _("Name"),
        TEXT,
        (
            "tên htx",
            "tên hợp tác xã",
            "tên tổ chức",
            "tên đơn vị",
            "tên tổ hợp tác",
            "tên tht",
            "tên",
            "name",
            "organisation",
            "cooperative name",
        ),
        required=True,
    ),
    _f(
        "tax_code",
        _("Tax code"),
        TAX_CODE,
        (
            "mã số thuế",
            "mst",
            "mã số htx",
            "mã số doanh nghiệp",
            "mã số đăng ký",
            "mã số",
            "tax code",
            "tax id",
        ),
    ),
    _f("kind", _("Kind"), CHOICE, ("loại hình", "loại hình tổ chức", "loại", "kind", "type")),
    _f(
        "address",
        _("Address"),
        TEXT,
        ("địa chỉ", "địa chỉ trụ sở", "trụ sở", "trụ sở chính", "address"),
    ),
    _f("ward_name", _("Commune / ward"), TEXT, ("xã", "phường", "xã phường", "phường xã", "ward")),
    _f(
        "district_name",
        _("District (former)"),
        TEXT,
        ("huyện", "quận huyện", "huyện thị xã", "huyện thị", "district"),
    ),
    _f("province_name", _("Province"), TEXT, ("tỉnh", "tỉnh thành phố", "tỉnh tp", "province")),
    _f(
        "established_on",
        _("Established on"),
        DATE,
        ("ngày thành lập", "ngày đăng ký", "ngày cấp", "năm thành lập", "established", "founded"),
    ),
    _f(
        "charter_capital",
        _("Charter capital (VND)"),
        MONEY,
        ("vốn điều lệ", "vốn điều lệ đồng", "vốn", "charter capital", "capital"),
        maximum=MAX_CAPITAL,
    ),
    _f(
        "members_count",
        _("Number of members (checked, not stored)"),
        INTEGER,
        ("số thành viên", "số tv", "thành viên", "members"),
        maximum=MAX_COUNT,
    ),
    _f(
        "sector",
        _("Sector"),
        CHOICE,
        (
            "ngành nghề",
            "lĩnh vực",
            "ngành",
            "lĩnh vực hoạt động",
            "ngành nghề kinh doanh",
            "sector",
        ),
    ),
    _f(
        "main_products",
        _("Main products or services"),
        TEXT,
        ("sản phẩm chính", "sản phẩm", "sản phẩm dịch vụ", "products"),
    ),
    _f(
        "status",
        _("Status"),
        CHOICE,
        ("tình trạng", "trạng thái", "tình trạng hoạt động", "status"),
    ),
    _f(
        "phone",
        _("Phone"),
        TEXT,
        ("điện thoại", "số điện thoại", "sđt", "đt", "phone", "tel"),
        max_length=15,
    ),
    _f("email", _("E-mail"), TEXT, ("email", "e-mail", "thư điện tử")),
    _f("website", _("Website"), TEXT, ("website", "trang web")),
    _f(
        "high_tech",
        _("Applies high technology"),
        BOOLEAN,
        ("ứng dụng công nghệ cao", "công nghệ cao", "high tech"),
    ),
    _f("description", _("Description"), TEXT, ("ghi chú", "mô tả", "description"), max_length=4000),
)

PERSON_FIELDS = (
    _f(
        "full_name",
        _("Full name"),
        TEXT,
        ("họ và tên", "họ tên", "tên thành viên", "tên người lao động", "full name", "name"),
        required=True,
        max_length=150,
    ),
    _f(
        "citizen_id",
        _("Citizen ID number"),
        TEXT,
        ("số cccd", "cccd", "căn cước công dân", "số căn cước", "cmnd", "citizen id"),
    ),
    _f("sex", _("Sex"), CHOICE, ("giới tính", "giới", "sex", "gender")),
    _f("birth_date", _("Date of birth"), DATE, ("ngày sinh", "năm sinh", "date of birth", "born")),
    _f("phone", _("Phone"), TEXT, ("điện thoại", "số điện thoại", "sđt", "phone"), max_length=15),
)

MEMBER_FIELDS = (
    ORG_TAX_CODE,
    *PERSON_FIELDS,
    _f(
        "member_kind",
        _("Kind of member"),
        CHOICE,
        ("loại thành viên", "loại tv", "hình thức", "kind of member", "member kind"),
    ),
    _f(
        "joined_on",
        _("Joined on"),
        DATE,
        ("ngày gia nhập", "ngày vào", "ngày kết nạp", "joined on", "joined"),
        required=True,
    ),
    _f("left_on", _("Left on"), DATE, ("ngày ra", "ngày rút", "ngày ra khỏi", "left on")),
    _f(
        "capital",
        _("Capital contributed (VND)"),
        MONEY,
        ("vốn góp", "số vốn góp", "vốn góp đồng", "capital"),
        maximum=MAX_CAPITAL,
    ),
)

WORKER_FIELDS = (
    ORG_TAX_CODE,
    *PERSON_FIELDS,
    _f(
        "position",
        _("Position"),
        TEXT,
        ("chức vụ", "vị trí", "công việc", "position"),
        max_length=100,
    ),
    _f("is_manager", _("In management"), BOOLEAN, ("quản lý", "ban quản trị", "is manager")),
    _f(
        "started_on",
        _("Started on"),
        DATE,
        ("ngày bắt đầu", "ngày vào làm", "ngày làm việc", "started on"),
        required=True,
    ),
    _f("ended_on", _("Ended on"), DATE, ("ngày nghỉ", "ngày thôi việc", "ended on")),
    _f(
        "monthly_income",
        _("Average monthly income (VND)"),
        MONEY,
        ("thu nhập bình quân tháng", "thu nhập tháng", "thu nhập", "monthly income", "income"),
        maximum=10**10,
    ),
)

_COUNT = {"maximum": MAX_COUNT}
_MONEY = {"maximum": MAX_CAPITAL}

ANNUAL_FIELDS = (
    ORG_TAX_CODE,
    _f("year", _("Year"), YEAR, ("năm", "năm báo cáo", "year"), required=True),
    _f(
        "members_official",
        _("Official members"),
        INTEGER,
        ("thành viên chính thức", "số thành viên chính thức", "official members"),
        **_COUNT,
    ),
    _f(
        "members_associate",
        _("Associate members"),
        INTEGER,
        ("thành viên liên kết", "associate members"),
        **_COUNT,
    ),
    _f(
        "workers_total",
        _("Workers"),
        INTEGER,
        ("số lao động", "lao động", "tổng số lao động", "workers"),
        **_COUNT,
    ),
    _f(
        "workers_youth",
        _("Workers under 35"),
        INTEGER,
        ("lao động dưới 35 tuổi", "lao động trẻ", "workers under 35"),
        **_COUNT,
    ),
    _f("workers_female", _("Female workers"), INTEGER, ("lao động nữ", "female workers"), **_COUNT),
    _f(
        "charter_capital",
        _("Charter capital (VND)"),
        MONEY,
        ("vốn điều lệ", "charter capital"),
        **_MONEY,
    ),
    _f("total_assets", _("Total assets (VND)"), MONEY, ("tổng tài sản", "total assets"), **_MONEY),
    _f("revenue", _("Revenue (VND)"), MONEY, ("doanh thu", "tổng doanh thu", "revenue"), **_MONEY),
    _f(
        "profit",
        _("Profit before tax (VND)"),
        MONEY,
        ("lợi nhuận", "lợi nhuận trước thuế", "lãi", "profit"),
        allow_negative=True,
        **_MONEY,
    ),
    _f(
        "revenue_from_members",
        _("Revenue from services to members (VND)"),
        MONEY,
        ("doanh thu từ thành viên", "doanh thu dịch vụ thành viên"),
        **_MONEY,
    ),
    _f(
        "average_income_month",
        _("Average monthly income per worker (VND)"),
        MONEY,
        ("thu nhập bình quân", "thu nhập bình quân tháng", "average income"),
        maximum=10**10,
    ),
    _f(
        "taxes_paid",
        _("Taxes paid (VND)"),
        MONEY,
        ("nộp ngân sách", "thuế đã nộp", "taxes paid"),
        **_MONEY,
    ),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ImportKind.ORGANISATIONS: ORGANISATION_FIELDS,
    ImportKind.MEMBERS: MEMBER_FIELDS,
    ImportKind.WORKERS: WORKER_FIELDS,
    ImportKind.ANNUAL_FIGURES: ANNUAL_FIELDS,
}


def fields_for(kind: str, headers: list[str] | None = None) -> tuple[FieldSpec, ...]:
    """The fields of a kind of import; with the file's ``headers``, an organisation
    import also offers the year's figures its columns carry (:func:`figure_fields`)."""
    if headers and kind == ImportKind.ORGANISATIONS:
        return (*FIELDS[kind], *figure_fields(headers))
    return FIELDS[kind]


def field_map(kind: str, headers: list[str] | None = None) -> dict[str, FieldSpec]:
    return {f.key: f for f in fields_for(kind, headers)}


# ------------------------------------------------- a year's figures on an org sheet

#: The figures of an annual report an organisation sheet may carry.
FIGURES = tuple(f.key for f in ANNUAL_FIELDS if f.key not in ("org_tax_code", "year"))
_FIGURE_SPECS = {f.key: f for f in ANNUAL_FIELDS if f.key in FIGURES}
#: Header words for figures beyond the annual import's own (folded): provincial sheets
#: write "Số thành viên 2024", "DT 2024", "LĐ 2024".
_FIGURE_ALIASES: dict[str, tuple[str, ...]] = {
    key: spec.aliases for key, spec in _FIGURE_SPECS.items()
}
for _key, _extra in {
    "members_official": ("so thanh vien", "thanh vien", "so tv", "tv"),
    "workers_total": ("ld", "so ld", "tong so ld"),
    "revenue": ("dt", "tong dt"),
    "profit": ("ln", "loi nhuan sau thue"),
    "charter_capital": ("von dieu le", "vdl"),
}.items():
    _FIGURE_ALIASES[_key] = (*_FIGURE_ALIASES[_key], *_extra)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
#: Units written in a header, folded → how many đồng one unit is.
_UNITS = (
    (("ty dong", "ty d", "ty"), 10**9),
    (("trieu dong", "trieu d", "tr dong", "tr d", "trd", "trieu", "tr"), 10**6),
    (("nghin dong", "ngan dong", "nghin d", "ngan d", "1000 dong", "1 000 dong", "nghin",
      "ngan"), 10**3),
    (("dong", "vnd", "d"), 1),
)  # fmt: skip


_FIGURE_BY_ALIAS = {
    alias: key for key, aliases in reversed(_FIGURE_ALIASES.items()) for alias in aliases
}


def _without_unit(words: list[str]) -> tuple[str, int]:
    """The header without the unit it ends with, and that unit in đồng."""
    text = " ".join(words)
    for names, scale in _UNITS:
        for name in names:
            if text.endswith(" " + name):
                return text[: len(text) - len(name) - 1], scale
    return text, 1


def read_figure_header(header: str) -> tuple[str, int, int] | None:
    """(figure, year, scale) named by a header such as "Doanh thu 2024", "Doanh thu năm
    2024", "DT 2024 (triệu đồng)", "Số thành viên 2024"; ``None`` for other headers."""
    found = _YEAR.findall(header or "")
    if len(found) != 1:
        return None
    year = int(found[0])
    words = [w for w in fold(_YEAR.sub(" ", header)).split() if w not in ("nam", "year")]
    # "Lao động 2024" is not "Lao" in đồng: the header as it is first, then without unit
    for text, scale in ((" ".join(words), 1), _without_unit(words)):
        key = _FIGURE_BY_ALIAS.get(text)
        if key is not None:
            return key, year, scale if _FIGURE_SPECS[key].type == MONEY else 1
    return None


def figure_fields(headers: list[str]) -> tuple[FieldSpec, ...]:
    """A field for each column that holds one year's figure, keyed "revenue_2024"."""
    out: dict[str, FieldSpec] = {}
    this_year = dt.date.today().year
    for col, header in enumerate(headers):
        found = read_figure_header(header)
        if found is None or not 1990 <= found[1] <= this_year:  # a plan is not a report
            continue
        key, year, scale = found
        spec = _FIGURE_SPECS[key]
        field_key = f"{key}_{year}"
        if field_key in out:
            continue  # the first column with that figure and year
        out[field_key] = replace(
            spec,
            key=field_key,
            label=format_lazy("{} – {}", spec.label, year),
            aliases=(),
            scale=scale,
            year=year,
            column=col,
        )
    return tuple(out.values())


def split_figure_key(key: str) -> tuple[str, int] | None:
    """("revenue", 2024) for the field key "revenue_2024"; ``None`` for other fields."""
    name, _sep, year = key.rpartition("_")
    if name in _FIGURE_SPECS and year.isdigit() and len(year) == 4:
        return name, int(year)
    return None
