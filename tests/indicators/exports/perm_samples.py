"""Permission-test samples of the exports part (read by tests/permissions/samples.py).

Two province frameworks with cached values for 2025S1: Cao Bằng's (04, named with a1's
marker) and Đắk Lắk's (66, b1's marker).  The API samples export Cao Bằng's, so staff
of Đắk Lắk get 404 and Cao Bằng's staff and the VCA 200.
"""

from __future__ import annotations

CODE_A = "perm-exports-04"
CODE_B = "perm-exports-66"
PERIOD = "2025S1"


def WORLD(w):
    from decimal import Decimal

    from django.utils import timezone

    from htxso.indicators.models import Framework, Indicator, IndicatorValue

    now = timezone.now()
    for code, province, tag in ((CODE_A, "04", "HopGiangMau"), (CODE_B, "66", "EaTuMau")):
        fw = Framework.objects.create(code=code, name=f"Khung kết quả {tag}", province_id=province)
        indicator = Indicator.objects.create(
            framework=fw,
            code="hop-tac-xa",
            name=f"Số hợp tác xã {tag}",
            formula="registry.cooperatives",
            dhis2_code="HTX_COOPS",
            disaggregations=["sector"],
        )
        for cell, value in (("", 12), ("sector=agriculture", 9), ("sector=trade", None)):
            IndicatorValue.objects.create(
                indicator=indicator,
                period=PERIOD,
                cell=cell,
                value=None if value is None else Decimal(value),
                note="" if value is not None else "no_data",
                computed_at=now,
            )


def _sample(w):
    return {"code": CODE_A, "period": PERIOD}


API_SAMPLES = {
    f"/api/v1/indicators/exports/frameworks/{{code}}/{{period}}/{kind}": _sample
    for kind in ("values", "dhis2", "csv", "xlsx")
}
