"""Frameworks with cached values for the export tests (no formula needed)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from htxso.indicators.models import Framework, Indicator, IndicatorValue


def framework(code="eu-dx", *, province=None, name=None, indicators=None):
    """A framework and its indicators: ``indicators`` = [(code, dhis2 code, unit,
    disaggregations)]."""
    fw = Framework.objects.create(
        code=code,
        name=name or f"Khung kết quả {code}",
        province_id=province,
        programme_label="Dự án EU" if province is None else "",
    )
    specs = indicators or [
        ("youth-trained", "HTX_YOUTH_TRAINED", "people", ["sex", "age_band"]),
        ("share-good", "HTX_SHARE_GOOD", "percent", []),
        ("coops-dx-plan", "HTX_COOPS_DX_PLAN", "count", ["province"]),
    ]
    for order, (icode, dcode, unit, disaggs) in enumerate(specs):
        Indicator.objects.create(
            framework=fw,
            code=icode,
            name=f"Chỉ số {icode}",
            unit=unit,
            formula="test.none",
            dhis2_code=dcode,
            disaggregations=disaggs,
            order=order,
        )
    return fw


def put(fw, period, values, *, province=None):
    """Cache rows: ``values`` = {indicator code: {cell: value or None}}."""
    now = timezone.now()
    by_code = {i.code: i for i in fw.indicators.all()}
    for icode, cells in values.items():
        for cell, value in cells.items():
            IndicatorValue.objects.create(
                indicator=by_code[icode],
                period=period,
                province_id=province,
                cell=cell,
                value=None if value is None else Decimal(str(value)),
                numerator=None if value is None else Decimal(str(value)),
                note="no_data" if value is None else "",
                computed_at=now,
            )


EU_2025S1 = {
    "youth-trained": {
        "": 600,
        "sex=female": 310,
        "sex=male": 290,
        "sex=female|age_band=15_24": 120,
        "sex=male|age_band=15_24": None,
    },
    "share-good": {"": "62.5"},
    "coops-dx-plan": {"": 37, "province=04": 12, "province=66": 25},
}
