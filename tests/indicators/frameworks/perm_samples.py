"""Permission-test samples of the frameworks part (read by tests/permissions/samples.py).

Three frameworks: Cao Bằng's (04, named with a1's marker), Đắk Lắk's (66, b1's marker)
and a national one (no marker: every staff member sees it).  The URL samples are Cao
Bằng's: its staff and the VCA open it, Đắk Lắk's staff get 404.
"""

from __future__ import annotations

CODE_A = "perm-fw-04"
CODE_B = "perm-fw-66"
CODE_NAT = "perm-fw-vn"


def _framework(code, province, tag):
    from decimal import Decimal

    from htxso.indicators.models import Framework, Indicator, ResultNode, Target

    fw = Framework.objects.filter(code=code).first()
    if fw is not None:
        return fw
    fw = Framework.objects.create(code=code, name=f"Khung {tag}", province_id=province)
    node = ResultNode.objects.create(framework=fw, level="goal", code="1", title=f"Mục tiêu {tag}")
    ind = Indicator.objects.create(
        framework=fw,
        node=node,
        code="hop-tac-xa",
        name=f"Chỉ số {tag}",
        formula="registry.cooperatives",
    )
    Target.objects.create(indicator=ind, period="2030", value=Decimal(1000))
    return fw


def WORLD(w):
    _framework(CODE_A, "04", "HopGiangMau")
    _framework(CODE_B, "66", "EaTuMau")
    _framework(CODE_NAT, None, "Quốc gia")


def _code(w):
    WORLD(w)
    return ({"code": CODE_A}, None)


def _indicator(w):
    WORLD(w)
    return ({"code": CODE_A, "indicator": "hop-tac-xa"}, None)


def _node(w):
    fw = _framework(CODE_A, "04", "HopGiangMau")
    return ({"code": CODE_A, "pk": fw.nodes.get(code="1").pk}, None)


def _target(w):
    from htxso.indicators.models import Target

    _framework(CODE_A, "04", "HopGiangMau")
    t = Target.objects.get(indicator__framework__code=CODE_A)
    return ({"code": CODE_A, "pk": t.pk}, None)


SAMPLES = {
    "indicators:framework": _code,
    "indicators:framework_edit": _code,
    "indicators:framework_recompute": _code,
    "indicators:node_create": _code,
    "indicators:indicator_create": _code,
    "indicators:node_edit": _node,
    "indicators:indicator": _indicator,
    "indicators:indicator_edit": _indicator,
    "indicators:target_save": _indicator,
    "indicators:target_delete": _target,
}

API_SAMPLES = {
    "/api/v1/indicators/frameworks/{code}": lambda w: {"code": _code(w)[0]["code"]},
    "/api/v1/indicators/frameworks/{code}/values": lambda w: {"code": _code(w)[0]["code"]},
}
