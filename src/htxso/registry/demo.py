"""Demo organisations in the demo provinces (the registry module extends this)."""

from __future__ import annotations

import datetime as dt

from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.demodata import DEMO_PROVINCES, DemoContext
from htxso.geo.models import Ward

from .models import Organisation

ORDER = 20

#: (kind, name pattern, sector) — {ward} is replaced by a ward name of the province.
PATTERNS = [
    ("cooperative", "HTX Nông nghiệp Dịch vụ {ward}", "agriculture"),
    ("cooperative", "HTX Rau an toàn {ward}", "agriculture"),
    ("cooperative", "HTX Chăn nuôi {ward}", "agriculture"),
    ("cooperative", "HTX Thủ công mỹ nghệ {ward}", "industry"),
    ("cooperative", "HTX Du lịch cộng đồng {ward}", "tourism"),
    ("group", "Tổ hợp tác Dệt thổ cẩm {ward}", "industry"),
    ("group", "Tổ hợp tác Trồng nấm {ward}", "agriculture"),
    ("union", "Liên hiệp HTX Nông sản {ward}", "trade"),
]
#: Extra, province-specific organisations (the first one is the demo manager's).
SPECIAL = {
    "66": [("cooperative", "HTX Nông nghiệp Cà phê Ea Tu", "agriculture")],
    "04": [("cooperative", "HTX Nông nghiệp Hợp Giang", "agriculture")],
    "19": [("cooperative", "HTX Chè La Bằng", "agriculture")],
    "40": [("cooperative", "HTX Cam Vinh Nghi Lộc", "agriculture")],
    "01": [("cooperative", "HTX Nông nghiệp Đa Tốn", "agriculture")],
}


def demo_tax_code(province_code: str, serial: int) -> str:
    """A valid, deterministic 10-digit tax code for demo organisation ``serial``."""
    base = int(province_code) * 10_000_000 + 3_000_000 + serial * 7
    while True:
        body = f"{base:09d}"[-9:]
        for digit in range(10):
            try:
                return validate_tax_code(body + str(digit))
            except CodeError:
                continue
        base += 1


def seed(ctx: DemoContext) -> None:
    organisations: dict[str, list[Organisation]] = {}
    for province_code in DEMO_PROVINCES:
        wards = list(Ward.objects.filter(province_id=province_code).order_by("code")[:40])
        rows = list(SPECIAL.get(province_code, []))
        for i, (kind, pattern, sector) in enumerate(PATTERNS):
            ward = wards[(i * 5) % len(wards)]
            rows.append((kind, pattern.format(ward=ward.name.split(" ", 1)[-1]), sector))
        created = []
        for serial, (kind, name, sector) in enumerate(rows, start=1):
            ward = wards[(serial * 3) % len(wards)]
            tax_code = demo_tax_code(province_code, serial)
            org, _ = Organisation.objects.get_or_create(
                tax_code=tax_code,
                defaults={
                    "kind": kind,
                    "name": name,
                    "province_id": province_code,
                    "ward": ward,
                    "sector": sector,
                    "established_on": dt.date(2008 + serial % 15, 1 + serial % 12, 1 + serial % 27),
                },
            )
            created.append(org)
        organisations[province_code] = created
    ctx.data["organisations"] = organisations
    ctx.log(f"registry: {sum(len(v) for v in organisations.values())} demo organisations")
