"""Survey services and the shared selectors: start, answer, submit, scores, gaps,
peer medians, DX leads, and the bad input of issue 15."""

from __future__ import annotations

from decimal import Decimal

import pytest

from htxso.assessment import selectors_survey as sel
from htxso.assessment import services_survey as services
from htxso.assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    DxLead,
    Question,
    Questionnaire,
)
from htxso.core.actors import OPERATOR
from htxso.core.errors import Kind, ServiceError
from htxso.core.models import AuditEvent
from htxso.registry.models import Organisation
from tests.assessment.factories import answer_all, questionnaire_v1, submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def qn(world):
    return questionnaire_v1()


def q(qn, qid):
    return Question.objects.get(questionnaire=qn, qid=qid)


def test_packaged_questionnaire_has_sixty_questions_in_eleven_scored_dimensions(qn):
    assert qn.status == "published"
    assert Question.objects.filter(questionnaire=qn).count() == 60
    tree = sel.questionnaire_tree(qn)
    assert len(tree) == 11
    assert {d["dimension"].family for d in tree} == {"eu_dma", "coop"}
    # every question also counts in one DBI pillar
    for question in Question.objects.filter(questionnaire=qn).prefetch_related("also_counts_for"):
        assert [d.family for d in question.also_counts_for.all()] == ["dbi"]
    assert [b.min_score for b in sel.level_bands(qn.pk)] == [0, 10, 30, 50, 70, 85]


def test_manager_starts_answers_and_submits(world, qn):
    manager, org = world.users["manager_a1"], world.orgs["a1"]
    a = services.start(actor=manager, organisation=org)
    assert (a.round, a.status, a.questionnaire_id) == (0, "draft", qn.pk)
    assert services.start(actor=manager, organisation=org) == a  # resume
    ans = services.save_answer(
        actor=manager, assessment=a, question=q(qn, "strategy_plan"), choices=["partly"]
    )
    assert ans.score == Decimal("60")
    ans = services.save_answer(
        actor=manager, assessment=a, question=q(qn, "ready_tools"), choices=["signature", "email"]
    )
    assert ans.choices == ["email", "signature"] and ans.score == 40
    ans = services.save_answer(
        actor=manager, assessment=a, question=q(qn, "human_training"), number="10"
    )
    assert ans.score == 50
    with pytest.raises(ServiceError) as exc:
        services.submit(actor=manager, assessment=a)
    assert exc.value.code == "answers_missing" and exc.value.details["missing"]["dma_strategy"] == 4
    assert Answer.objects.filter(assessment=a).count() == 3  # nothing lost
    answer_all(a, pick=1.0)
    a = services.submit(actor=manager, assessment=a)
    assert a.status == AssessmentStatus.SUBMITTED and a.overall_score == 100 and a.level == 5
    scores = sel.dimension_scores(a)
    assert len(scores) == 17 and all(s.score == 100 for s in scores)
    assert scores[0].dimension.key == "dma_strategy" and scores[0].total == 5
    assert AuditEvent.objects.filter(action="dx_assessment.submit").count() == 1
    assert sel.latest_submitted(org.pk) == a


def test_scores_levels_and_gaps(world, qn):
    org = world.orgs["a1"]
    a = submitted_assessment(
        org, {"dma_data": 20, "coop_ecommerce": 90, "dma_green": 20}, default=60
    )
    gaps = sel.gaps(a)
    assert len(gaps) == 11
    assert [g.dimension.key for g in gaps[:2]] == ["dma_data", "dma_green"]  # tie: order
    assert gaps[0].gap == Decimal("80.00") and gaps[0].rank == 1
    assert gaps[-1].dimension.key == "coop_ecommerce"
    assert a.level == 3  # overall ~ 57
    b = submitted_assessment(world.orgs["a2"], pick=0.0)
    assert b.overall_score == 0 and b.level == 0


def test_dbi_pillars_count_the_same_answers(world, qn):
    org = world.orgs["a1"]
    a = submitted_assessment(org, pick=1.0)
    by_key = {s.dimension.key: s for s in sel.dimension_scores(a)}
    assert by_key["dbi_strategy"].total == 4  # strategy_lead counts in culture
    assert by_key["dbi_culture"].total == 5
    assert sum(s.total for k, s in by_key.items() if k.startswith("dbi_")) == 60


def test_peer_medians_need_five_peers_of_the_same_sector_and_province(world, qn):
    orgs = []
    for i in range(6):
        orgs.append(
            Organisation.objects.create(
                kind="group",
                name=f"Tổ hợp tác Đồng Loại {i}",
                province_id="04",
                sector="agriculture",
            )
        )
    other = Organisation.objects.create(
        kind="group", name="Tổ hợp tác Khác Ngành", province_id="04", sector="tourism"
    )
    mine = submitted_assessment(orgs[0], {"dma_data": 10})
    submitted_assessment(other, {"dma_data": 99})
    for i, org in enumerate(orgs[1:5]):
        submitted_assessment(org, {"dma_data": 20 + 10 * i})
    assert sel.peer_medians(mine) is None  # four peers
    submitted_assessment(orgs[5], {"dma_data": 60})
    medians = sel.peer_medians(mine)
    assert medians["dma_data"] == Decimal("40.00")  # 20 30 40 50 60
    # a later round of a peer replaces its earlier one
    submitted_assessment(orgs[5], {"dma_data": 100})
    assert sel.peer_medians(mine)["dma_data"] == Decimal("40.00")
    assert sel.peer_count(mine) == 5


def test_out_of_range_answers_are_refused_precisely(world, qn):
    manager = world.users["manager_a1"]
    a = services.start(actor=manager, organisation=world.orgs["a1"])
    services.save_answer(
        actor=manager, assessment=a, question=q(qn, "strategy_plan"), choices=["plan"]
    )
    cases = [
        ("strategy_plan", {"choices": ["huge"]}, "answer_out_of_range"),
        ("strategy_plan", {"choices": ["plan", "full"]}, "choice_one"),
        ("strategy_plan", {"choices": []}, "choice_required"),
        ("strategy_plan", {"number": 3}, "answer_kind"),
        ("ready_tools", {"choices": ["none", "email"]}, "choice_exclusive"),
        ("ready_tools", {"choices": ["email", "email"]}, "choice_repeated"),
        ("human_training", {"number": "-1"}, "answer_out_of_range"),
        ("human_training", {"number": "10001"}, "answer_out_of_range"),
        ("human_training", {"number": "9" * 40}, "answer_out_of_range"),
        ("human_training", {"number": "NaN"}, "answer_out_of_range"),
        ("human_training", {"number": "mười"}, "number_invalid"),
        ("human_training", {"choices": ["yes"]}, "answer_kind"),
    ]
    for qid, kwargs, code in cases:
        with pytest.raises(ServiceError) as exc:
            services.save_answer(actor=manager, assessment=a, question=q(qn, qid), **kwargs)
        assert exc.value.code == code, (qid, kwargs)
    # the earlier answer is intact
    assert Answer.objects.get(assessment=a).choices == ["plan"]


def test_another_cooperatives_assessment_is_not_found(world, qn):
    b = services.start(actor=world.users["manager_b1"], organisation=world.orgs["b1"])
    for key in ("manager_a1", "officer_a", "member_a1"):
        with pytest.raises(ServiceError) as exc:
            services.save_answer(
                actor=world.users[key],
                assessment=b,
                question=q(qn, "strategy_plan"),
                choices=["full"],
            )
        assert exc.value.kind == Kind.NOT_FOUND
    # the province's officer sees it but does not answer for the cooperative
    with pytest.raises(ServiceError) as exc:
        services.save_answer(
            actor=world.users["officer_b"],
            assessment=b,
            question=q(qn, "strategy_plan"),
            choices=["full"],
        )
    assert exc.value.kind == Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.start(actor=world.users["manager_a1"], organisation=world.orgs["b1"])
    assert exc.value.kind == Kind.NOT_FOUND
    assert not Answer.objects.exists()


def test_a_version_published_meanwhile_does_not_change_a_draft(world, qn):
    manager = world.users["manager_a1"]
    a = services.start(actor=manager, organisation=world.orgs["a1"])
    services.save_answer(
        actor=manager, assessment=a, question=q(qn, "strategy_plan"), choices=["full"]
    )
    from htxso.assessment.questionnaire_data.content_v1 import spec

    v2 = spec()
    v2["version"] = 2
    qn2 = services.create_from_spec(v2)
    services.questionnaire_publish(actor=OPERATOR, questionnaire=qn2)
    assert services.start(actor=manager, organisation=world.orgs["a1"]).questionnaire_id == qn.pk
    with pytest.raises(ServiceError) as exc:
        services.save_answer(
            actor=manager, assessment=a, question=q(qn2, "strategy_plan"), choices=["none"]
        )
    assert exc.value.code == "version_changed" and exc.value.params == {"version": 1}
    assert Answer.objects.get(assessment=a).choices == ["full"]
    # the next round uses version 2
    answer_all(a)
    services.submit(actor=manager, assessment=a)
    assert services.start(actor=manager, organisation=world.orgs["a1"]).questionnaire_id == qn2.pk


def test_a_new_round_only_after_the_previous_is_submitted(world, qn):
    manager, org = world.users["manager_a1"], world.orgs["a1"]
    a = services.start(actor=manager, organisation=org, round=0)
    with pytest.raises(ServiceError) as exc:
        services.start(actor=manager, organisation=org, round=1)
    assert exc.value.code == "previous_round_open" and exc.value.kind == Kind.CONFLICT
    answer_all(a)
    services.submit(actor=manager, assessment=a)
    with pytest.raises(ServiceError) as exc:
        services.submit(actor=manager, assessment=a)
    assert exc.value.code == "assessment_submitted"
    with pytest.raises(ServiceError) as exc:
        services.save_answer(
            actor=manager, assessment=a, question=q(qn, "strategy_plan"), choices=["none"]
        )
    assert exc.value.code == "assessment_submitted"
    with pytest.raises(ServiceError) as exc:
        services.start(actor=manager, organisation=org, round=0)
    assert exc.value.code == "round_exists"
    t1 = services.start(actor=manager, organisation=org, round=1)
    assert t1.round == 1 and Assessment.objects.filter(organisation=org).count() == 2


def test_manager_names_a_member_as_dx_lead_who_then_answers(world, qn):
    manager, member, org = world.users["manager_a1"], world.users["member_a1"], world.orgs["a1"]
    with pytest.raises(ServiceError):
        services.start(actor=member, organisation=org)
    with pytest.raises(ServiceError) as exc:
        services.lead_name(actor=manager, organisation=org, user=world.users["buyer"])
    assert exc.value.code == "lead_not_member"
    with pytest.raises(ServiceError) as exc:
        services.lead_name(actor=member, organisation=org, user=member)
    assert exc.value.kind == Kind.FORBIDDEN
    with pytest.raises(ServiceError) as exc:
        services.lead_name(actor=world.users["manager_b1"], organisation=org, user=member)
    assert exc.value.kind == Kind.FORBIDDEN
    lead = services.lead_name(actor=manager, organisation=org, user=member)
    a = services.start(actor=member, organisation=org)
    services.save_answer(
        actor=member, assessment=a, question=q(qn, "strategy_plan"), choices=["full"]
    )
    assert list(sel.assessments_for(member)) == [a]
    services.lead_retire(actor=manager, lead=lead)
    with pytest.raises(ServiceError) as exc:
        services.save_answer(
            actor=member, assessment=a, question=q(qn, "strategy_plan"), choices=["none"]
        )
    assert exc.value.kind == Kind.NOT_FOUND
    assert not DxLead.objects.get(pk=lead.pk).active
    assert list(sel.assessments_for(member)) == []


def test_submitted_assessment_factory_with_explicit_scores(world, qn):
    a = submitted_assessment(world.orgs["b1"], {"coop_governance": 12.5})
    s = DimensionScore.objects.get(assessment=a, dimension__key="coop_governance")
    assert s.score == Decimal("12.50") and s.level == 1
    assert Questionnaire.objects.count() == 1
