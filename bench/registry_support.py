"""Helpers of the registry benchmarks: raw inserts (``executemany``, ``COPY`` on
PostgreSQL) and the officer's import file that ``registry_import`` measures."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

IMPORT_ROWS = {"quick": 200, "default": 2_000, "national": 10_000, "full": 10_000}
IMPORT_PROVINCE = "40"
IMPORT_HEADERS = [
    "STT",
    "Tên HTX",
    "Mã số thuế",
    "Loại hình",
    "Địa chỉ trụ sở",
    "Ngày thành lập",
    "Vốn điều lệ (đồng)",
    "Số thành viên",
    "Ngành nghề",
    "Sản phẩm chính",
    "Điện thoại",
    "Tình trạng",
]
SECTOR_TEXT = {"agriculture": "Nông nghiệp", "industry": "Tiểu thủ công nghiệp"}


# --- inserting -----------------------------------------------------------------------


def insert_rows(model, columns: list[str], rows: list[tuple], batch: int = 2_000) -> None:
    from django.db import connection

    qn = connection.ops.quote_name
    cols = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({cols}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: ten times executemany's speed
            copy_sql = f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, rows[i : i + batch])


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def reset_sequences(models: list) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Adapt:
    """Dates and datetimes as the backend wants them, cached (the same few repeat)."""

    def __init__(self) -> None:
        from django.db import connection
        from django.utils import timezone

        self.ops = connection.ops
        self._dates: dict[dt.date, Any] = {}
        self.now = self.ops.adapt_datetimefield_value(timezone.now())

    def date(self, d: dt.date | None) -> Any:
        if d is None:
            return None
        value = self._dates.get(d)
        if value is None:
            value = self._dates[d] = self.ops.adapt_datefield_value(d)
        return value


# --- the officer's import file -------------------------------------------------------


def write_import_files(directory: Path, n: int, province: str = IMPORT_PROVINCE) -> dict:
    """Write ``n`` organisations of ``province`` as an officer's spreadsheet (xlsx and csv:
    same rows); return the paths and the parsed rows for a raw insert."""
    from openpyxl import Workbook

    from htxso.core.formatting import format_number
    from htxso.geo.models import WardMapping
    from htxso.registry import demo_data as data

    rng = random.Random(f"import-{province}-{n}")
    mappings = list(
        WardMapping.objects.filter(ward__province_id=province, is_partial=False)
        .select_related("legacy_ward__district__province")
        .order_by("legacy_ward_id")
    )
    templates = data.COOPERATIVE_TEMPLATES.get(province, []) + data.COOPERATIVE_TEMPLATES["common"]
    counter = int(province) * 10_000_000 + 6_000_000
    rows, parsed = [], []
    for i in range(1, n + 1):
        m = rng.choice(mappings)
        old = m.legacy_ward
        prefix, sector, products = rng.choice(templates)
        name = f"{prefix} {old.name.split(' ', 1)[-1]} {i}"
        tax, counter = data.valid_tax_code(counter + 1)
        established = dt.date(rng.randint(1997, 2024), rng.randint(1, 12), rng.randint(1, 28))
        capital = rng.randint(50, 3_000) * 1_000_000
        address = f"Xóm {rng.randint(1, 15)}, {old.name}, {old.district.name}, "
        address += old.district.province.name
        rows.append(
            [
                i, name, tax, "Hợp tác xã", address, established.strftime("%d/%m/%Y"),
                format_number(capital), rng.randint(7, 120), SECTOR_TEXT.get(sector, "Dịch vụ"),
                products, data.mobile_phone(rng), "Đang hoạt động",
            ]
        )  # fmt: skip
        parsed.append({"ward": m.ward_id, "address": address})
    directory.mkdir(parents=True, exist_ok=True)
    csv_path = directory / f"htx_{province}_{n}.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(IMPORT_HEADERS)
        writer.writerows(rows)
    xlsx_path = directory / f"htx_{province}_{n}.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách HTX")
    sheet.append([f"DANH SÁCH HỢP TÁC XÃ TỈNH (dữ liệu thử, {n} đơn vị)"])
    sheet.append(IMPORT_HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path, "rows": n, "wards": parsed, "province": province}
