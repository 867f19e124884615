"""Model cases to replicate, news and step-by-step guides.

Everything here is written by staff — the VCA anywhere, a provincial officer for his
province — and read by everyone once published.  Staff reach rows through the policy
(``policy.queryset(user, "change")``); the public reads through ``selectors``, which
show only what is published (``Article``: published or scheduled with a past
``published_at``).

Pictures (case photos, article covers, guide-step images) live in the private storage
under unguessable names and are served by views that check the item is published (or
that the reader is staff who may edit it): a draft's picture has no public URL, and a
withdrawn case's photos disappear with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import roles
from htxso.core.files import UnguessableName, private_storage
from htxso.core.policy import Policy
from htxso.core.scoping import ScopedManager
from htxso.core.text import fold


class Theme(models.TextChoices):
    DX = "dx", _("Digital transformation")
    VALUE_CHAIN = "value_chain", _("Value chain")
    ECOMMERCE = "ecommerce", _("E-commerce")
    TRACEABILITY = "traceability", _("Traceability")
    HIGH_TECH = "high_tech", _("High technology")
    FINANCE = "finance", _("Finance and credit")
    TOURISM = "tourism", _("Community tourism")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FigureSource(models.TextChoices):
    REGISTRY = "registry", _("From the registry")
    DECLARED = "declared", _("Declared")


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    GUIDE = "guide", _("Guide")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


#: Who writes and publishes: the VCA everywhere, a provincial officer in his province.
WRITERS = roles.REVIEWERS


def pack_themes(themes: list[str]) -> str:
    """Themes stored as ``|dx|ecommerce|`` so one ``contains`` finds a theme."""
    kept = [t for t in Theme.values if t in set(themes)]
    return f"|{'|'.join(kept)}|" if kept else ""


class ModelCase(models.Model):
    """A cooperative of the registry whose way of working others may copy."""

    scope_province_path = "province"
    policy = Policy(view=WRITERS, change=WRITERS)

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="model_cases",
        verbose_name=_("cooperative"),
    )
    #: the organisation's province and sector when the case was written (list filters)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    themes = models.CharField(_("themes"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=600)
    what_done = models.TextField(_("what the cooperative did"), blank=True, max_length=20000)
    results = models.TextField(_("results"), blank=True, max_length=20000)
    costs = models.TextField(_("costs"), blank=True, max_length=5000)
    lessons = models.TextField(_("lessons"), blank=True, max_length=20000)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact position"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    #: the contact agreed to be shown: who recorded it, when, under which notice
    contact_consent = models.BooleanField(_("the contact agreed to be shown"), default=False)
    contact_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    contact_consent_notice = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("model case")
        verbose_name_plural = _("model cases")
        indexes = [models.Index(fields=["status", "-published_at"], name="kcase_status_pub")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]),
                name="kcase_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="kcase_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_list(self) -> list[str]:
        return [t for t in self.themes.strip("|").split("|") if t]

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels[t]) for t in self.theme_list if t in labels]

    @property
    def is_public(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def shows_contact(self) -> bool:
        return self.contact_consent and bool(self.contact_name)

    def refresh_search_text(self, *, organisation_name: str, province_name: str) -> None:
        parts = [self.title, self.summary, organisation_name, province_name, self.sector]
        parts += [str(x) for x in self.theme_labels] + self.theme_list
        self.search_text = fold(" ".join(parts))[:1000]


class CaseFigure(models.Model):
    """One result in figures, with where it comes from."""

    scope_province_path = "case__province"
    policy = Policy(view=WRITERS, change=WRITERS)

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("what"), max_length=120)
    value = models.BigIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=FigureSource.choices, default=FigureSource.DECLARED
    )
    #: the registry field it was read from ("revenue", "members_official"…), if any
    registry_field = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "registry_field", "year"],
                condition=~Q(registry_field=""),
                name="kfigure_registry_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class CasePhoto(models.Model):
    scope_province_path = "case__province"
    policy = Policy(view=WRITERS, change=WRITERS)

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        upload_to=UnguessableName("knowledge/cases/%Y/"), storage=private_storage
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


class Article(models.Model):
    """A news item or a step-by-step guide, national (no province) or of one province."""

    scope_province_path = "province"
    policy = Policy(view=WRITERS, change=WRITERS)

    kind = models.CharField(_("kind"), max_length=10, choices=ArticleKind.choices)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("text"), blank=True, max_length=50000)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True, max_length=600)
    body_en = models.TextField(_("text in English"), blank=True, max_length=50000)
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    #: links to policies or other pages, one per line (http(s) URLs or site paths)
    policy_links = models.TextField(_("related policies (links)"), blank=True, max_length=2000)
    course_url = models.URLField(_("training course link"), blank=True, max_length=500)
    cover = models.FileField(
        upload_to=UnguessableName("knowledge/articles/%Y/"), storage=private_storage, blank=True
    )
    cover_width = models.PositiveIntegerField(default=0)
    cover_height = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="karticle_status_pub")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["news", "guide"]), name="karticle_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "scheduled", "published"]),
                name="karticle_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="karticle_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return (
            self.status in (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.policy_links.splitlines() if line.strip()]

    def refresh_search_text(self) -> None:
        parts = [self.title, self.summary, self.title_en, self.summary_en, self.tags]
        self.search_text = fold(" ".join(parts))[:1000]


def public_articles_q(now=None) -> Q:
    """Articles the public reads: published, or scheduled and the time has come."""
    return Q(status__in=["published", "scheduled"], published_at__lte=now or timezone.now())


class GuideStep(models.Model):
    scope_province_path = "article__province"
    policy = Policy(view=WRITERS, change=WRITERS)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"), default=1)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, max_length=10000)
    image = models.FileField(
        upload_to=UnguessableName("knowledge/steps/%Y/"), storage=private_storage, blank=True
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
