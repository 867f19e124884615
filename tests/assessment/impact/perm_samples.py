"""Permission-test samples of the impact part (read by tests/permissions/samples.py).

Three cohorts: Cao Bằng's (04, named with a1's marker), Đắk Lắk's (66, b1's marker) and
a national one (no marker) whose members are a1 and b1.  The cohort page's sample is the
national cohort (every staff member opens it and sees only the members of their own
province: checked by lists_assessment_impact.tsv); the add/remove samples and the API's
cohort are Cao Bằng's (Đắk Lắk's staff get 404).
"""

from __future__ import annotations

CODE_A, CODE_B, CODE_NAT = "perm-imp-04", "perm-imp-66", "perm-imp-vn"


def _cohort(w, code, province, name):
    from htxso.assessment.models import Cohort

    c = Cohort.objects.filter(code=code).first()
    if c is None:
        c = Cohort.objects.create(
            code=code, name=name, province_id=province, created_by=w.users["vca"]
        )
    return c


def _member(w, cohort, key):
    from htxso.assessment.models import CohortMember

    m, _ = CohortMember.objects.get_or_create(
        cohort=cohort, organisation=w.orgs[key], defaults={"added_by": w.users["vca"]}
    )
    return m


def WORLD(w):
    a = _cohort(w, CODE_A, "04", "Nhóm CĐS HopGiangMau")
    _member(w, a, "a1")
    b = _cohort(w, CODE_B, "66", "Nhóm CĐS EaTuMau")
    _member(w, b, "b1")
    n = _cohort(w, CODE_NAT, None, "Dự án thanh niên CĐS (EU) mẫu")
    _member(w, n, "a1")
    _member(w, n, "b1")


def _national(w):
    WORLD(w)
    return ({"pk": _cohort(w, CODE_NAT, None, "").pk}, None)


def _cao_bang(w):
    WORLD(w)
    return ({"pk": _cohort(w, CODE_A, "04", "").pk}, None)


def _remove(w):
    WORLD(w)
    c = _cohort(w, CODE_A, "04", "")
    return ({"pk": c.pk, "member": _member(w, c, "a1").pk}, None)


SAMPLES = {
    "assessment:impact_cohort": _national,
    "assessment:impact_cohort_add": _cao_bang,
    "assessment:impact_cohort_remove": _remove,
    "assessment:impact_organisation": lambda w: ({"pk": w.orgs["a1"].pk}, None),
}

API_SAMPLES = {
    "/api/v1/assessment/impact/cohorts/{cohort_id}": lambda w: {"cohort_id": _cao_bang(w)[0]["pk"]},
    "/api/v1/assessment/impact/organisations/{org_id}/change": lambda w: {
        "org_id": w.orgs["a1"].pk
    },
}
