"""Name parts, products and people for the registry's demo data (and the bench generator).

Everything here is plain data plus small deterministic helpers that take a
``random.Random``: the same seed always gives the same names.
"""

from __future__ import annotations

import datetime as dt
import random

from htxso.core.codes import tax_code_check_digit

# --- organisations -------------------------------------------------------------------

#: Per demo province: (kind, name prefix, sector, main products) templates for
#: cooperatives; the place (a ward's name) is appended to the prefix.
COOPERATIVE_TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    "common": [
        ("HTX Nông nghiệp", "agriculture", "Lúa gạo, dịch vụ làm đất, vật tư nông nghiệp"),
        ("HTX Dịch vụ Nông nghiệp", "agriculture", "Dịch vụ thủy lợi, giống, phân bón"),
        ("Hợp tác xã Nông nghiệp", "agriculture", "Rau, lúa, dịch vụ tưới tiêu"),
        ("HTX Rau an toàn", "agriculture", "Rau an toàn VietGAP"),
        ("HTX Chăn nuôi", "agriculture", "Lợn, gà thả vườn"),
        ("HTX Thủy sản", "fishery", "Cá nước ngọt, cá giống"),
        ("HTX Lâm nghiệp", "forestry", "Keo, quế, dược liệu dưới tán rừng"),
        ("HTX Vận tải", "transport", "Vận tải hành khách và hàng hóa"),
        ("HTX Môi trường", "environment", "Thu gom rác, nước sạch nông thôn"),
        ("HTX Thương mại Dịch vụ", "trade", "Bán lẻ vật tư, tiêu thụ nông sản"),
        ("HTX Xây dựng", "construction", "Xây dựng công trình dân dụng"),
        ("HTX Thủ công mỹ nghệ", "industry", "Mây tre đan, đồ gỗ"),
        ("HTX Du lịch cộng đồng", "tourism", "Homestay, ẩm thực, trải nghiệm"),
    ],
    "01": [
        ("HTX Rau hữu cơ", "agriculture", "Rau hữu cơ, rau mầm"),
        ("HTX Hoa cây cảnh", "agriculture", "Hoa, cây cảnh, đào Nhật Tân"),
        ("HTX Sữa bò", "agriculture", "Sữa bò tươi, sữa chua"),
        ("HTX Mây tre đan", "industry", "Mây tre đan xuất khẩu"),
        ("HTX Gốm", "industry", "Gốm sứ mỹ nghệ"),
        ("HTX Bưởi Diễn", "agriculture", "Bưởi Diễn"),
    ],
    "04": [
        ("HTX Miến dong", "agriculture", "Miến dong, tinh bột dong riềng"),
        ("HTX Hạt dẻ", "agriculture", "Hạt dẻ Trùng Khánh"),
        ("HTX Thổ cẩm", "industry", "Thổ cẩm, chàm"),
        ("HTX Lạp sườn", "industry", "Lạp sườn hun khói"),
        ("HTX Chè Shan tuyết", "agriculture", "Chè Shan tuyết"),
        ("HTX Dược liệu", "agriculture", "Giảo cổ lam, dược liệu"),
    ],
    "19": [
        ("HTX Chè", "agriculture", "Chè búp khô, chè xanh Tân Cương"),
        ("HTX Chè an toàn", "agriculture", "Chè VietGAP"),
        ("HTX Miến", "industry", "Miến dong"),
        ("HTX Gà đồi", "agriculture", "Gà đồi thả vườn"),
        ("HTX Chè hữu cơ", "agriculture", "Chè hữu cơ, trà túi lọc"),
    ],
    "40": [
        ("HTX Cam", "agriculture", "Cam Vinh, cam xã Đoài"),
        ("HTX Chè", "agriculture", "Chè xanh, chè công nghiệp"),
        ("HTX Nước mắm", "industry", "Nước mắm truyền thống"),
        ("HTX Muối", "industry", "Muối sạch"),
        ("HTX Nhút", "industry", "Nhút Thanh Chương"),
        ("HTX Thổ cẩm", "industry", "Thổ cẩm dân tộc Thái"),
    ],
    "66": [
        ("HTX Cà phê", "agriculture", "Cà phê nhân, cà phê rang xay"),
        ("HTX Nông nghiệp Cà phê", "agriculture", "Cà phê Robusta bền vững"),
        ("HTX Cà phê bền vững", "agriculture", "Cà phê chứng nhận 4C, Rainforest"),
        ("HTX Sầu riêng", "agriculture", "Sầu riêng Ri6, Monthong"),
        ("HTX Hồ tiêu", "agriculture", "Hồ tiêu"),
        ("HTX Ca cao", "agriculture", "Ca cao lên men"),
        ("HTX Mắc ca", "agriculture", "Mắc ca"),
    ],
}
GROUP_TEMPLATES: list[tuple[str, str, str]] = [
    ("Tổ hợp tác Trồng nấm", "agriculture", "Nấm sò, nấm rơm"),
    ("Tổ hợp tác Nuôi ong", "agriculture", "Mật ong"),
    ("Tổ hợp tác Dệt thổ cẩm", "industry", "Thổ cẩm"),
    ("Tổ hợp tác Rau sạch", "agriculture", "Rau sạch"),
    ("Tổ hợp tác Chăn nuôi", "agriculture", "Gà, vịt"),
    ("Tổ hợp tác Sản xuất lúa", "agriculture", "Lúa chất lượng cao"),
    ("Tổ hợp tác Đan lát", "industry", "Đồ đan lát"),
    ("Tổ hợp tác Khai thác thủy sản", "fishery", "Thủy sản"),
]
UNION_TEMPLATES: list[tuple[str, str, str]] = [
    ("Liên hiệp HTX Nông sản", "trade", "Tiêu thụ nông sản cho HTX thành viên"),
    ("Liên hiệp HTX Dịch vụ Nông nghiệp", "agriculture", "Vật tư, giống, tiêu thụ"),
    ("Liên hiệp HTX Thương mại", "trade", "Chuỗi cửa hàng Co.op"),
]
#: The special first cooperative of each demo province (the demo manager's).
SPECIAL: dict[str, tuple[str, str, str]] = {
    "01": ("HTX Nông nghiệp Đa Tốn", "agriculture", "Rau an toàn, lúa nếp"),
    "04": ("HTX Nông nghiệp Hợp Giang", "agriculture", "Miến dong, rau an toàn"),
    "19": ("HTX Chè La Bằng", "agriculture", "Chè La Bằng"),
    "40": ("HTX Cam Vinh Nghi Lộc", "agriculture", "Cam Vinh"),
    "66": ("HTX Nông nghiệp Cà phê Ea Tu", "agriculture", "Cà phê Robusta, cà phê rang xay"),
}
#: OCOP product names by province (and the common fallback).
OCOP_PRODUCTS: dict[str, list[str]] = {
    "common": ["Gạo nếp cái hoa vàng", "Mật ong rừng", "Rau an toàn", "Gà đồi", "Nấm sò"],
    "01": ["Bưởi Diễn", "Sữa chua Ba Vì", "Gốm Bát Tràng", "Đào Nhật Tân", "Miến Cự Đà"],
    "04": ["Miến dong Nguyên Bình", "Hạt dẻ Trùng Khánh", "Lạp sườn hun khói", "Chè Shan tuyết"],
    "19": ["Chè Tân Cương", "Trà xanh La Bằng", "Chè búp Trại Cài", "Miến dong Việt Cường"],
    "40": ["Cam Vinh", "Nhút Thanh Chương", "Nước mắm Vạn Phần", "Chè xanh Thanh Chương"],
    "66": ["Cà phê rang xay Ea Tu", "Cà phê Robusta Buôn Ma Thuột", "Hồ tiêu", "Mắc ca sấy"],
}
#: Value-chain partners (fictional firms) by province.
PARTNERS: dict[str, list[tuple[str, str]]] = {
    "common": [
        ("Công ty CP Thực phẩm Xanh", "distributor"),
        ("Công ty TNHH Chế biến Nông sản Việt", "processor"),
        ("Chuỗi siêu thị Sao Mai", "distributor"),
        ("Công ty CP Vật tư Nông nghiệp Hòa Bình", "service"),
    ],
    "66": [
        ("Công ty CP Xuất nhập khẩu Cà phê Tây Nguyên", "processor"),
        ("Công ty TNHH Cà phê Xuất khẩu Ban Mê", "distributor"),
        ("Công ty CP Cà phê Đại Ngàn", "processor"),
    ],
}

# --- people ---------------------------------------------------------------------------

#: Ethnicity code → weight, per demo province (codes of ``data/ethnicities``).
ETHNIC_MIX: dict[str, list[tuple[str, int]]] = {
    "01": [("01", 97), ("06", 3)],
    "04": [("02", 40), ("07", 30), ("08", 10), ("09", 10), ("01", 10)],
    "19": [("01", 60), ("02", 15), ("07", 10), ("18", 8), ("09", 7)],
    "40": [("01", 78), ("03", 18), ("08", 2), ("29", 2)],
    "66": [("01", 60), ("12", 30), ("20", 7), ("02", 3)],
    "other": [("01", 90), ("02", 3), ("03", 3), ("06", 2), ("07", 2)],
}
#: Birth-province digits of citizen IDs (63-province codes) per province.
CCCD_BIRTH_CODES: dict[str, list[str]] = {
    "01": ["001", "001", "001", "034", "036"],
    "04": ["004"],
    "19": ["019", "019", "006"],
    "40": ["040", "040", "040", "042"],
    "66": ["066", "066", "054", "040", "038"],
}


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


KINH_SURNAMES = _words(
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô "
    "Dương Lý Đinh Trịnh Cao Mai Tạ Lương"
)
MALE_MIDDLE = _words("Văn Văn Văn Đức Minh Quốc Hữu Xuân Thanh Công Đình")
FEMALE_MIDDLE = _words("Thị Thị Thị Thu Ngọc Thanh Hồng Minh Phương")
MALE_GIVEN = _words(
    "An Bình Cường Dũng Đạt Hải Hiếu Hùng Khánh Lâm Long Minh Nam Nghĩa Phong Phúc Quang "
    "Sơn Tài Thắng Thành Toàn Trung Tuấn Việt Vinh Hưng Hòa Kiên"
)
FEMALE_GIVEN = _words(
    "Anh Châu Dung Giang Hà Hạnh Hằng Hiền Hoa Huyền Lan Liên Linh Loan Mai Nga Ngân "
    "Nhung Oanh Phương Quyên Thảo Thủy Trang Tuyết Vân Yến Hương Lý"
)
TAY_NUNG_SURNAMES = _words("Nông Hoàng Bế Lục Đàm Lương Mông Hà Lăng Triệu Ma Lý Chu Đinh Nông")
THAI_SURNAMES = _words("Lô Lữ Vi Lương Kha Sầm Quang Hà Cầm Lang")
HMONG_SURNAMES = _words("Giàng Sùng Vàng Thào Lý Mùa Hầu Lầu Vừ")
HMONG_MALE = _words("A Páo;A Sử;Seo Chứ;Mí Dìn;A Dế;Seo Lử;A Của;Chẩn Vư", ";")
HMONG_FEMALE = _words("Thị Mỷ;Thị Dung;Thị Súa;Thị Mai;Thị Pà;Thị Dua;Thị Chú", ";")
DAO_SURNAMES = _words("Triệu Bàn Đặng Lý Chảo Phùng")
DAO_MALE = _words("Văn Kiều;Văn Thành;Láo Lở;Tòn Phin;Văn Chàn;Quầy Sinh", ";")
DAO_FEMALE = _words("Thị Mai;Thị Xuân;Mùi Nhị;Thị Chang;Thị Phấy", ";")
EDE_FAMILY = _words("Niê;Mlô;Êban;Byă;Ayun;Êñuôl;Adrơng;Knul;Ksơr;Hwing;Kbuôr;Buôn Yă", ";")
EDE_MALE = _words("Thành Kông Sơn Blô Nguôn Wang Hiếu Ngọc Jôn Brơm Khuê")
EDE_FEMALE = _words("Hoa Uyên Nhi Ruôm Linh Đam Jur Bliêng Mai Loan")
MNONG_FAMILY = _words("Bdap;Liêng;Bkrông;Niê Kdăm;Liêng Hót", ";")
MNONG_MALE = _words("Krông Siu Kuăc Ngơn Brim Dhiêng")
MNONG_FEMALE = _words("Ngơm Liên Blin Drim Hơn")
SAN_DIU_SURNAMES = _words("Trương Lam Diệp Tạ Lê Đỗ")
MUONG_SURNAMES = _words("Bùi Đinh Quách Hà Xa")


def person_name(rng: random.Random, ethnicity: str, sex: str) -> str:
    """A realistic full name for someone of ``ethnicity`` (code) and ``sex``."""
    male = sex == "male"
    if ethnicity in ("02", "07"):  # Tày, Nùng
        middle = "Văn" if male else rng.choice(("Thị", "Thị", "Thu"))
        given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        return f"{rng.choice(TAY_NUNG_SURNAMES)} {middle} {given}"
    if ethnicity in ("03", "29"):  # Thái, Khơ-mú
        middle = "Văn" if male else "Thị"
        given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        return f"{rng.choice(THAI_SURNAMES)} {middle} {given}"
    if ethnicity == "08":  # HMông
        given = rng.choice(HMONG_MALE if male else HMONG_FEMALE)
        return f"{rng.choice(HMONG_SURNAMES)} {given}"
    if ethnicity == "09":  # Dao
        given = rng.choice(DAO_MALE if male else DAO_FEMALE)
        return f"{rng.choice(DAO_SURNAMES)} {given}"
    if ethnicity == "12":  # Ê-đê: Y (men) / H' (women), given name, family name
        if male:
            return f"Y {rng.choice(EDE_MALE)} {rng.choice(EDE_FAMILY)}"
        return f"H'{rng.choice(EDE_FEMALE)} {rng.choice(EDE_FAMILY)}"
    if ethnicity == "20":  # Mnông
        if male:
            return f"Y {rng.choice(MNONG_MALE)} {rng.choice(MNONG_FAMILY)}"
        return f"H'{rng.choice(MNONG_FEMALE)} {rng.choice(MNONG_FAMILY)}"
    surnames = {"18": SAN_DIU_SURNAMES, "06": MUONG_SURNAMES}.get(ethnicity, KINH_SURNAMES)
    middle = rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)
    given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
    return f"{rng.choice(surnames)} {middle} {given}"


def pick_weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def citizen_id(birth_code: str, sex: str, birth_date: dt.date, serial: int) -> str:
    """A citizen ID that :func:`htxso.core.codes.validate_cccd` accepts for this person."""
    century = (birth_date.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    return f"{birth_code}{century}{birth_date.year % 100:02d}{serial:06d}"


def random_birth_date(rng: random.Random, *, youth: bool, on: dt.date) -> dt.date:
    """Someone under 35 on ``on`` (``youth``) or 35–68, always at least 18."""
    age = rng.randint(19, 34) if youth else rng.randint(35, 68)
    return on - dt.timedelta(days=age * 365 + rng.randint(10, 350))


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(("09", "03", "08", "07")) + f"{rng.randint(10_000_000, 99_999_999)}"


def valid_tax_code(prefix9: int) -> tuple[str, int]:
    """The first valid tax code at or after the nine digits ``prefix9``, and the nine
    digits used (callers continue from the next one)."""
    while True:
        body = f"{prefix9:09d}"[-9:]
        check = tax_code_check_digit(body)
        if check is not None and set(body[2:9]) != {"0"}:
            return body + str(check), prefix9
        prefix9 += 1
