"""Demo disclosures, a question answered and a profit distribution for the Cao Bằng and
Đắk Lắk demo cooperatives (run by ``ql.<province>``, with the member ``tv.<province>``).
Idempotent: a cooperative that already has disclosures is left alone.

Disclosures: the charter and last year's financial statements posted on time, the fund
use posted late, the training plan recorded and still due, the resolutions of last
year's assembly (posted by the votes part) and today's list of members with capital.
The distribution of last year's income is calculated (a draft: the upcoming assembly
approves it).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from htxso.accounts.models import User
from htxso.core import workdays
from htxso.core.actors import Actor
from htxso.core.demodata import DEMO_PROVINCES
from htxso.registry.models import Membership, Organisation

from . import services_disclosures, services_portal
from .models.disclosures import Disclosure, DisclosureKind
from .models.portal import ProfitDistribution, Question, ServiceUse

PROVINCES = ("04", "66")


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(province_id=code, kind="cooperative").order_by("id").first()


def _back(today: dt.date, working_days: int) -> dt.date:
    """The day ``working_days`` working days before ``today``."""
    day = today
    cal = workdays.current()
    while workdays.working_days_between(day, today, cal) < working_days:
        day -= dt.timedelta(days=1)
    return day


def _seed_disclosures(org: Organisation, manager: User, today: dt.date) -> None:
    def record(kind, title, event_on, *, posted_after=None, post=True, body=""):
        d = services_disclosures.record(
            actor=manager,
            organisation=org,
            kind=kind,
            title=title,
            event_on=event_on,
            body=body,
            post=False,
        )
        if post:
            # the demo's history: posted ``posted_after`` days after the event (the
            # services post only today; the demo shapes the past like support's demo)
            posted = event_on + dt.timedelta(days=posted_after or 0)
            Disclosure.objects.filter(pk=d.pk).update(
                posted_on=posted,
                keep_until=services_disclosures.keep_until(org, posted),
            )
        return d

    year = today.year - 1
    record(
        DisclosureKind.CHARTER,
        "Điều lệ hợp tác xã (sửa đổi)",
        today - dt.timedelta(days=200),
        posted_after=2,
        body="Điều lệ sửa đổi đã được Đại hội thành viên thông qua.",
    )
    record(
        DisclosureKind.FINANCIAL,
        f"Báo cáo tài chính năm {year}",
        today - dt.timedelta(days=120),
        posted_after=3,
        body="Doanh thu, chi phí, lợi nhuận sau thuế; bảng cân đối kế toán.",
    )
    record(
        DisclosureKind.FUND_USE,
        f"Sử dụng quỹ đầu tư phát triển năm {year}",
        today - dt.timedelta(days=90),
        posted_after=25,
        body="Mua máy sấy nông sản; sửa kho chứa.",
    )
    record(
        DisclosureKind.TRAINING,
        "Kế hoạch tập huấn kỹ thuật cho thành viên",
        _back(today, 2),
        post=False,
    )
    record(DisclosureKind.OTHER, "Bảng giá dịch vụ vật tư mới", _back(today, 8), post=False)
    services_disclosures.publish_capital_holders(actor=manager, organisation=org)


def _seed_question(org: Organisation, manager: User, slug: str) -> None:
    member = User.objects.filter(username=f"tv.{slug}").first()
    if member is None:
        return
    membership = Membership.objects.filter(
        organisation=org, person__user=member, left_on__isnull=True
    ).first()
    if membership is None or Question.objects.filter(membership=membership).exists():
        return
    q = services_portal.question_ask(
        actor=member,
        membership=membership,
        text="Năm nay hợp tác xã có chia lãi theo mức sử dụng dịch vụ không?",
    )
    services_portal.question_answer(
        actor=manager,
        question=q,
        answer="Có. Phương án phân phối sẽ trình Đại hội thành viên sắp tới; mỗi thành viên "
        "xem phần của mình trên trang thành viên sau khi Đại hội thông qua.",
    )
    services_portal.question_ask(
        actor=member,
        membership=membership,
        text="Tôi muốn xin bản sao biên bản Đại hội năm trước.",
    )


def _seed_distribution(org: Organisation, manager: User, today: dt.date) -> None:
    year = today.year - 1
    if ProfitDistribution.objects.filter(organisation=org, year=year).exists():
        return
    members = list(
        Membership.objects.filter(organisation=org, left_on__isnull=True).order_by("id")[:60]
    )
    if not members:
        return
    if not ServiceUse.objects.filter(organisation=org, year=year).exists():
        amounts = {m.pk: 4_000_000 + (m.pk * 7_919_000) % 40_000_000 for m in members}
        services_portal.service_use_record(
            actor=manager, organisation=org, year=year, amounts=amounts
        )
    services_portal.distribution_calculate(
        actor=manager,
        organisation=org,
        year=year,
        profit_after_tax=240_000_000,
        indivisible_fund=12_000_000,
        development_fund=36_000_000,
        reserve_fund=12_000_000,
        other_funds=0,
        by_services_pct=70,
    )


def seed(*, actor: Actor) -> None:
    today = timezone.localdate()
    for code in PROVINCES:
        slug = DEMO_PROVINCES.get(code)
        org = _org(code)
        if org is None or slug is None:
            continue
        manager = User.objects.filter(username=f"ql.{slug}").first()
        if manager is None:
            continue
        with transaction.atomic():
            if not Disclosure.objects.filter(organisation=org, resolution__isnull=True).exists():
                _seed_disclosures(org, manager, today)
            _seed_question(org, manager, slug)
            _seed_distribution(org, manager, today)
