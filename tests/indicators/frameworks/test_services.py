"""The staff's writes: precise refusals of bad input, nothing half-saved, audit."""

from decimal import Decimal as D

import pytest

from htxso.core.errors import ServiceError
from htxso.core.models import AuditEvent
from htxso.indicators import services_frameworks as services
from htxso.indicators.models import Framework, Indicator, ResultNode, Target

from .helpers import framework, indicator

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("htx")</script>'


def good_indicator(**over):
    data = {
        "code": "youth",
        "name": "Thanh niên hoàn thành khóa kỹ năng số",
        "unit": "people",
        "formula": "training.youth_digital_completed",
        "params": {"funded_by": "EU"},
        "disaggregations": ["sex", "age_band"],
        "baseline_value": D(0),
        "baseline_period": "2024",
    }
    data.update(over)
    return data


def test_create_framework_scoped_by_role(world):
    vca, officer = world.users["vca"], world.users["officer_a"]
    fw = services.create_framework(
        actor=officer, data={"code": "cb-2030", "name": "Cao Bằng 2030", "province": "04"}
    )
    assert fw.province_id == "04"
    with pytest.raises(ServiceError) as exc:  # another province
        services.create_framework(
            actor=officer, data={"code": "dl", "name": "Đắk Lắk", "province": "66"}
        )
    assert exc.value.code == "forbidden"
    with pytest.raises(ServiceError):  # national: the VCA only
        services.create_framework(actor=officer, data={"code": "nat", "name": "Quốc gia"})
    with pytest.raises(ServiceError):  # a department viewer changes nothing
        services.create_framework(
            actor=world.users["viewer_a"], data={"code": "v", "name": "V", "province": "04"}
        )
    services.create_framework(actor=vca, data={"code": "nat", "name": "Quốc gia"})
    assert set(Framework.objects.values_list("code", flat=True)) == {"cb-2030", "nat"}
    assert AuditEvent.objects.filter(action="indicators.framework_create").count() == 2


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"code": "Có Dấu"}, "code"),
        ({"code": ""}, "code"),
        ({"name": SCRIPT}, "name"),
        ({"name": ""}, "name"),
        ({"description": "<b>đậm</b>"}, "description"),
        ({"province": "99"}, "province"),
        ({"name": "x" * 300}, "name"),
    ],
)
def test_framework_bad_input(world, changes, field):
    data = {"code": "ok-code", "name": "Khung", **changes}
    with pytest.raises(ServiceError) as exc:
        services.create_framework(actor=world.users["vca"], data=data)
    assert field in exc.value.fields
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"formula": "khong.co.cong.thuc"}, "formula"),
        ({"baseline_period": "2024S3"}, "baseline_period"),
        ({"baseline_value": D(2**63)}, "baseline_value"),
        ({"baseline_value": D("1e25")}, "baseline_value"),
        ({"baseline_value": D("1.00001")}, "baseline_value"),
        ({"name": SCRIPT}, "name"),
        ({"definition": SCRIPT}, "definition"),
        ({"disaggregations": ["sector"]}, "disaggregations"),  # not offered by the formula
        ({"disaggregations": ["religion"]}, "disaggregations"),
        ({"params": {"colour": "red"}}, "params"),
        ({"params": {"funded_by": SCRIPT}}, "params"),
        ({"params": "not json"}, "params"),
        ({"dhis2_code": "có dấu"}, "dhis2_code"),
        ({"unit": "kg"}, "unit"),
        ({"order": 2**63}, "order"),
    ],
)
def test_indicator_bad_input_saves_nothing(world, changes, field):
    fw = framework()
    with pytest.raises(ServiceError) as exc:
        services.save_indicator(
            actor=world.users["vca"], framework=fw, data=good_indicator(**changes)
        )
    assert field in exc.value.fields, exc.value.fields
    assert not Indicator.objects.exists()
    assert not AuditEvent.objects.filter(action="indicators.indicator_save").exists()


def test_unknown_formula_message_is_vietnamese(world):
    from django.utils import translation

    fw = framework()
    with translation.override("vi"), pytest.raises(ServiceError) as exc:
        services.save_indicator(
            actor=world.users["vca"], framework=fw, data=good_indicator(formula="x.y")
        )
    with translation.override("vi"):
        text = str(exc.value.fields["formula"][0])
    assert "công thức" in text.lower()


def test_indicator_and_target_saved(world):
    fw = framework()
    vca = world.users["vca"]
    ind = services.save_indicator(actor=vca, framework=fw, data=good_indicator())
    assert ind.denominator_label == ""  # a count: no denominator
    t = services.save_target(
        actor=vca, indicator=ind, data={"period": "2027", "value": "600", "comparison": ">="}
    )
    again = services.save_target(actor=vca, indicator=ind, data={"period": "2027", "value": "650"})
    assert t.pk == again.pk and Target.objects.get().value == 650


@pytest.mark.parametrize(
    "data,field",
    [
        ({"period": "2027Q1", "value": "1"}, "period"),
        ({"period": "", "value": "1"}, "period"),
        ({"period": "2027", "value": "nhiều"}, "value"),
        ({"period": "2027", "value": str(2**64)}, "value"),
        ({"period": "2027", "value": "NaN"}, "value"),
        ({"period": "2027", "value": "1", "comparison": "=="}, "comparison"),
        ({"period": "2027", "value": "1", "note": SCRIPT}, "note"),
        ({"period": "2027", "value": "1", "province": "04"}, "province"),  # framework of 66
    ],
)
def test_target_bad_input(world, data, field):
    fw = framework(province="66")
    ind = indicator(fw)
    with pytest.raises(ServiceError) as exc:
        services.save_target(actor=world.users["vca"], indicator=ind, data=data)
    assert field in exc.value.fields
    assert not Target.objects.exists()


def test_percent_target_bounded(world):
    ind = indicator(framework(), unit="percent", formula="registry.share_good_or_fair")
    with pytest.raises(ServiceError):
        services.save_target(
            actor=world.users["vca"], indicator=ind, data={"period": "2030", "value": "160"}
        )


def test_nodes_no_cycle_no_other_framework(world):
    vca = world.users["vca"]
    fw, other = framework(), framework("other")
    goal = services.save_node(
        actor=vca, framework=fw, data={"code": "1", "level": "goal", "title": "Mục tiêu"}
    )
    out = services.save_node(
        actor=vca,
        framework=fw,
        data={"code": "1.1", "level": "outcome", "title": "Kết quả", "parent": goal},
    )
    with pytest.raises(ServiceError) as exc:
        services.save_node(
            actor=vca,
            framework=fw,
            node=goal,
            data={"code": "1", "level": "goal", "title": "M", "parent": out},
        )
    assert "parent" in exc.value.fields
    foreign = services.save_node(
        actor=vca, framework=other, data={"code": "9", "level": "goal", "title": "Khác"}
    )
    with pytest.raises(ServiceError):
        services.save_node(
            actor=vca,
            framework=fw,
            data={"code": "2", "level": "goal", "title": "X", "parent": foreign.pk},
        )
    with pytest.raises(ServiceError):
        services.save_node(
            actor=vca, framework=fw, data={"code": "1", "level": "goal", "title": "Trùng"}
        )
    assert ResultNode.objects.filter(framework=fw).count() == 2


def test_officer_cannot_change_another_province_or_national(world):
    officer = world.users["officer_a"]
    for fw in (framework("dl", province="66"), framework("nat")):
        with pytest.raises(ServiceError):
            services.save_indicator(actor=officer, framework=fw, data=good_indicator())
    assert not Indicator.objects.exists()


def test_recompute_checks_period_and_province(world):
    fw = framework(province="66")
    indicator(fw)
    from htxso.geo.models import Province

    with pytest.raises(ServiceError) as exc:
        services.recompute(actor=world.users["vca"], framework=fw, period_codes=["2025S9"])
    assert "period" in exc.value.fields
    with pytest.raises(ServiceError):
        services.recompute(
            actor=world.users["vca"],
            framework=fw,
            period_codes=["2025"],
            province=Province.objects.get(pk="04"),
        )
    assert (
        services.recompute(actor=world.users["viewer_b"], framework=fw, period_codes=["2025"]) == 1
    )
