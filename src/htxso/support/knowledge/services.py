"""Every write of the knowledge base: model cases (text, figures, photos, status) and
articles (text, steps, cover, status).

Each service checks the policy (``WRITERS``: the VCA anywhere, a provincial officer in
his province), cleans the input (plain text with ``core.text``, formatted text with
``content.clean_html``, pictures with ``content.process_image``) and writes in one
transaction with one audit row.  A refusal raises ``ServiceError`` before anything is
saved; a picture is written to storage only after every check passed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor, SystemActor
from htxso.core.audit import ACTION_LABELS
from htxso.core.consent import NOTICE_VERSION
from htxso.core.errorlist import Errors, text
from htxso.core.errors import ServiceError, conflict, refused
from htxso.core.policy import require_role
from htxso.geo.models import Province
from htxso.registry.models import AnnualReport, Organisation

from .content import clean_html, process_image
from .models import (
    WRITERS,
    Article,
    ArticleKind,
    ArticleStatus,
    CaseFigure,
    CasePhoto,
    CaseStatus,
    FigureSource,
    GuideStep,
    ModelCase,
    Theme,
    pack_themes,
)

ACTION_LABELS.update(
    {
        "knowledge.case_save": _("Model case saved"),
        "knowledge.case_status": _("Model case published or withdrawn"),
        "knowledge.case_figures": _("Model case figures changed"),
        "knowledge.case_photos": _("Model case photos changed"),
        "knowledge.article_save": _("Article saved"),
        "knowledge.article_status": _("Article published or unpublished"),
        "knowledge.article_steps": _("Guide steps changed"),
    }
)

MAX_PHOTOS = 8
MAX_STEPS = 30
MAX_FIGURES = 20
#: what the "what's new" cache keys hang on: bumped by every publication change
VERSION_KEY = "knowledge:version"

#: registry annual-report fields a case may quote, with their label and unit
REGISTRY_FIGURES: list[tuple[str, Any, str]] = [
    ("members_official", _("Official members"), "people"),
    ("workers_total", _("Workers"), "people"),
    ("charter_capital", _("Charter capital"), "VND"),
    ("revenue", _("Revenue"), "VND"),
    ("profit", _("Profit"), "VND"),
    ("average_income_month", _("Average income per worker and month"), "VND"),
]


def bump_version() -> None:
    """Forget every cached "what's new" list (after the transaction commits)."""

    def _bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    transaction.on_commit(_bump)


def _clean_rich(errors: Errors, field: str, value: Any, *, max_length: int) -> str:
    raw = str(value or "")
    if len(raw) > max_length:
        errors.add(
            field,
            _("The text has %(length)s characters; at most %(max_length)s are allowed."),
            "text_too_long",
            {"length": len(raw), "max_length": max_length},
        )
        return ""
    return clean_html(raw)


def _snap(instance: Any) -> dict[str, Any] | None:
    """The audit snapshot: files by name, long texts cut (the trail is not an archive)."""
    data = audit.snapshot(instance)
    if data is None:
        return None
    for key, value in data.items():
        if hasattr(value, "name") and hasattr(value, "storage"):
            data[key] = value.name or ""
        elif isinstance(value, str) and len(value) > 2000:
            data[key] = value[:2000] + "…"
    return data


def _user_or_none(*, actor: Actor) -> Any:
    return None if isinstance(actor, SystemActor) else actor


# ------------------------------------------------------------------ model cases


def case_save(
    *,
    actor: Actor,
    case: ModelCase | None = None,
    organisation: Organisation | None = None,
    data: dict[str, Any],
) -> ModelCase:
    """Create (``case`` None, ``organisation`` given) or change a model case's text.

    ``data``: title, themes (list), summary, what_done, results, costs, lessons,
    contact_name, contact_role, contact_phone, contact_email, contact_consent (bool)."""
    if case is None:
        if organisation is None:
            raise ServiceError("organisation_required", _("Choose the cooperative."))
        ModelCase.policy.require_at(actor, "change", province=organisation.province_id)
    else:
        ModelCase.policy.require(actor, "change", case)
        organisation = case.organisation
    errors = Errors()
    title = text(errors, "title", data.get("title"), max_length=200, required=True)
    summary = text(
        errors, "summary", data.get("summary"), max_length=600, required=True, multiline=True
    )
    themes = [str(t) for t in (data.get("themes") or [])]
    unknown = [t for t in themes if t not in Theme.values]
    if unknown:
        errors.add("themes", _("Unknown theme."), "theme_unknown")
    rich = {
        name: _clean_rich(errors, name, data.get(name), max_length=limit)
        for name, limit in (
            ("what_done", 20000),
            ("results", 20000),
            ("costs", 5000),
            ("lessons", 20000),
        )
    }
    contact = {
        "contact_name": text(errors, "contact_name", data.get("contact_name"), max_length=150),
        "contact_role": text(errors, "contact_role", data.get("contact_role"), max_length=100),
        "contact_phone": text(errors, "contact_phone", data.get("contact_phone"), max_length=20),
        "contact_email": text(errors, "contact_email", data.get("contact_email"), max_length=254),
    }
    if contact["contact_phone"] and not re.fullmatch(
        r"[0-9 +.()-]{6,20}", contact["contact_phone"]
    ):
        errors.add("contact_phone", _("Write a phone number with digits only."), "phone_invalid")
    consent = bool(data.get("contact_consent"))
    if consent and not contact["contact_name"]:
        errors.add("contact_name", _("Name the contact who agreed to be shown."), "required")
    errors.raise_if_any()

    with transaction.atomic():
        before = _snap(case) if case else None
        if case is None:
            case = ModelCase(
                organisation=organisation,
                province_id=organisation.province_id,
                sector=organisation.sector,
                created_by=_user_or_none(actor=actor),
            )
        was_consent = case.contact_consent
        same_contact = all(getattr(case, k) == v for k, v in contact.items())
        case.title, case.summary, case.themes = title, summary, pack_themes(themes)
        for name, value in {**rich, **contact}.items():
            setattr(case, name, value)
        if consent and (not was_consent or not same_contact):
            # a new consent (or the contact changed): record who took it and when
            case.contact_consent_by = _user_or_none(actor=actor)
            case.contact_consent_at = timezone.now()
            case.contact_consent_notice = NOTICE_VERSION
        elif not consent:
            case.contact_consent_by = None
            case.contact_consent_at = None
            case.contact_consent_notice = ""
        case.contact_consent = consent
        case.refresh_search_text(
            organisation_name=organisation.name, province_name=organisation.province.name
        )
        case.save()
        audit.record(
            actor=actor,
            action="knowledge.case_save",
            instance=case,
            before=before,
            after=_snap(case),
            organisation_id=case.organisation_id,
        )
        if case.status == CaseStatus.PUBLISHED:
            bump_version()
    return case


def case_set_status(*, actor: Actor, case: ModelCase, status: str) -> ModelCase:
    """Publish, withdraw, or put back to draft."""
    ModelCase.policy.require(actor, "change", case)
    if status not in CaseStatus.values:
        raise ServiceError("status_unknown", _("Unknown status."))
    with transaction.atomic():
        case = ModelCase.objects.select_for_update().get(pk=case.pk)
        if case.status == status:
            return case
        before = case.status
        case.status = status
        if status == CaseStatus.PUBLISHED and case.published_at is None:
            case.published_at = timezone.now()
        case.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="knowledge.case_status",
            instance=case,
            before={"status": before},
            after={"status": status},
        )
        bump_version()
    return case


def case_figure_add(
    *,
    actor: Actor,
    case: ModelCase,
    label: str,
    value: int,
    unit: str = "",
    year: int | None = None,
) -> CaseFigure:
    """A figure the cooperative or the officer declares (source: "declared")."""
    ModelCase.policy.require(actor, "change", case)
    errors = Errors()
    label = text(errors, "label", label, max_length=120, required=True)
    unit = text(errors, "unit", unit, max_length=20)
    if not isinstance(value, int) or not -(10**15) <= value <= 10**15:
        errors.add("value", _("Write a whole number."), "value_invalid")
    this_year = timezone.localdate().year
    if year is not None and not 1950 <= year <= this_year:
        errors.add(
            "year",
            _("Write a year between 1950 and %(year)s."),
            "year_invalid",
            {"year": this_year},
        )
    errors.raise_if_any()
    with transaction.atomic():
        if case.figures.count() >= MAX_FIGURES:
            raise conflict(
                _("A case shows at most %(n)s figures."), "too_many_figures", {"n": MAX_FIGURES}
            )
        figure = CaseFigure.objects.create(
            case=case,
            label=label,
            value=value,
            unit=unit,
            year=year,
            source=FigureSource.DECLARED,
            position=case.figures.count() + 1,
        )
        audit.record(
            actor=actor, action="knowledge.case_figures", instance=case, after={"added": label}
        )
        if case.is_public:
            bump_version()
    return figure


def case_figures_from_registry(*, actor: Actor, case: ModelCase, year: int) -> list[CaseFigure]:
    """Copy the figures of the organisation's annual report of ``year`` (accepted or
    submitted) into the case, each labelled "from the registry, year N".  Run twice,
    it updates the values rather than adding rows."""
    ModelCase.policy.require(actor, "change", case)
    report = (
        AnnualReport.objects.filter(
            organisation_id=case.organisation_id, year=year, status__in=["accepted", "submitted"]
        )
        .order_by("-status")
        .first()
    )
    if report is None:
        raise ServiceError(
            "no_registry_report",
            _("The registry has no submitted annual report of this cooperative for %(year)s."),
            {"year": year},
            fields={"year": [_("No annual report for this year in the registry.")]},
        )
    made: list[CaseFigure] = []
    with transaction.atomic():
        for field, label, unit in REGISTRY_FIGURES:
            value = getattr(report, field)
            if value is None:
                continue
            figure, _created = CaseFigure.objects.update_or_create(
                case=case,
                registry_field=field,
                year=year,
                defaults={
                    "label": str(label),
                    "value": int(value),
                    "unit": unit,
                    "source": FigureSource.REGISTRY,
                    "position": 100 + len(made),
                },
            )
            made.append(figure)
        if not made:
            raise ServiceError(
                "no_registry_figures",
                _("The annual report of %(year)s has no figures to quote."),
                {"year": year},
            )
        audit.record(
            actor=actor,
            action="knowledge.case_figures",
            instance=case,
            after={"registry_year": year},
        )
        if case.is_public:
            bump_version()
    return made


def case_figure_delete(*, actor: Actor, figure: CaseFigure) -> None:
    ModelCase.policy.require(actor, "change", figure.case)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="knowledge.case_figures",
            instance=figure.case,
            after={"deleted": figure.label},
        )
        figure.delete()


def case_photo_add(*, actor: Actor, case: ModelCase, file: Any, caption: str = "") -> CasePhoto:
    ModelCase.policy.require(actor, "change", case)
    errors = Errors()
    caption = text(errors, "caption", caption, max_length=200)
    errors.raise_if_any()
    if case.photos.count() >= MAX_PHOTOS:
        raise conflict(
            _("A case shows at most %(n)s photos."), "too_many_photos", {"n": MAX_PHOTOS}
        )
    picture = process_image(file, field="image")
    with transaction.atomic():
        photo = CasePhoto(
            case=case,
            caption=caption,
            width=picture.width,
            height=picture.height,
            position=case.photos.count() + 1,
        )
        photo.image.save("photo.jpg", ContentFile(picture.data), save=False)
        photo.save()
        audit.record(
            actor=actor, action="knowledge.case_photos", instance=case, after={"added": photo.pk}
        )
    return photo


def case_photo_delete(*, actor: Actor, photo: CasePhoto) -> None:
    ModelCase.policy.require(actor, "change", photo.case)
    name, storage = photo.image.name, photo.image.storage
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="knowledge.case_photos",
            instance=photo.case,
            after={"deleted": photo.pk},
        )
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


# ------------------------------------------------------------------ articles

_url = URLValidator(schemes=["http", "https"])


def _check_link(errors: Errors, field: str, value: str) -> None:
    if value.startswith("/") and not value.startswith("//"):
        if re.fullmatch(r"/[A-Za-z0-9/_\-.?=&%#]*", value):
            return
    else:
        try:
            _url(value)
        except ValidationError:
            pass
        else:
            return
    errors.add(
        field,
        _("“%(link)s” is not a web address (https://…) or a page of this site (/…)."),
        "link_invalid",
        {"link": value[:80]},
    )


def article_save(
    *,
    actor: Actor,
    article: Article | None = None,
    data: dict[str, Any],
    cover: Any = None,
) -> Article:
    """Create (``article`` None) or change an article.

    ``data``: kind, province (code or "" for national), title, summary, body, title_en,
    summary_en, body_en, tags, policy_links, course_url.  The VCA writes national
    articles; an officer only his province's (the province cannot be moved out of his
    reach either)."""
    if article is not None:
        Article.policy.require(actor, "change", article)
    else:
        require_role(actor, WRITERS)
    errors = Errors()
    kind = str(data.get("kind") or "")
    if kind not in ArticleKind.values:
        errors.add("kind", _("Choose news or guide."), "kind_invalid")
    province_code = str(data.get("province") or "").strip() or None
    if province_code and not Province.objects.filter(pk=province_code).exists():
        errors.add("province", _("Unknown province."), "province_unknown")
    title = text(errors, "title", data.get("title"), max_length=200, required=True)
    summary = text(
        errors, "summary", data.get("summary"), max_length=600, required=True, multiline=True
    )
    title_en = text(errors, "title_en", data.get("title_en"), max_length=200)
    summary_en = text(errors, "summary_en", data.get("summary_en"), max_length=600, multiline=True)
    body = _clean_rich(errors, "body", data.get("body"), max_length=50000)
    body_en = _clean_rich(errors, "body_en", data.get("body_en"), max_length=50000)
    tags_raw = text(errors, "tags", data.get("tags"), max_length=200)
    tags = ", ".join(dict.fromkeys(t.strip() for t in tags_raw.split(",") if t.strip()))
    if any(c in tags for c in "<>{}"):
        errors.add("tags", _("Tags are words separated by commas."), "tags_invalid")
    links_raw = text(
        errors, "policy_links", data.get("policy_links"), max_length=2000, multiline=True
    )
    links = [line.strip() for line in links_raw.splitlines() if line.strip()]
    for link in links[:20]:
        _check_link(errors, "policy_links", link)
    if len(links) > 20:
        errors.add("policy_links", _("At most 20 links."), "too_many_links")
    course_url = text(errors, "course_url", data.get("course_url"), max_length=500)
    if course_url:
        _check_link(errors, "course_url", course_url)
    errors.raise_if_any()
    # where it may be written: checked before anything is read from the upload
    if province_code:
        Article.policy.require_at(
            actor,
            "change",
            province=province_code,
            message=_("You may write articles of your own province only."),
        )
    else:
        require_national(actor=actor)
    picture = process_image(cover, field="cover") if cover else None

    with transaction.atomic():
        before = _snap(article) if article else None
        if article is None:
            article = Article(created_by=_user_or_none(actor=actor))
        article.kind = kind
        article.province_id = province_code
        article.title, article.summary, article.body = title, summary, body
        article.title_en, article.summary_en, article.body_en = title_en, summary_en, body_en
        article.tags = tags
        article.policy_links = "\n".join(links)
        article.course_url = course_url
        if picture is not None:
            article.cover.save("cover.jpg", ContentFile(picture.data), save=False)
            article.cover_width, article.cover_height = picture.width, picture.height
        article.refresh_search_text()
        article.save()
        audit.record(
            actor=actor,
            action="knowledge.article_save",
            instance=article,
            before=before,
            after=_snap(article),
        )
        if article.status != ArticleStatus.DRAFT:
            bump_version()
    return article


def require_national(*, actor: Actor) -> None:
    """A national article: the VCA only."""
    everywhere, _p, _o = Article.policy.reach(actor, "change")
    if not everywhere:
        raise refused(_("Only the VCA publishes national articles; choose your province."))


def article_set_status(
    *,
    actor: Actor,
    article: Article,
    status: str,
    publish_at: dt.datetime | None = None,
) -> Article:
    """Publish now, schedule (``publish_at`` in the future) or put back to draft."""
    Article.policy.require(actor, "change", article)
    if status not in ArticleStatus.values:
        raise ServiceError("status_unknown", _("Unknown status."))
    now = timezone.now()
    if status == ArticleStatus.SCHEDULED:
        if publish_at is None or publish_at <= now:
            raise ServiceError(
                "schedule_in_past",
                _("Choose a publication time in the future."),
                fields={"publish_at": [_("Choose a publication time in the future.")]},
            )
        if publish_at > now + dt.timedelta(days=366):
            raise ServiceError(
                "schedule_too_far",
                _("Schedule at most a year ahead."),
                fields={"publish_at": [_("Schedule at most a year ahead.")]},
            )
    if (
        status != ArticleStatus.DRAFT
        and article.kind == ArticleKind.GUIDE
        and not (article.body or article.steps.exists())
    ):
        raise conflict(_("A guide needs a text or at least one step."), "guide_empty")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        before = {"status": article.status, "published_at": audit._jsonable(article.published_at)}
        article.status = status
        if status == ArticleStatus.PUBLISHED:
            if article.published_at is None or article.published_at > now:
                article.published_at = now
        elif status == ArticleStatus.SCHEDULED:
            article.published_at = publish_at
        else:
            article.published_at = None
        article.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="knowledge.article_status",
            instance=article,
            before=before,
            after={"status": status, "published_at": audit._jsonable(article.published_at)},
        )
        bump_version()
    return article


def step_add(
    *,
    actor: Actor,
    article: Article,
    title: str,
    text_: str = "",
    image: Any = None,
) -> GuideStep:
    """Add a step at the end of a guide."""
    Article.policy.require(actor, "change", article)
    if article.kind != ArticleKind.GUIDE:
        raise conflict(_("Only guides have steps."), "not_a_guide")
    errors = Errors()
    title = text(errors, "title", title, max_length=200, required=True)
    body = _clean_rich(errors, "text", text_, max_length=10000)
    errors.raise_if_any()
    if article.steps.count() >= MAX_STEPS:
        raise conflict(_("A guide has at most %(n)s steps."), "too_many_steps", {"n": MAX_STEPS})
    picture = process_image(image, field="image") if image else None
    with transaction.atomic():
        last = article.steps.order_by("-position").values_list("position", flat=True).first() or 0
        step = GuideStep(article=article, position=last + 1, title=title, text=body)
        if picture is not None:
            step.image.save("step.jpg", ContentFile(picture.data), save=False)
            step.width, step.height = picture.width, picture.height
        step.save()
        audit.record(
            actor=actor, action="knowledge.article_steps", instance=article, after={"added": title}
        )
        if article.status != ArticleStatus.DRAFT:
            bump_version()
    return step


def step_delete(*, actor: Actor, step: GuideStep) -> None:
    Article.policy.require(actor, "change", step.article)
    name, storage = step.image.name, step.image.storage
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="knowledge.article_steps",
            instance=step.article,
            after={"deleted": step.title},
        )
        step.delete()
        for position, other in enumerate(step.article.steps.order_by("position", "pk"), start=1):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
        transaction.on_commit(lambda: storage.delete(name) if name else None)
