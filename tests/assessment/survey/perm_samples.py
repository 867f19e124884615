"""Permission-test samples of the survey part (read by tests/permissions/samples.py).

a1 (Cao Bằng) has T0 submitted and T1 being answered (one answer with a photo as
evidence); member_a1 is a1's DX lead (so a lead's rights are in the table); b1 (Đắk Lắk)
has T0 submitted.  URL samples are a1's: the draft for the answer/submit/evidence
routes, T0 for results and scores.
"""

from __future__ import annotations


def _setup(w):
    from htxso.assessment.models import Assessment, DxLead

    org = w.orgs["a1"]
    if Assessment.objects.filter(organisation=org).exists():
        return
    from django.core.files.base import ContentFile

    from htxso.assessment.models import Answer, Evidence, Question
    from tests.assessment.factories import draft_assessment, questionnaire_v1, submitted_assessment

    qn = questionnaire_v1()
    if not DxLead.objects.filter(organisation=org, user=w.users["member_a1"]).exists():
        DxLead.objects.create(
            organisation=org, user=w.users["member_a1"], named_by=w.users["manager_a1"]
        )
    submitted_assessment(org, user=w.users["manager_a1"])
    draft = draft_assessment(org, user=w.users["manager_a1"])
    answer = Answer.objects.create(
        assessment=draft,
        question=Question.objects.get(questionnaire=qn, qid="strategy_plan"),
        choices=["full"],
        score=100,
        updated_by=w.users["manager_a1"],
    )
    ev = Evidence(
        answer=answer,
        filename="bien-ban-HopGiangMau.pdf",
        content_type="application/pdf",
        size=30,
        sha256="0" * 64,
        uploaded_by=w.users["manager_a1"],
    )
    ev.file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    ev.save()
    submitted_assessment(w.orgs["b1"], user=w.users["manager_b1"])


def WORLD(w):
    _setup(w)


def _t0(w):
    from htxso.assessment.models import Assessment

    _setup(w)
    return Assessment.objects.get(organisation=w.orgs["a1"], round=0)


def _draft(w):
    from htxso.assessment.models import Assessment

    _setup(w)
    return Assessment.objects.get(organisation=w.orgs["a1"], status="draft")


def _evidence(w):
    from htxso.assessment.models import Evidence

    _setup(w)
    return Evidence.objects.get(answer__assessment__organisation=w.orgs["a1"])


def _lead(w):
    from htxso.assessment.models import DxLead

    _setup(w)
    return DxLead.objects.get(organisation=w.orgs["a1"], user=w.users["member_a1"])


def _questionnaire(w):
    from tests.assessment.factories import questionnaire_v1

    return questionnaire_v1()


SAMPLES = {
    "assessment:survey_start": lambda w: ({"org_id": w.orgs["a1"].pk}, None),
    "assessment:survey_leads": lambda w: ({"org_id": w.orgs["a1"].pk}, None),
    "assessment:survey_lead_retire": lambda w: ({"pk": _lead(w).pk}, None),
    "assessment:survey_results": lambda w: ({"pk": _t0(w).pk}, None),
    "assessment:survey_answer": lambda w: ({"pk": _draft(w).pk, "dimension": "dma_strategy"}, None),
    "assessment:survey_autosave": lambda w: ({"pk": _draft(w).pk}, None),
    "assessment:survey_evidence_add": lambda w: ({"pk": _draft(w).pk}, None),
    "assessment:survey_submit": lambda w: ({"pk": _draft(w).pk}, None),
    "assessment:survey_evidence": lambda w: ({"pk": _evidence(w).pk}, None),
    "assessment:survey_evidence_remove": lambda w: ({"pk": _evidence(w).pk}, None),
    "assessment:survey_xlsform": lambda w: ({"pk": _questionnaire(w).pk}, None),
}

_BASE = "/api/v1/assessment/survey"
API_SAMPLES = {
    f"{_BASE}/organisations/{{org_id}}/assessments": lambda w: {"org_id": w.orgs["a1"].pk},
    f"{_BASE}/assessments/{{assessment_id}}": lambda w: {"assessment_id": _t0(w).pk},
    f"{_BASE}/assessments/{{assessment_id}}/scores": lambda w: {"assessment_id": _t0(w).pk},
    f"{_BASE}/assessments/{{assessment_id}}/answers": lambda w: {"assessment_id": _draft(w).pk},
    f"{_BASE}/assessments/{{assessment_id}}/submit": lambda w: {"assessment_id": _draft(w).pk},
}
