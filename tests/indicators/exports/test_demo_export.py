"""Issue 17's "done when": the DHIS2 export of the demo EU framework validates, and its
values equal the dashboard's (the national scope and Cao Bằng's)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from htxso.accounts.models import User
from htxso.indicators import demo, dhis2, exports, selectors_frameworks
from htxso.indicators.models import Framework, IndicatorValue
from htxso.indicators.periods import parse

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _documents(vca, fw):
    """(period, province, document) of every period and place the demo computed."""
    done = (
        IndicatorValue.objects.filter(indicator__framework=fw, value__isnull=False)
        .values_list("period", "province_id")
        .distinct()
    )
    out = []
    for period, province in sorted(done, key=lambda p: (p[0], p[1] or "")):
        scope = exports.resolve(user=vca, framework=fw.code, period=period, province=province)
        out.append((scope, exports.dhis2_document(scope)))
    return out


def test_the_demo_eu_framework_exports_valid_dhis2_equal_to_the_dashboard():
    call_command("seed_demo", verbosity=0)
    fw = Framework.objects.get(code=demo.EU_CODE)
    vca = User.objects.get(username="vca.admin")
    documents = _documents(vca, fw)
    assert documents, "the demo computed no value"
    assert {s.province.code if s.province else None for s, _d in documents} >= {None, "04"}
    for scope, doc in documents:
        assert dhis2.validate(doc) == []
        sent = {
            (v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): Decimal(v["value"])
            for v in doc["dataValues"]
        }
        board = selectors_frameworks.dashboard(fw, period=scope.period, province=scope.province)
        compared = set()
        for row in board.rows:
            key = (row.indicator.dhis2_code, scope.org_unit, "default")
            if row.value is None or row.value.value is None:
                assert key not in sent, "no data is never sent"
                continue
            assert sent[key] == row.value.value, (scope.period.code, row.indicator.code)
            compared.add(key)
        cells = selectors_frameworks.cells_of(fw, period=scope.period, province=scope.province)
        codes = {i.pk: i.dhis2_code for i in fw.indicators.all()}
        for indicator_id, by_cell in cells.items():
            for cell, text in by_cell.items():
                key = (codes[indicator_id], *dhis2.split_cell(cell, scope.org_unit))
                if text is None:
                    continue
                assert sent[key] == Decimal(text), (scope.period.code, cell)
                compared.add(key)
        assert compared and compared == set(sent)
    assert any(parse(s.period.code).is_year for s, _d in documents)
