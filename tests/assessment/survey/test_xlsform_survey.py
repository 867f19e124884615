"""The questionnaire as XLSForm: the shipped workbook, the round trip, bad workbooks."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from htxso.assessment import selectors_survey as sel
from htxso.assessment import services_survey as services
from htxso.assessment.models import Question, Questionnaire
from htxso.assessment.questionnaire_data import V1_XLSX
from htxso.assessment.questionnaire_data.content_v1 import spec as content_spec
from htxso.assessment.xlsform_survey import check_with_pyxform, read_xlsform, write_xlsform
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def _norm(spec):
    """Numbers as Decimals, so a spec from code and one read back compare equal."""

    def num(v):
        return None if v is None or v == "" else Decimal(str(v)).normalize()

    out = {k: v for k, v in spec.items() if k not in ("dimensions", "levels", "questions")}
    out["dimensions"] = [
        {**d, "weight": num(d["weight"])}
        for d in sorted(spec["dimensions"], key=lambda d: d["order"])
    ]
    out["levels"] = [{**lv, "min_score": num(lv["min_score"])} for lv in spec["levels"]]
    out["questions"] = [
        {
            **q,
            "weight": num(q["weight"]),
            "also": sorted(q["also"]),
            "number_min": num(q["number_min"]),
            "number_max": num(q["number_max"]),
            "number_full": num(q["number_full"]),
            "options": [{**o, "score": num(o["score"])} for o in q["options"]],
        }
        for q in sorted(spec["questions"], key=lambda q: q["order"])
    ]
    out.setdefault("description_en", "")
    return out


def test_the_shipped_workbook_matches_the_content_and_pyxform_accepts_it():
    data = V1_XLSX.read_bytes()
    xform = check_with_pyxform(data)
    assert 'id="htx-dx" version="1"' in xform
    assert "Tiếng Việt (vi)" in xform and "English (en)" in xform
    assert _norm(read_xlsform(data)) == _norm(content_spec()), (
        "run python -m htxso.assessment.questionnaire_data.build"
    )


def test_round_trip_reproduces_the_questionnaire(world):
    qn = services.questionnaire_import(actor=OPERATOR, data=V1_XLSX.read_bytes(), publish=True)
    exported = sel.questionnaire_xlsform(qn)
    spec = read_xlsform(exported)  # pyxform validates the export too
    assert _norm(spec) == _norm(sel.questionnaire_spec(qn))
    assert _norm(spec) == _norm(content_spec())
    # loaded again as version 2, the tables are the same
    wb = load_workbook(io.BytesIO(exported))
    wb["settings"]["C2"] = "2"
    out = io.BytesIO()
    wb.save(out)
    qn2 = services.questionnaire_import(actor=OPERATOR, data=out.getvalue())
    a, b = sel.questionnaire_spec(qn), sel.questionnaire_spec(qn2)
    a.pop("version"), b.pop("version")
    assert _norm(a) == _norm(b)
    assert qn2.status == "draft"


def _edited(edit):
    wb = load_workbook(io.BytesIO(V1_XLSX.read_bytes()))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(ws, column, row):
    header = [c.value for c in ws[1]]
    return ws.cell(row=row, column=header.index(column) + 1)


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda wb: _cell(wb["choices"], "score", 2).__setattr__("value", "150"), "xlsform_score"),
        (
            lambda wb: _cell(wb["choices"], "score", 2).__setattr__("value", "nhiều"),
            "xlsform_number",
        ),
        (
            lambda wb: _cell(wb["survey"], "htx_also", 3).__setattr__("value", "dbi_nowhere"),
            "xlsform_also",
        ),
        (
            lambda wb: _cell(wb["survey"], "name", 4).__setattr__("value", "strategy_plan"),
            "xlsform_pyxform",
        ),
        (lambda wb: wb.remove(wb["htx_levels"]), "xlsform_sheet"),
        (
            lambda wb: _cell(wb["htx_dimensions"], "family", 2).__setattr__("value", "eu"),
            "xlsform_family",
        ),
        (
            lambda wb: _cell(wb["survey"], "type", 3).__setattr__("value", "select_one nowhere"),
            "xlsform_pyxform",
        ),
        (
            lambda wb: _cell(wb["settings"], "version", 2).__setattr__("value", "-3"),
            "xlsform_settings",
        ),
        (
            lambda wb: _cell(wb["survey"], "label::Tiếng Việt (vi)", 3).__setattr__(
                "value", "<script>alert(1)</script>"
            ),
            "xlsform_markup",
        ),
        (
            lambda wb: _cell(wb["survey"], "type", 3).__setattr__("value", "geopoint"),
            "xlsform_type",
        ),
    ],
)
def test_bad_workbooks_are_refused_precisely(world, edit, code):
    with pytest.raises(ServiceError) as exc:
        services.questionnaire_import(actor=OPERATOR, data=_edited(edit))
    assert exc.value.code == code, exc.value.text
    assert not Questionnaire.objects.exists()


def test_files_that_are_not_workbooks(world):
    for data in (b"", b"PK\x03\x04 not really", b"%PDF-1.4 hello", b"x" * (3 * 1024 * 1024)):
        with pytest.raises(ServiceError) as exc:
            services.questionnaire_import(actor=OPERATOR, data=data)
        assert exc.value.code in ("xlsform_unreadable", "too_large")
    assert not Questionnaire.objects.exists()


def test_import_is_for_the_vca_and_a_version_loads_once(world):
    with pytest.raises(ServiceError) as exc:
        services.questionnaire_import(actor=world.users["officer_a"], data=V1_XLSX.read_bytes())
    assert exc.value.code == "forbidden"
    services.questionnaire_import(actor=world.users["vca"], data=V1_XLSX.read_bytes())
    with pytest.raises(ServiceError) as exc:
        services.questionnaire_import(actor=world.users["vca"], data=V1_XLSX.read_bytes())
    assert exc.value.code == "version_exists"


def test_load_questionnaire_command(world, tmp_path):
    out = io.StringIO()
    call_command("load_questionnaire", "--packaged", "--publish", stdout=out)
    assert "htx-dx v1: 60 questions" in out.getvalue()
    qn = Questionnaire.objects.get()
    target = tmp_path / "xuat.xlsx"
    call_command("load_questionnaire", str(target), "--export", str(qn.pk), stdout=out)
    assert read_xlsform(target.read_bytes())["version"] == 1
    with pytest.raises(CommandError, match="đã có"):
        call_command("load_questionnaire", str(target), stdout=out)
    assert Question.objects.count() == 60


def test_write_then_read_keeps_every_field():
    spec = content_spec()
    spec["questions"][0]["mapped_from"] = "old_plan"
    spec["questions"][0]["comparable"] = False
    spec["questions"][1]["weight"] = 2.5
    back = read_xlsform(write_xlsform(spec))
    assert back["questions"][0]["mapped_from"] == "old_plan"
    assert back["questions"][0]["comparable"] is False
    assert back["questions"][1]["weight"] == Decimal("2.5")
