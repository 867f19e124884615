"""E-mails about annual reports to the managers of an organisation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from htxso.core.notify import email_after_commit
from htxso.core.roles import Role

from ..models import AnnualReport, Organisation, ReportStatus


def organisation_manager_emails(
    organisation_ids: Iterable[int],
) -> dict[int, list[tuple[str, str]]]:
    """Managers' (e-mail, language) per organisation (users with coop_manager on it).

    Read through the user model (``get_user_model()``) and the role assignments' string
    foreign key to ``registry.Organisation``: registry and accounts are independent
    siblings (ARCHITECTURE.md "Layout") and never import each other."""
    user_model = get_user_model()
    rows = (
        user_model.objects.filter(
            is_active=True,
            role_assignments__role=Role.COOP_MANAGER,
            role_assignments__organisation_id__in=list(organisation_ids),
        )
        .order_by("role_assignments__id")
        .values_list("role_assignments__organisation_id", "email", "preferred_language")
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for org_id, email, language in rows:
        if email:
            out.setdefault(org_id, []).append((email, language or "vi"))
    return out


def email_managers(organisation: Organisation, subject_body: Callable[[], tuple[Any, Any]]) -> int:
    """E-mail every manager of ``organisation`` in their language after commit.

    ``subject_body`` is a function returning ``(subject, body)`` in the active language.
    """
    recipients = organisation_manager_emails([organisation.pk]).get(organisation.pk, [])
    by_language: dict[str, list[str]] = {}
    for email, language in recipients:
        by_language.setdefault(language, []).append(email)
    for language, emails in by_language.items():
        with translation.override(language):
            subject, body = subject_body()
            email_after_commit(subject=str(subject), body=str(body), recipients=emails)
    return len(recipients)


def notify_managers_of_review(report: AnnualReport, to_status: str, comment: str) -> None:
    link = settings.SITE_URL + reverse("registry:report_detail", kwargs={"pk": report.pk})

    def message() -> tuple[str, str]:
        params = {"year": report.year, "name": report.organisation.name, "link": link}
        if to_status == ReportStatus.ACCEPTED:
            subject = _("HTX Số: annual report %(year)s accepted") % params
            body = (
                _("The province accepted the %(year)s annual report of %(name)s.\n\n%(link)s")
                % params
            )
        else:
            subject = _("HTX Số: annual report %(year)s returned for changes") % params
            body = _(
                "The province returned the %(year)s annual report of %(name)s for changes."
                "\n\nComment: %(comment)s\n\nCorrect it and submit it again: %(link)s"
            ) % {**params, "comment": comment}
        return subject, body

    email_managers(report.organisation, message)
