"""Demo service requests in Cao Bằng (04) and Đắk Lắk (66), in every state and SLA
situation: on time, due soon, overdue, paused (waiting for the cooperative), escalated
to the VCA, closed and rated, closed as not possible, withdrawn.

Requests go through the services (facts, timeline, audit), then their dates are moved
back so that the deadlines fall where the scenario says, counted from today in working
days.  Idempotent: each scenario has a ``submit_key``; a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from htxso.accounts.models import RoleAssignment
from htxso.core import workdays as calendar
from htxso.core.demodata import DemoContext
from htxso.core.roles import Role

from . import selectors, services
from .models import ServiceRequest

ORDER = 90
PROVINCES = ("04", "66")

#: key, type, title, description, scenario, working days since it was sent
SCENARIOS: list[tuple[str, str, str, str, str, int]] = [
    (
        "on-time",
        "trade",
        "Tham gia hội chợ OCOP khu vực tháng 3",
        "Hợp tác xã muốn có gian hàng tại hội chợ OCOP khu vực để giới thiệu sản phẩm "
        "chủ lực. Xin hướng dẫn thủ tục đăng ký và mức hỗ trợ chi phí gian hàng.",
        "new",
        0,
    ),
    (
        "due-soon",
        "dx",
        "Tư vấn mở gian hàng trên sàn thương mại điện tử",
        "Chúng tôi muốn bán sản phẩm trên sàn thương mại điện tử nhưng chưa biết chuẩn bị "
        "ảnh, mã vạch và vận chuyển. Xin cán bộ hướng dẫn từng bước.",
        "due_soon",
        8,
    ),
    (
        "overdue",
        "legal",
        "Hướng dẫn sửa đổi điều lệ theo Luật Hợp tác xã 2023",
        "Điều lệ của hợp tác xã chưa cập nhật theo Luật Hợp tác xã 2023. Xin hỗ trợ mẫu "
        "điều lệ và quy trình thông qua tại đại hội thành viên.",
        "overdue",
        6,
    ),
    (
        "paused",
        "credit",
        "Vay vốn Quỹ hỗ trợ phát triển hợp tác xã mua máy sấy",
        "Hợp tác xã cần vay khoảng 800 triệu đồng để mua máy sấy nông sản. Xin tư vấn điều "
        "kiện vay và hồ sơ cần chuẩn bị.",
        "paused",
        3,
    ),
    (
        "escalated",
        "model_visit",
        "Tham quan mô hình hợp tác xã ứng dụng công nghệ cao",
        "Ban quản trị muốn đi học tập mô hình nhà màng, tưới nhỏ giọt của một hợp tác xã "
        "điển hình ở tỉnh khác. Xin Liên minh kết nối.",
        "escalated",
        4,
    ),
    (
        "rated",
        "training",
        "Tập huấn kế toán hợp tác xã cho cán bộ mới",
        "Kế toán mới của hợp tác xã chưa nắm chế độ kế toán hợp tác xã. Xin đăng ký lớp tập "
        "huấn gần nhất.",
        "closed_rated",
        12,
    ),
    (
        "not-possible",
        "investment",
        "Tìm nhà đầu tư cho dự án kho lạnh",
        "Hợp tác xã có dự án kho lạnh 200 tấn, cần tìm đối tác góp vốn hoặc nhà đầu tư.",
        "closed_not_possible",
        20,
    ),
    (
        "withdrawn",
        "product",
        "Giới thiệu sản phẩm tại siêu thị trong tỉnh",
        "Xin giới thiệu sản phẩm của hợp tác xã vào hệ thống siêu thị trong tỉnh.",
        "withdrawn",
        5,
    ),
]


def _back(day: dt.date, days: int, cal: calendar.WorkingCalendar) -> dt.date:
    """The working day ``days`` working days before ``day``."""
    start = day
    while calendar.working_days_between(start, day, cal) < days:
        start -= dt.timedelta(days=1)
    while not cal.is_working_day(start):
        start -= dt.timedelta(days=1)
    return start


def _people(code: str) -> tuple[Any, Any, Any] | None:
    manager = (
        RoleAssignment.objects.filter(role=Role.COOP_MANAGER, organisation__province_id=code)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    officer = (
        RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICER, province_id=code)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if manager is None or officer is None or manager.organisation is None:
        return None
    return manager.user, manager.organisation, officer.user


def _play(req: ServiceRequest, scenario: str, manager: Any, officer: Any) -> ServiceRequest:
    if scenario == "new":
        return req
    if scenario == "withdrawn":
        return services.request_withdraw(
            actor=manager, service_request=req, reason="Đã tự liên hệ được siêu thị."
        )
    req = services.request_assign(actor=officer, service_request=req, assignee=officer)
    if scenario == "overdue":
        return req
    req = services.request_reply(
        actor=officer,
        service_request=req,
        message="Trung tâm đã nhận yêu cầu, cán bộ phụ trách sẽ liên hệ trong tuần.",
    )
    if scenario == "paused":
        return services.request_ask(
            actor=officer,
            service_request=req,
            message="Xin gửi báo cáo tài chính năm gần nhất và phương án sử dụng vốn.",
        )
    if scenario == "escalated":
        return services.request_escalate(
            actor=officer,
            service_request=req,
            reason="Cần kết nối với hợp tác xã điển hình ở tỉnh khác: "
            "chuyển Liên minh HTX Việt Nam.",
        )
    if scenario == "closed_rated":
        req = services.request_close(
            actor=officer,
            service_request=req,
            outcome="resolved",
            note="Đã đăng ký cho kế toán lớp tập huấn ngày 15 tại Liên minh tỉnh.",
        )
        return services.request_rate(
            actor=manager, service_request=req, rating=5, comment="Cán bộ hỗ trợ nhanh, rõ ràng."
        )
    if scenario == "closed_not_possible":
        req = services.request_close(
            actor=officer,
            service_request=req,
            outcome="not_possible",
            note="Chưa tìm được nhà đầu tư phù hợp; hồ sơ được lưu để giới thiệu khi có đối tác.",
        )
        return services.request_rate(actor=manager, service_request=req, rating=3, comment="")
    return req


def _date_back(req: ServiceRequest, scenario: str, age: int, cal: calendar.WorkingCalendar) -> None:
    """Move the request's dates so that it was sent ``age`` working days ago."""
    today = selectors.today()
    sent = _back(today, age, cal)
    first_days, resolution_days = selectors.sla_for(req.request_type)
    sent_at = timezone.make_aware(dt.datetime.combine(sent, dt.time(8, 30)))
    values: dict[str, Any] = {
        "created_at": sent_at,
        "first_response_due": calendar.add_working_days(sent, first_days, cal),
        "resolution_due": calendar.add_working_days(sent, resolution_days, cal),
    }
    if scenario == "due_soon":
        values["resolution_due"] = calendar.add_working_days(today, 1, cal)
    if req.first_responded_at is not None:
        answered = calendar.add_working_days(sent, 1, cal)
        values["first_responded_at"] = timezone.make_aware(
            dt.datetime.combine(answered, dt.time(10))
        )
        values["first_response_days"] = 1
    if scenario == "paused":
        values["paused_since"] = calendar.add_working_days(sent, 1, cal)
    if req.closed_at is not None and scenario != "withdrawn":
        values["resolution_days"] = age
        values["within_sla"] = age <= resolution_days
    ServiceRequest.objects.filter(pk=req.pk).update(**values)
    # the exchanges keep their order, from the day it was sent
    req.entries.update(created_at=F("created_at") + (sent_at - timezone.now()))
    selectors.OPEN_COUNTS.forget()  # an update() sends no signal


def seed(ctx: DemoContext) -> None:
    cal = selectors.working_calendar()
    made = 0
    for code in PROVINCES:
        people = _people(code)
        if people is None:
            ctx.log(f"support: no manager or officer in {code}, no service requests")
            continue
        manager, organisation, officer = people
        for key, request_type, title, description, scenario, age in SCENARIOS:
            submit_key = f"demo-{code}-{key}"
            if ServiceRequest.objects.filter(created_by=manager, submit_key=submit_key).exists():
                continue
            req = services.request_create(
                actor=manager,
                organisation=organisation,
                request_type=request_type,
                title=title,
                description=description,
                submit_key=submit_key,
            )
            req = _play(req, scenario, manager, officer)
            _date_back(req, scenario, age, cal)
            made += 1
    ctx.log(f"support: {made} service requests in Cao Bằng and Đắk Lắk")
