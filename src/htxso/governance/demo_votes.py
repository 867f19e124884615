"""Demo data of the votes part (called by ``governance.demo`` after the assemblies part).

* Last year's closed annual assemblies (made by ``demo_assemblies``): their record —
  an open vote on the financial statements, a secret ballot electing the board, a
  charter change that needed the special majority — with each member present having
  voted, the results fixed, the adopted resolutions numbered, and the minutes archived
  as a Word document.  History is written as rows (the assembly is already closed; the
  services refuse votes on a closed assembly), with the same tally and majority rules.
* The upcoming assemblies (draft or announced): draft resolutions through the service.

Idempotent: an assembly that already has resolutions is left alone.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from htxso.core.actors import Actor

from . import documents_votes
from . import selectors_votes as sel
from . import services_votes as svc
from .models import (
    Assembly,
    AssemblyStatus,
    Attendance,
    Ballot,
    GovernanceRecordKind,
    Resolution,
    ResolutionStatus,
    VoteRecord,
)

PAST = [
    # title, text, matter, secret, share of "yes" among voters
    (
        "Thông qua báo cáo tài chính năm {year}",
        "Đại hội thông qua báo cáo tài chính năm {year} đã được kiểm toán.",
        "financial",
        False,
        0.9,
    ),
    (
        "Bầu Hội đồng quản trị nhiệm kỳ mới",
        "Bầu 03 thành viên Hội đồng quản trị theo danh sách đề cử.",
        "election",
        True,
        0.8,
    ),
    (
        "Sửa đổi Điều lệ về vốn góp tối thiểu",
        "Sửa khoản 2 Điều 12 Điều lệ: vốn góp tối thiểu 5.000.000 đồng.",
        "charter",
        True,
        0.6,
    ),
]
UPCOMING = [
    (
        "Kế hoạch sản xuất, kinh doanh năm {year}",
        "Thông qua kế hoạch sản xuất, kinh doanh và chỉ tiêu doanh thu năm {year}.",
        "financial",
        False,
    ),
    (
        "Phân phối thu nhập năm {prev}",
        "Trích quỹ đầu tư phát triển 20%, phần còn lại chia theo mức sử dụng dịch vụ.",
        "profit",
        False,
    ),
    (
        "Bầu Ban kiểm soát",
        "Bầu 01 kiểm soát viên.",
        "election",
        True,
    ),
]


def _past(assembly: Assembly, rng: random.Random, *, actor: Actor) -> None:
    present = list(
        Attendance.objects.filter(assembly=assembly, may_vote=True).values_list(
            "membership_id", flat=True
        )
    )
    closed_at = assembly.closed_at or assembly.scheduled_at
    for title, text, matter, secret, share in PAST:
        r = Resolution.objects.create(
            assembly=assembly,
            title=title.format(year=assembly.year),
            text=text.format(year=assembly.year),
            matter=matter,
            secret=secret,
        )
        majority, inclusive, article = sel.majority_rule(r)
        counts = {"yes": 0, "no": 0, "abstain": 0}
        records, ballots = [], []
        for membership_id in present:
            x = rng.random()
            choice = "yes" if x < share else "no" if x < share + (1 - share) * 0.7 else "abstain"
            counts[choice] += 1
            records.append(
                VoteRecord(
                    resolution=r, membership_id=membership_id, choice="" if secret else choice
                )
            )
            if secret:
                code = svc._new_receipt()
                ballots.append(
                    Ballot(resolution=r, choice=choice, receipt_hash=sel.receipt_hash(code))
                )
        VoteRecord.objects.bulk_create(records)
        rng.shuffle(ballots)
        Ballot.objects.bulk_create(ballots)
        passed = sel.passes(counts["yes"], len(present), majority, inclusive)
        Resolution.objects.filter(pk=r.pk).update(
            status=ResolutionStatus.CLOSED,
            opened_at=closed_at,
            closed_at=closed_at,
            quorum_present=len(present),
            quorum_met=True,
            majority=majority,
            majority_inclusive=inclusive,
            majority_article=article,
            voters_present=len(present),
            votes_yes=counts["yes"],
            votes_no=counts["no"],
            votes_abstain=counts["abstain"],
            passed=passed,
        )
        r.refresh_from_db()
        if passed:
            r.number = svc._next_number(r)
            r.published_at = closed_at
            r.save(update_fields=["number", "published_at"])
    data = documents_votes.render_minutes_docx(assembly, day=timezone.localdate(closed_at))
    svc.archive_document(
        actor=actor, assembly=assembly, kind=GovernanceRecordKind.MINUTES, data=data
    )


def seed(*, actor: Actor) -> None:
    rng = random.Random(1414)  # demo figures, not secrets
    today = timezone.localdate()
    with transaction.atomic():
        past = Assembly.objects.filter(
            kind="annual", status=AssemblyStatus.CLOSED, scheduled_at__date__lt=today
        ).select_related("organisation", "organisation__province")
        for assembly in past:
            if assembly.resolutions.exists() or not assembly.attendance.exists():
                continue
            _past(assembly, rng, actor=actor)
        upcoming = Assembly.objects.filter(
            status__in=(AssemblyStatus.DRAFT, AssemblyStatus.ANNOUNCED)
        ).select_related("organisation")
        for assembly in upcoming:
            if assembly.resolutions.exists():
                continue
            for title, text, matter, secret in UPCOMING:
                svc.resolution_create(
                    actor=actor,
                    assembly=assembly,
                    title=title.format(year=assembly.year + 1, prev=assembly.year),
                    text_=text.format(year=assembly.year + 1, prev=assembly.year),
                    matter=matter,
                    secret=secret,
                )
