"""Permission-test samples of registry reconciliation (issue 19): a tax extract
reconciled for Cao Bằng (04, file named with a1's marker) and one for Đắk Lắk (66, b1's
marker); the URL sample is the Cao Bằng run."""

from __future__ import annotations

import datetime as dt


def _run(w, province_code: str, org_key: str, marker: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from htxso.core.actors import OPERATOR
    from htxso.geo.models import Province
    from htxso.registry.extracts import services
    from htxso.registry.models.extracts import SyncRun

    name = f"{marker}.csv"
    found = SyncRun.objects.filter(original_name=name).first()
    if found:
        return found
    org = w.orgs[org_key]
    content = f"MST,Tên người nộp thuế,Trạng thái\n{org.tax_code},{org.name},Tạm ngừng\n"
    return services.upload_extract(
        actor=OPERATOR,
        upload=SimpleUploadedFile(name, content.encode()),
        source="tax",
        province=Province.objects.get(pk=province_code),
        extract_date=dt.date(2026, 11, 1),
    )


def WORLD(w):
    _run(w, "04", "a1", "HopGiangMau")
    _run(w, "66", "b1", "EaTuMau")


def _pk(w):
    return {"pk": _run(w, "04", "a1", "HopGiangMau").pk}


SAMPLES = {
    "registry:extract_review": lambda w: (_pk(w), None),
    "registry:extract_decide": lambda w: (_pk(w), None),
}
