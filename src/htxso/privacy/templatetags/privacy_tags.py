"""Showing the data of "My data" (nested dicts and lists) as a readable page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

#: The label of each key the collectors write (unknown keys are shown as written).
LABELS = {
    "username": gettext_lazy("Username"),
    "full_name": gettext_lazy("Full name"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "preferred_language": gettext_lazy("Language"),
    "date_joined": gettext_lazy("Account created"),
    "last_login": gettext_lazy("Last sign-in"),
    "role": gettext_lazy("Role code"),
    "role_label": gettext_lazy("Role"),
    "province": gettext_lazy("Province"),
    "organisation": gettext_lazy("Organisation"),
    "since": gettext_lazy("Since"),
    "purpose": gettext_lazy("Purpose code"),
    "purpose_label": gettext_lazy("Purpose"),
    "notice_version": gettext_lazy("Notice version"),
    "given_at": gettext_lazy("Given"),
    "withdrawn_at": gettext_lazy("Withdrawn"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Date of birth"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "citizen_id": gettext_lazy("Citizen ID number"),
    "recorded_by": gettext_lazy("Recorded by"),
    "memberships": gettext_lazy("Memberships"),
    "jobs": gettext_lazy("Jobs"),
    "kind": gettext_lazy("Kind"),
    "joined_on": gettext_lazy("Joined"),
    "left_on": gettext_lazy("Left"),
    "capital_vnd": gettext_lazy("Capital (VND)"),
    "capital_certificate_no": gettext_lazy("Capital certificate"),
    "capital_certificate_date": gettext_lazy("Certificate date"),
    "position": gettext_lazy("Position"),
    "in_management": gettext_lazy("In management"),
    "started_on": gettext_lazy("Started"),
    "ended_on": gettext_lazy("Ended"),
    "monthly_income_vnd": gettext_lazy("Monthly income (VND)"),
    "code": gettext_lazy("Order code"),
    "store": gettext_lazy("Store"),
    "placed_at": gettext_lazy("Placed"),
    "state": gettext_lazy("State"),
    "buyer_name": gettext_lazy("Name on the order"),
    "buyer_phone": gettext_lazy("Phone on the order"),
    "buyer_email": gettext_lazy("E-mail on the order"),
    "ward": gettext_lazy("Ward"),
    "address": gettext_lazy("Address"),
    "note": gettext_lazy("Note"),
    "fulfilment": gettext_lazy("Receive by"),
    "payment": gettext_lazy("Payment"),
    "total_vnd": gettext_lazy("Total (VND)"),
    "lines": gettext_lazy("Products"),
    "product": gettext_lazy("Product"),
    "size": gettext_lazy("Size"),
    "quantity": gettext_lazy("Quantity"),
    "unit_price_vnd": gettext_lazy("Unit price (VND)"),
    "amount_vnd": gettext_lazy("Amount (VND)"),
    "name_shown": gettext_lazy("Name shown"),
    "rating": gettext_lazy("Rating"),
    "text": gettext_lazy("Text"),
    "written_at": gettext_lazy("Written"),
    "name": gettext_lazy("Name"),
    "pickup_address": gettext_lazy("Pickup address"),
    "bank_account": gettext_lazy("Account number"),
    "bank_account_name": gettext_lazy("Account holder"),
    "status": gettext_lazy("Status"),
    "created_at": gettext_lazy("Created"),
    "accepted_at": gettext_lazy("Accepted"),
    "call": gettext_lazy("Call"),
    "submitted_at": gettext_lazy("Submitted"),
    "field": gettext_lazy("What to correct"),
    "reason": gettext_lazy("Reason"),
    "decided_at": gettext_lazy("Decided"),
    "at": gettext_lazy("Time"),
    "action": gettext_lazy("Action code"),
    "action_label": gettext_lazy("Action"),
    "record_kind": gettext_lazy("Record"),
    "record_id": gettext_lazy("Record number"),
}


@register.filter
def is_dict(value: Any) -> bool:
    return isinstance(value, dict)


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, list)


@register.filter
def field_label(key: str) -> str:
    label = LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


@register.filter
def show_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            moment = dt.datetime.fromisoformat(value)
            from django.utils import timezone

            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)
