"""Reconciliation demo (issue 19): a business-registration extract of Cao Bằng with new,
changed, dissolved and conflicting rows, reconciled and applied once (one applied sync
run in the history), and a tax extract flagging one cooperative.  Idempotent: the runs
are found by their file names the second time.

Called at the end of ``registry/demo.py``'s ``seed`` (after the organisations exist).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from htxso.core.actors import OPERATOR
from htxso.core.codes import tax_code_check_digit
from htxso.geo.models import Province, Ward

from ..models import Organisation
from ..models.extracts import ItemCategory, SyncRun
from . import services

BUSINESS_FILE = "trich-xuat-dkkd-cao-bang.csv"
TAX_FILE = "trich-xuat-thue-cao-bang.csv"
HEADERS = [
    "STT",
    "Mã số HTX",
    "Tên hợp tác xã",
    "Loại hình",
    "Tình trạng",
    "Ngày đăng ký",
    "Ngày thay đổi",
    "Địa chỉ trụ sở",
    "Xã/phường",
    "Tỉnh",
    "Người đại diện theo pháp luật",
    "Vốn điều lệ",
    "Ngành nghề kinh doanh",
]


def _new_code(n: int) -> str:
    seed = 480_001_000 + n * 11
    while tax_code_check_digit(str(seed)) is None:
        seed += 1
    return f"{seed}{tax_code_check_digit(str(seed))}"


def business_rows(orgs: list[Organisation], ward: str) -> list[list[str]]:
    changed, dissolved, conflict, *rest = orgs
    rows = [
        [
            changed.tax_code,
            changed.name,
            "Hợp tác xã",
            "Đang hoạt động",
            "",
            "15/10/2026",
            "Tổ 3, phường Thục Phán",
            "",
            "Cao Bằng",
            "Nông Văn Dũng",
            f"{(changed.charter_capital or 0) + 250_000_000:,}".replace(",", "."),
            "0118; 4620",
        ],
        [
            dissolved.tax_code,
            dissolved.name,
            "Hợp tác xã",
            "Đã giải thể",
            "",
            "01/09/2026",
            dissolved.address,
            "",
            "Cao Bằng",
            "",
            "",
            "",
        ],
        [conflict.tax_code, "Công ty TNHH Khoáng sản Bắc Sơn", "Hợp tác xã", "Đang hoạt động"]
        + [""] * 5
        + ["", "", ""],
        [
            _new_code(1),
            "HTX Chè Shan tuyết Phìa Đén",
            "Hợp tác xã",
            "Đang hoạt động",
            "20/10/2026",
            "",
            "Bản Phìa Đén",
            ward,
            "Cao Bằng",
            "Hoàng Thị Mai",
            "300.000.000",
            "0127; 1079",
        ],
        [
            _new_code(2),
            "Tổ hợp tác Nuôi ong Nguyên Bình",
            "Tổ hợp tác",
            "Đang hoạt động",
            "02/11/2026",
            "",
            "Xóm Nà Bao",
            "Xã Không Có",
            "Cao Bằng",
            "Lục Văn Sáng",
            "",
            "0149; 9990",
        ],
        ["0100233480", "HTX Mã Sai", "Hợp tác xã", "Đang hoạt động"] + [""] * 8,
    ]
    for org in rest:
        rows.append(
            [org.tax_code, org.name, "", "Đang hoạt động"] + [""] * 2 + [org.address] + [""] * 5
        )
    return rows


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["DANH SÁCH HỢP TÁC XÃ, TỔ HỢP TÁC ĐĂNG KÝ TẠI TỈNH CAO BẰNG"])
    w.writerow(headers)
    for i, r in enumerate(rows, start=1):
        w.writerow([i, *r])
    return buf.getvalue().encode("utf-8-sig")


def seed(ctx) -> None:
    if SyncRun.objects.filter(original_name=BUSINESS_FILE).exists():
        ctx.log("registry extracts: demo sync runs found, nothing new")
        return
    province = Province.objects.filter(pk="04").first()
    orgs = list(
        Organisation.objects.filter(province_id="04", kind="cooperative", status="active")
        .exclude(tax_code__isnull=True)
        .order_by("pk")[1:9]  # the first is the demo manager's: left alone
    )
    if province is None or len(orgs) < 4:
        ctx.log("registry extracts: no Cao Bằng cooperatives, demo skipped")
        return
    ward = Ward.objects.filter(province_id="04").order_by("code").values_list("name", flat=True)
    day = timezone.localdate() - dt.timedelta(days=3)
    run = services.upload_extract(
        actor=OPERATOR,
        upload=SimpleUploadedFile(BUSINESS_FILE, _csv(HEADERS, business_rows(orgs, ward[0]))),
        source="business",
        province=province,
        extract_date=day,
    )
    for category in (ItemCategory.CHANGED, ItemCategory.DISSOLVED):
        if run.counts.get(category):
            services.apply_items(actor=OPERATOR, run=run, category=category)
    # the new registration whose ward is found is accepted; the one whose ward is not
    # found stays listed (rejected here: an officer registers it with its ward)
    matched = [
        i.pk
        for i in run.items.filter(category=ItemCategory.NEW)
        if i.record["ward_name"] == ward[0]
    ]
    if matched:
        services.apply_items(actor=OPERATOR, run=run, item_ids=matched)
    services.reject_items(actor=OPERATOR, run=run)
    flagged = orgs[3]
    tax = services.upload_extract(
        actor=OPERATOR,
        upload=SimpleUploadedFile(
            TAX_FILE,
            _csv(
                ["STT", "MST", "Tên người nộp thuế", "Trạng thái MST"],
                [[flagged.tax_code, flagged.name, "NNT không hoạt động tại địa chỉ đã đăng ký"]],
            ),
        ),
        source="tax",
        province=province,
        extract_date=day,
    )
    services.apply_items(actor=OPERATOR, run=tax, category=ItemCategory.TAX)
    ctx.log(f"registry extracts: 2 demo sync runs for Cao Bằng ({run.counts})")
