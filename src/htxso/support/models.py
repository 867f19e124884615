"""Service requests of the support centre, with working-day SLAs (issue 18).

A cooperative's manager asks the provincial centre for a service (product introduction,
trade promotion, investment, DX advice, credit or the S&T fund, legal help, training,
a visit to a model cooperative…).  The request carries a snapshot of the
organisation's registry facts at the time (``facts``).  The centre's officers answer,
ask for information (the SLA clock pauses while the request waits for the cooperative),
escalate to the VCA and close it with an outcome; the cooperative rates the service.

Deadlines are dates: the n-th working day after the request arrived (``calendar.py``),
n taken from the type's :class:`SlaRule`; a pause moves the resolution deadline by the
working days it lasted.

Who may do what (``ServiceRequest.policy``):

* ``view`` — the province's staff (the VCA everywhere) and the organisation's manager.
  Members do not see requests: a request is the management's dealing with the centre
  (it may carry the cooperative's difficulties with credit or the law); the manager
  shares the outcome with the members.
* ``own`` — act for the cooperative (send, answer, add files, withdraw, rate): the
  organisation's manager, and the VCA.
* ``handle`` — act for the centre (assign, reply, ask, note, escalate, close): the
  province's officer, and the VCA.  A department viewer reads the queue and reports of
  the province (``queue``) and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager


class RequestType(models.TextChoices):
    PRODUCT = "product", _("Product introduction")
    TRADE = "trade", _("Trade promotion, fairs")
    INVESTMENT = "investment", _("Investment")
    DX = "dx", _("Digital transformation advice")
    CREDIT = "credit", _("Credit or the science and technology fund")
    LEGAL = "legal", _("Legal help")
    TRAINING = "training", _("Training")
    MODEL_VISIT = "model_visit", _("Visit or advice from a model cooperative")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the cooperative")
    ESCALATED = "escalated", _("Escalated to the VCA")
    CLOSED = "closed", _("Closed")


#: States in which the centre works on the request (the clock runs).
ACTIVE = (Status.NEW, Status.IN_PROGRESS, Status.ESCALATED)
OPEN = (*ACTIVE, Status.WAITING)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    NOT_POSSIBLE = "not_possible", _("Not possible")
    WITHDRAWN = "withdrawn", _("Withdrawn by the cooperative")


#: Default SLAs in working days (first response, resolution); the admin edits SlaRule.
DEFAULT_SLA: dict[str, tuple[int, int]] = {
    RequestType.PRODUCT: (2, 15),
    RequestType.TRADE: (2, 15),
    RequestType.INVESTMENT: (3, 20),
    RequestType.DX: (2, 10),
    RequestType.CREDIT: (3, 20),
    RequestType.LEGAL: (2, 10),
    RequestType.TRAINING: (2, 15),
    RequestType.MODEL_VISIT: (3, 20),
    RequestType.OTHER: (3, 15),
}


class SlaRule(models.Model):
    """The service level of one request type, in working days."""

    request_type = models.CharField(
        _("request type"), max_length=20, choices=RequestType.choices, unique=True
    )
    first_response_days = models.PositiveSmallIntegerField(_("first response (working days)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolution (working days)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["request_type"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_days__gte=1, first_response_days__lte=60)
                & Q(resolution_days__gte=1, resolution_days__lte=250)
                & Q(resolution_days__gte=models.F("first_response_days")),
                name="support_sla_days_sane",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_request_type_display()}: {self.first_response_days}/{self.resolution_days}"
        )


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("Day off (compensatory)")
    WORKING = "work", _("Working day (make-up)")


class CalendarDay(models.Model):
    """A change of the working-day calendar decided by the government for a year: a
    compensatory day off, or a Saturday worked to make up for it."""

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=DayKind.choices)
    name = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class ServiceRequest(models.Model):
    scope_province_path = "province"
    scope_organisation_path = "organisation"
    policy = Policy(
        view=roles.READERS,
        queue=roles.STAFF,
        handle=roles.REVIEWERS,
        own=roles.MANAGERS,
    )

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("organisation"),
    )
    #: the organisation's province when the request was sent (the queue it is in)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    request_type = models.CharField(_("type"), max_length=20, choices=RequestType.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("closing note"), max_length=2000, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    #: the organisation's registry facts when the request was sent
    facts = models.JSONField(_("registry facts"), default=dict, blank=True)
    #: a model case of the knowledge base (support.knowledge), by id
    related_case_id = models.BigIntegerField(_("model case"), null=True, blank=True)
    #: the key of the form that sent it (a double submit finds the first request)
    submit_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # --- the SLA (dates: the last working day allowed) ---------------------------
    first_response_due = models.DateField(_("first response due"))
    resolution_due = models.DateField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: the working day a pause began (the request waits for the cooperative)
    paused_since = models.DateField(_("waiting since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waiting"), default=0)
    #: measured when they happen, in working days (pauses left out), for the reports
    first_response_days = models.PositiveIntegerField(null=True, blank=True)
    resolution_days = models.PositiveIntegerField(null=True, blank=True)
    within_sla = models.BooleanField(null=True, blank=True)
    # --- the cooperative's rating ----------------------------------------------
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            # the queue: open requests by deadline, in a province and everywhere (partial
            # indexes: closed requests, most of the table, are not in them)
            models.Index(
                fields=["province", "resolution_due", "first_response_due", "id"],
                condition=~Q(status="closed"),
                name="supreq_open_queue",
            ),
            models.Index(
                fields=["resolution_due", "first_response_due", "id"],
                condition=~Q(status="closed"),
                name="supreq_open_due",
            ),
            models.Index(fields=["province", "status", "resolution_due"], name="supreq_queue"),
            models.Index(fields=["organisation", "-created_at"], name="supreq_org_created"),
            models.Index(fields=["province", "created_at"], name="supreq_province_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "waiting", "escalated", "closed"]),
                name="supreq_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(outcome="")),
                name="supreq_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="supreq_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(status="closed"),
                name="supreq_rated_when_closed",
            ),
            models.UniqueConstraint(
                fields=["created_by", "submit_key"],
                condition=~Q(submit_key=""),
                name="supreq_one_per_submit",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_waiting(self) -> bool:
        return self.status == Status.WAITING


class EntryKind(models.TextChoices):
    SENT = "sent", _("Request sent")
    REPLY = "reply", _("Reply from the centre")
    QUESTION = "question", _("Question from the centre")
    ANSWER = "answer", _("Message from the cooperative")
    NOTE = "note", _("Internal note")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated to the VCA")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated")


class Entry(models.Model):
    """One line of a request's timeline: a message, a question, an answer, an internal
    note (staff only) or an event."""

    scope_province_path = "request__province"
    scope_organisation_path = "request__organisation"
    policy = Policy(view=roles.READERS)

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="entries", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    #: seen by the centre's staff only
    internal = models.BooleanField(_("internal"), default=False)
    text = models.TextField(_("text"), max_length=4000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.kind} #{self.request_id}"


class Attachment(models.Model):
    """A photo or PDF added to a request (private storage, checked content)."""

    scope_province_path = "request__province"
    scope_organisation_path = "request__organisation"
    policy = Policy(view=roles.READERS)

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=UnguessableName("support/%Y/%m/"), storage=private_storage
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    #: a file added with an internal note is seen by the centre's staff only
    internal = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
