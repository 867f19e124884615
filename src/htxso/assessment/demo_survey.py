"""Demo of the survey part: questionnaire v1, and rounds T0 and T1 in Cao Bằng and Đắk Lắk.

In each of the two provinces, the demo cooperative (the one ``ql.<province>`` manages)
gets its member ``tv.<province>`` as DX lead, who answers T0 (submitted about seven months
ago) and T1 (submitted three weeks ago, after support).  Eight other cooperatives of the
same sector answer T0, four of them T1 as well, and one more has a round being answered —
enough peers for the median to show.  Idempotent: a second run changes nothing.

The peers' rounds are answered by the demo VCA administrator (the VCA may act for any
cooperative); the demo cooperative's by its DX lead, through the same services as the pages.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from htxso.accounts.models import RoleAssignment, User
from htxso.core.actors import Actor
from htxso.core.roles import Role
from htxso.registry.models import Organisation

from . import services_survey as services
from .models import Answer, Assessment, DxLead, Question, QuestionKind, Questionnaire
from .questionnaire_data import V1_XLSX

PROVINCES = {"04": "caobang", "66": "daklak"}
PEERS = 8
PEERS_WITH_T1 = 4


def seed(*, actor: Actor, log: Any = None) -> dict[str, int]:
    """Load the demo (``actor`` imports the questionnaire; see the module)."""
    say = log or (lambda message: None)
    made = {"questionnaires": 0, "rounds": 0, "leads": 0}
    qn = Questionnaire.objects.filter(code=services.QUESTIONNAIRE_CODE, version=1).first()
    if qn is None:
        qn = services.questionnaire_import(actor=actor, data=V1_XLSX.read_bytes(), publish=True)
        made["questionnaires"] += 1
    vca = User.objects.filter(username="vca.admin").first()
    for code, slug in PROVINCES.items():
        manager = User.objects.filter(username=f"ql.{slug}").first()
        member = User.objects.filter(username=f"tv.{slug}").first()
        link = (
            RoleAssignment.objects.filter(user=manager, role=Role.COOP_MANAGER)
            .select_related("organisation")
            .first()
            if manager
            else None
        )
        if link is None or member is None or vca is None or link.organisation is None:
            say(f"assessment: no demo manager, member or VCA account in {code}; no DX rounds")
            continue
        org = link.organisation
        rng = random.Random(f"htxso-dx-demo-{code}")
        if not DxLead.objects.filter(organisation=org, user=member).exists():
            services.lead_name(
                actor=manager,
                organisation=org,
                user=member,
                public_profile=True,
                bio="Đoàn viên, phụ trách tin học và bán hàng trực tuyến của HTX.",
            )
            made["leads"] += 1
        if not Assessment.objects.filter(organisation=org).exists():
            _round_by_services(org, member, rng, level=0.3, days_ago=210)
            _round_by_services(org, member, rng, level=0.55, days_ago=21)
            made["rounds"] += 2
        peers = (
            Organisation.objects.filter(province_id=code, kind="cooperative", sector=org.sector)
            .exclude(pk=org.pk)
            .order_by("pk")[: PEERS + 1]
        )
        for i, peer in enumerate(peers):
            if Assessment.objects.filter(organisation=peer).exists():
                continue
            base = 0.2 + 0.5 * rng.random()
            if i == PEERS:  # the last one is still answering
                a = services.start(actor=vca, organisation=peer)
                _bulk_answers(a, vca, rng, base, only=25)
                made["rounds"] += 1
                continue
            _round_bulk(peer, vca, rng, base, days_ago=200 + i)
            made["rounds"] += 1
            if i < PEERS_WITH_T1:
                _round_bulk(
                    peer, vca, rng, min(0.95, base + 0.1 + 0.2 * rng.random()), days_ago=30 + i
                )
                made["rounds"] += 1
    say(
        f"assessment (survey): questionnaire v1, {made['leads']} DX leads, "
        f"{made['rounds']} rounds in Cao Bằng and Đắk Lắk"
    )
    return made


def _value(q: Question, rng: random.Random, level: float) -> tuple[list[str], Decimal | None]:
    """An answer near ``level`` (0 lowest … 1 highest) with some noise."""
    options = sorted(q.options.all(), key=lambda o: (o.score, o.order))
    share = min(1.0, max(0.0, level + rng.gauss(0, 0.2)))
    if q.kind == QuestionKind.NUMBER:
        low = q.number_min or Decimal(0)
        value = low + (q.number_full - low) * Decimal(str(round(share, 2)))
        return [], value.quantize(Decimal("0.01"))
    if q.kind == QuestionKind.MULTI:
        positive = [o for o in sorted(options, key=lambda o: o.order) if o.score > 0]
        k = round(share * len(positive))
        if not k:
            return [options[0].value], None
        return [o.value for o in rng.sample(positive, k)], None
    return [options[round(share * (len(options) - 1))].value], None


def _questions(a: Assessment) -> list[Question]:
    return list(
        Question.objects.filter(questionnaire_id=a.questionnaire_id)
        .prefetch_related("options")
        .order_by("order")
    )


def _date(a: Assessment, days_ago: int) -> None:
    when = timezone.now() - dt.timedelta(days=days_ago)
    Assessment.objects.filter(pk=a.pk).update(
        created_at=when - dt.timedelta(days=2), submitted_at=when, updated_at=when
    )


def _round_by_services(
    org: Organisation, lead: Any, rng: random.Random, *, level: float, days_ago: int
) -> None:
    a = services.start(actor=lead, organisation=org)
    for q in _questions(a):
        choices, number = _value(q, rng, level)
        services.save_answer(actor=lead, assessment=a, question=q, choices=choices, number=number)
    services.submit(actor=lead, assessment=a)
    _date(a, days_ago)


def _bulk_answers(
    a: Assessment, user: Any, rng: random.Random, level: float, only: int | None = None
) -> None:
    rows = []
    for q in _questions(a)[:only]:
        choices, number = _value(q, rng, level)
        choices, number, score = services.check_answer(q, choices, number)
        rows.append(
            Answer(
                assessment=a,
                question=q,
                choices=choices,
                number=number,
                score=score,
                updated_by=user,
            )
        )
    Answer.objects.bulk_create(rows)


def _round_bulk(
    org: Organisation, user: Any, rng: random.Random, level: float, *, days_ago: int
) -> None:
    a = services.start(actor=user, organisation=org)
    _bulk_answers(a, user, rng, level)
    services.submit(actor=user, assessment=a)
    _date(a, days_ago)
