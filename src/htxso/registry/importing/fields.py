"""What each kind of import reads: its fields, their types and the header names that
suggest them (Vietnamese and English, compared folded: no accents, lower case)."""

from __future__ import annotations

from dataclasses import dataclass

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


def fields_for(kind: str) -> tuple[FieldSpec, ...]:
    return FIELDS[kind]


def field_map(kind: str) -> dict[str, FieldSpec]:
    return {f.key: f for f in FIELDS[kind]}
