"""The DHIS2 document builder and its schema, on plain rows (no database)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from htxso.core.errors import ServiceError
from htxso.indicators import dhis2
from htxso.indicators.dhis2 import ExportRow, build_data_value_set


def row(
    cell="",
    value=Decimal("12"),
    *,
    indicator="youth-trained",
    element="HTX_YOUTH_TRAINED",
    period="2025S1",
    org_unit="VN",
):
    return ExportRow(indicator, element, period, org_unit, cell, value)


def build(rows, **kw):
    kw.setdefault("period", "2025S1")
    kw.setdefault("org_unit", "VN")
    kw.setdefault("complete_date", "2025-07-15")
    return build_data_value_set(rows, **kw)


def test_document_shape_code_scheme_and_values_as_text():
    doc = build(
        [
            row("", Decimal("600.0000")),
            row("sex=female", Decimal("310")),
            row("sex=male|age_band=15_24", Decimal("41.5000")),
            row("", Decimal("62.5"), indicator="share-good", element="HTX_SHARE_GOOD"),
        ],
        data_set="HTX_EU_DX",
    )
    assert dhis2.validate(doc) == []
    assert doc["dataSet"] == "HTX_EU_DX"
    assert (doc["period"], doc["orgUnit"], doc["completeDate"]) == ("2025S1", "VN", "2025-07-15")
    assert doc["idScheme"] == "CODE"
    got = {
        (v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]): v["value"]
        for v in doc["dataValues"]
    }
    assert got == {
        ("HTX_YOUTH_TRAINED", "VN", "default"): "600",
        ("HTX_YOUTH_TRAINED", "VN", "SEX_F"): "310",
        ("HTX_YOUTH_TRAINED", "VN", "SEX_M__AGE_15_24"): "41.5",
        ("HTX_SHARE_GOOD", "VN", "default"): "62.5",
    }
    assert all(v["period"] == "2025S1" for v in doc["dataValues"])
    assert "attributeOptionCombo" not in doc["dataValues"][0]


def test_the_combo_code_does_not_depend_on_the_order_of_the_cell():
    a = dhis2.split_cell("age_band=55_up|sex=female|sector=agriculture", "VN")
    b = dhis2.split_cell("sector=agriculture|sex=female|age_band=55_up", "VN")
    assert a == b == ("VN", "SEX_F__AGE_GE55__SEC_AGR")


def test_the_province_of_a_cell_is_the_org_unit():
    assert dhis2.split_cell("province=04|sex=male", "VN") == ("04", "SEX_M")
    assert dhis2.split_cell("province=66", "VN") == ("66", "default")
    doc = build([row("province=04", 5), row("province=66", 7), row("", 12)])
    assert {(v["orgUnit"], v["value"]) for v in doc["dataValues"]} == {
        ("04", "5"),
        ("66", "7"),
        ("VN", "12"),
    }


def test_unlisted_values_are_written_as_codes_deterministically():
    assert dhis2.split_cell("ethnicity=01", "VN")[1] == "ETH_01"
    assert dhis2.split_cell("age_band=15-34", "VN")[1] == "AGE_15_34"
    with pytest.raises(ServiceError) as err:
        dhis2.split_cell("sex=" + "x" * 30, "VN")
    assert err.value.code == "dhis2_unknown_option"


def test_no_data_is_left_out_never_zero():
    doc = build([row("", None), row("sex=female", 0), row("sex=male", None)])
    assert [(v["categoryOptionCombo"], v["value"]) for v in doc["dataValues"]] == [("SEX_F", "0")]


def test_a_period_with_no_data_is_refused():
    with pytest.raises(ServiceError) as err:
        build([row("", None), row("sex=female", None)])
    assert err.value.code == "dhis2_no_data"
    with pytest.raises(ServiceError) as err:
        build([])
    assert err.value.code == "dhis2_no_data"


def test_indicators_without_a_code_are_all_named_and_nothing_is_built():
    rows = [row(), row(indicator="b-no-code", element=""), row(indicator="a-no-code", element="")]
    with pytest.raises(ServiceError) as err:
        build(rows)
    assert err.value.code == "dhis2_no_code"
    assert err.value.details == {"indicators": ["a-no-code", "b-no-code"]}
    assert "a-no-code, b-no-code" in err.value.text


@pytest.mark.parametrize(
    "cell, code",
    [
        ("sex", "dhis2_bad_cell"),
        ("sex=", "dhis2_bad_cell"),
        ("sex=female|sex=male", "dhis2_bad_cell"),
        ("colour=red", "dhis2_unknown_disaggregation"),
        ("sex=<script>", "dhis2_bad_cell"),
    ],
)
def test_bad_cells(cell, code):
    with pytest.raises(ServiceError) as err:
        build([row(cell)])
    assert err.value.code == code


@pytest.mark.parametrize("element", ["HTX YOUTH", "=cmd|x", "A" * 51, "-lead"])
def test_bad_data_element_codes(element):
    with pytest.raises(ServiceError) as err:
        build([row(element=element)])
    assert err.value.code == "dhis2_bad_code"


def test_conflicting_values_on_the_same_identifiers():
    # the province-04 export holds a cell province=04 that says another number
    with pytest.raises(ServiceError) as err:
        build([row("", 10, org_unit="04"), row("province=04", 11, org_unit="04")], org_unit="04")
    assert err.value.code == "dhis2_conflict"
    doc = build([row("", 10, org_unit="04"), row("province=04", 10, org_unit="04")], org_unit="04")
    assert len(doc["dataValues"]) == 1


def test_a_row_of_another_period_is_refused():
    with pytest.raises(ServiceError) as err:
        build([row(period="2025")])
    assert err.value.code == "dhis2_period_mismatch"


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("1E+3"), "1000"),
        (Decimal("0.0000"), "0"),
        (Decimal("-0.5000"), "-0.5"),
        (Decimal("2600000000"), "2600000000"),
        (7, "7"),
        (Decimal("4.8"), "4.8"),
    ],
)
def test_format_value(value, text):
    assert dhis2.format_value(value) == text


def test_the_schema_refuses_what_dhis2_would_not_take():
    good = build([row(), row("sex=female", 3)])
    assert dhis2.validate(good) == []

    def broken(change):
        doc = copy.deepcopy(good)
        change(doc)
        return dhis2.validate(doc)

    assert broken(lambda d: d.update(period="2025Q5"))
    assert broken(lambda d: d.update(period="2025-S1"))
    assert broken(lambda d: d.update(completeDate="15/07/2025"))
    assert broken(lambda d: d.update(completeDate="2025-02-30")), "format date checked"
    assert broken(lambda d: d.update(dataValues=[]))
    assert broken(lambda d: d.pop("orgUnit"))
    assert broken(lambda d: d.update(extra=1))
    assert broken(lambda d: d.update(idScheme="UID"))
    assert broken(lambda d: d["dataValues"][0].update(value=12))
    assert broken(lambda d: d["dataValues"][0].update(value="1,5"))
    assert broken(lambda d: d["dataValues"][0].update(value="1e5"))
    assert broken(lambda d: d["dataValues"][0].update(value=""))
    assert broken(lambda d: d["dataValues"][0].pop("categoryOptionCombo"))
    assert broken(lambda d: d["dataValues"][0].update(orgUnit="a b"))
    assert broken(lambda d: d["dataValues"][0].update(dataElement="x" * 51))
    assert broken(lambda d: d["dataValues"][0].update(storedBy=None))


def test_the_schema_is_a_valid_json_schema():
    schema = json.loads(dhis2.SCHEMA_PATH.read_text(encoding="utf-8"))
    import jsonschema

    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")
