"""Periodic reports of the provincial directive: reporting offices, report templates with
their sections and figures, cycles (a template for one period), the offices'
submissions with their history, and the province's compiled reports.

Source 001 (item 10): the Department of Finance (formerly Planning and Investment)
collects 6-month and annual reports from the province's departments and wards/communes
and reports to the Provincial People's Committee and the ministry.

Reporting offices are DATA, not roles: an office has member users, and membership grants
the office's actions through policy hooks written as subqueries (a join through the
members would repeat a row once per member):

* a submitting office's members fill in and submit the office's report (``edit``);
* the compiling office's members (the Department of Finance) return or accept the
  submissions, remind, compile and send the province's report (``review``/``compile``);
* the province's staff (VCA, alliance officer, department viewer) see the province's
  reports; the VCA and the province's officer define offices and templates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager

__all__ = [
    "CompiledReport",
    "FigureUnit",
    "OfficeKind",
    "ReportCycle",
    "ReportFigure",
    "ReportKind",
    "ReportSection",
    "ReportTemplate",
    "ReportingOffice",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
]


# ------------------------------------------------------------------ membership subqueries


def offices_of(user: Any):
    """Ids of the reporting offices ``user`` is a member of, as a subquery."""
    return ReportingOffice.members.through.objects.filter(user=user).values("reportingoffice_id")


def compiling_offices_of(user: Any):
    """Ids of the compiling offices ``user`` is a member of, as a subquery."""
    return ReportingOffice.members.through.objects.filter(
        user=user, reportingoffice__compiles=True
    ).values("reportingoffice_id")


def _office_member(user: Any, scope: Any) -> Q:
    return Q(pk__in=offices_of(user))


def _template_compiler(user: Any, scope: Any) -> Q:
    return Q(compiling_office__in=compiling_offices_of(user))


def _template_seen(user: Any, scope: Any) -> Q:
    return Q(compiling_office__in=compiling_offices_of(user)) | Q(
        pk__in=ReportTemplate.offices.through.objects.filter(
            reportingoffice__in=offices_of(user)
        ).values("reporttemplate_id")
    )


def _cycle_compiler(user: Any, scope: Any) -> Q:
    return Q(template__compiling_office__in=compiling_offices_of(user))


def _cycle_seen(user: Any, scope: Any) -> Q:
    return Q(template__compiling_office__in=compiling_offices_of(user)) | Q(
        template__in=ReportTemplate.offices.through.objects.filter(
            reportingoffice__in=offices_of(user)
        ).values("reporttemplate_id")
    )


def _submission_office(user: Any, scope: Any) -> Q:
    return Q(office__in=offices_of(user))


def _submission_compiler(user: Any, scope: Any) -> Q:
    return Q(cycle__template__compiling_office__in=compiling_offices_of(user))


def _submission_seen(user: Any, scope: Any) -> Q:
    return _submission_office(user, scope) | _submission_compiler(user, scope)


def _compiled_compiler(user: Any, scope: Any) -> Q:
    return Q(cycle__template__compiling_office__in=compiling_offices_of(user))


# ------------------------------------------------------------------ choices


class OfficeKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department")
    WARD = "ward", _("Ward or commune")


class ReportKind(models.TextChoices):
    SEMIANNUAL = "semiannual", _("6-month report")
    ANNUAL = "annual", _("Annual report")


class FigureUnit(models.TextChoices):
    COUNT = "count", _("number")
    PEOPLE = "people", _("people")
    VND = "vnd", _("VND")
    PERCENT = "percent", _("%")
    HECTARE = "hectare", _("ha")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


# ------------------------------------------------------------------ offices


class ReportingOffice(models.Model):
    """A department or a ward/commune of a province that submits reports, or the office
    that compiles them (the Department of Finance, ``compiles``)."""

    scope_province_path = "province"
    policy = Policy(
        view=roles.STAFF,
        change=roles.REVIEWERS,
        extra={"view": _office_member},
    )

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=OfficeKind.choices)
    #: the ward or commune of a ward office (its scope: the ward's organisations)
    ward = models.ForeignKey(
        "geo.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ward or commune"),
    )
    #: the office that collects and compiles the province's reports
    compiles = models.BooleanField(_("compiles the province's reports"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reporting_offices",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["province_id", "-compiles", "kind", "name"]
        verbose_name = _("reporting office")
        verbose_name_plural = _("reporting offices")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="repoffice_unique_name"),
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(compiles=True),
                name="repoffice_one_compiler",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ward") | Q(ward__isnull=False),
                name="repoffice_ward_has_ward",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ templates


class ReportTemplate(models.Model):
    """What a province asks its offices to report, when, and who compiles it."""

    scope_province_path = "province"
    policy = Policy(
        view=roles.STAFF,
        change=roles.REVIEWERS,
        extra={"view": _template_seen},
    )

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    due_day = models.PositiveSmallIntegerField(_("due day"))
    due_month = models.PositiveSmallIntegerField(_("due month"))
    compiling_office = models.ForeignKey(
        ReportingOffice,
        on_delete=models.PROTECT,
        related_name="compiled_templates",
        verbose_name=_("compiling office"),
    )
    offices = models.ManyToManyField(
        ReportingOffice,
        blank=True,
        related_name="templates",
        verbose_name=_("submitting offices"),
    )
    #: the results framework whose indicators the compiled report adds (optional)
    framework = models.ForeignKey(
        "indicators.Framework",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_templates",
        verbose_name=_("results framework"),
    )
    #: the People's Committee and the ministry: one "Name <e-mail>" per line
    recipients = models.TextField(_("sent to"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="reptemplate_unique_name"),
            models.CheckConstraint(
                condition=Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="reptemplate_due_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportSection(models.Model):
    """A part of the report: a title, guidance for the offices, the platform's figures
    shown pre-filled, and the figures the office adds (:class:`ReportFigure`)."""

    scope_province_path = "template__province"
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True, max_length=2000)
    #: keys of ``selectors_reports.PLATFORM_FIGURES`` shown pre-filled for the office
    platform_figures = models.JSONField(_("platform figures"), default=list, blank=True)

    class Meta:
        ordering = ["template_id", "order", "pk"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")

    def __str__(self) -> str:
        return self.title


class ReportFigure(models.Model):
    """A figure the office adds in a section, with its unit and bounds.  When
    ``platform_key`` names a platform figure, a different number is warned about."""

    scope_province_path = "section__template__province"
    policy = Policy(view=roles.STAFF, change=roles.REVIEWERS)

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="figures")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=FigureUnit.choices)
    min_value = models.DecimalField(_("smallest value"), max_digits=20, decimal_places=2, default=0)
    max_value = models.DecimalField(
        _("largest value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    required = models.BooleanField(_("required"), default=True)
    platform_key = models.CharField(_("compare with platform figure"), max_length=40, blank=True)

    class Meta:
        ordering = ["section_id", "order", "pk"]
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="repfigure_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label


# ------------------------------------------------------------------ cycles and submissions


class ReportCycle(models.Model):
    """A template for one period (``2026S1``, ``2026``), with its due date."""

    scope_province_path = "template__province"
    policy = Policy(
        view=roles.STAFF,
        # open a cycle: the province (its officer, the VCA)
        change=roles.REVIEWERS,
        # remind, compile, send: the compiling office's members
        compile=roles.NOBODY,
        extra={"view": _cycle_seen, "compile": _cycle_compiler},
    )

    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="cycles")
    period = models.CharField(_("period"), max_length=10)
    due_on = models.DateField(_("due on"))
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("report cycle")
        verbose_name_plural = _("report cycles")
        constraints = [
            models.UniqueConstraint(fields=["template", "period"], name="repcycle_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} · {self.period}"


class Submission(models.Model):
    """One office's report for one cycle.  No row = not started."""

    scope_province_path = "cycle__template__province"
    policy = Policy(
        view=roles.STAFF,
        # fill in and submit: the office's members
        edit=roles.NOBODY,
        # return or accept: the compiling office's members
        review=roles.NOBODY,
        extra={
            "view": _submission_seen,
            "edit": _submission_office,
            "review": _submission_compiler,
        },
    )

    cycle = models.ForeignKey(ReportCycle, on_delete=models.CASCADE, related_name="submissions")
    office = models.ForeignKey(
        ReportingOffice, on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    #: section id (as text) -> narrative (plain text)
    narratives = models.JSONField(default=dict, blank=True)
    #: figure key -> value as text (a Decimal; integers for counts, people and VND)
    figures = models.JSONField(default=dict, blank=True)
    #: platform figure key -> value for the office's scope, as read when last saved
    platform = models.JSONField(default=dict, blank=True)
    #: warnings given on submission (figures that contradict the platform's)
    warnings = models.JSONField(default=list, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    #: submitted (first) after the due date, by Vietnam's calendar
    is_late = models.BooleanField(_("late"), default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    last_comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["cycle_id", "office__name"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "office"], name="repsub_one_per_office"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "accepted"]),
                name="repsub_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.cycle.period}"


class SubmissionEvent(models.Model):
    """One transition of a submission: who, when, from which state to which, comment."""

    scope_province_path = "submission__cycle__template__province"
    policy = Policy(
        view=roles.STAFF,
        extra={
            "view": lambda user, scope: (
                Q(submission__office__in=offices_of(user))
                | Q(submission__cycle__template__compiling_office__in=compiling_offices_of(user))
            )
        },
    )

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    comment = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class CompiledReport(models.Model):
    """The province's report compiled from the accepted submissions: a .docx in the
    Decree 30 layout and an .xlsx annex, in private storage, and where it was sent."""

    scope_province_path = "cycle__template__province"
    policy = Policy(
        view=roles.STAFF,
        compile=roles.NOBODY,
        extra={"view": _compiled_compiler, "compile": _compiled_compiler},
    )

    cycle = models.ForeignKey(ReportCycle, on_delete=models.CASCADE, related_name="compiled")
    version = models.PositiveIntegerField(default=1)
    docx = models.FileField(storage=private_storage, max_length=200)
    xlsx = models.FileField(storage=private_storage, max_length=200)
    #: the accepted submissions it was made from (ids)
    submission_ids = models.JSONField(default=list)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    compiled_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: [{"name": …, "email": …}] it was sent to
    sent_to = models.JSONField(default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-compiled_at", "-pk"]
        verbose_name = _("compiled report")
        verbose_name_plural = _("compiled reports")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="repcompiled_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} v{self.version}"
