"""API of the knowledge base (prefix ``/support/knowledge``): published model cases and
articles, public and read-only.  Errors: ``not_found`` (missing or unpublished),
``validation_error`` (a filter out of range, an id past 2**63)."""

import datetime as dt

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from htxso.core.api import route
from htxso.core.schemas import Id, Offset, Text

from . import selectors
from .models import Article, ArticleKind, CaseStatus, ModelCase, public_articles_q

router = Router(tags=["support-knowledge"])


class FigureOut(Schema):
    label: str
    value: int
    unit: str
    year: int | None
    source: str = Field(description="registry (from the registry's annual report) or declared")


class CaseOut(Schema):
    id: int
    title: str
    organisation_id: int
    organisation: str
    province_code: str
    province: str
    sector: str
    themes: list[str]
    summary: str
    published_at: dt.datetime | None
    url: str


class CaseDetailOut(CaseOut):
    what_done_html: str
    results_html: str
    costs_html: str
    lessons_html: str
    figures: list[FigureOut]
    contact: dict[str, str] | None = Field(
        None, description="Only when the contact agreed to be shown"
    )


class StepOut(Schema):
    position: int
    title: str
    text_html: str
    image_url: str | None


class ArticleOut(Schema):
    id: int
    kind: str
    title: str
    title_en: str
    summary: str
    province_code: str | None
    tags: list[str]
    published_at: dt.datetime | None
    url: str


class ArticleDetailOut(ArticleOut):
    summary_en: str
    body_html: str
    body_en_html: str
    steps: list[StepOut]
    links: list[str]
    course_url: str


class CaseQuery(Schema):
    q: Text = Field("", max_length=100, description="Search words; accents optional")
    province: str = Field("", pattern=r"^(\d{2})?$")
    sector: str = Field("", max_length=20, pattern=r"^[a-z_]*$")
    theme: str = Field("", max_length=20, pattern=r"^[a-z_]*$")
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


class ArticleQuery(Schema):
    q: Text = Field("", max_length=100, description="Search words; accents optional")
    kind: str = Field("", pattern=r"^(news|guide)?$")
    province: str = Field("", pattern=r"^(\d{2})?$", description="National and this province")
    tag: Text = Field("", max_length=50)
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


def _case(c: ModelCase) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "organisation_id": c.organisation_id,
        "organisation": c.organisation.name,
        "province_code": c.province_id,
        "province": c.province.name,
        "sector": c.sector,
        "themes": c.theme_list,
        "summary": c.summary,
        "published_at": c.published_at,
        "url": reverse("knowledge:case_detail", args=[c.pk]),
    }


def _article(a: Article) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": a.title,
        "title_en": a.title_en,
        "summary": a.summary,
        "province_code": a.province_id,
        "tags": a.tag_list,
        "published_at": a.published_at,
        "url": reverse("knowledge:article_detail", args=[a.pk]),
    }


@route(router.get, "/cases", public=True, response=list[CaseOut], summary="Published model cases")
def case_list(request, filters: Query[CaseQuery]):
    qs = selectors.public_cases(
        q=filters.q, province=filters.province, sector=filters.sector, theme=filters.theme
    )
    return [_case(c) for c in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/cases/{case_id}",
    public=True,
    response=CaseDetailOut,
    summary="One published model case (404 not_found when missing or unpublished)",
)
def case_detail(request, case_id: Id):
    case = selectors.case_detail_qs().filter(pk=case_id, status=CaseStatus.PUBLISHED).first()
    if case is None:
        raise Http404
    contact = None
    if case.shows_contact:
        contact = {
            "name": case.contact_name,
            "position": case.contact_role,
            "phone": case.contact_phone,
            "email": case.contact_email,
        }
    return {
        **_case(case),
        "what_done_html": case.what_done,
        "results_html": case.results,
        "costs_html": case.costs,
        "lessons_html": case.lessons,
        "figures": [
            {"label": f.label, "value": f.value, "unit": f.unit, "year": f.year, "source": f.source}
            for f in case.figures.all()
        ],
        "contact": contact,
    }


@route(
    router.get,
    "/articles",
    public=True,
    response=list[ArticleOut],
    summary="Published news and guides",
)
def article_list(request, filters: Query[ArticleQuery]):
    qs = selectors.public_articles(
        q=filters.q, kind=filters.kind, province=filters.province, tag=filters.tag
    )
    return [_article(a) for a in qs[filters.offset : filters.offset + filters.limit]]


@route(
    router.get,
    "/articles/{article_id}",
    public=True,
    response=ArticleDetailOut,
    summary="One published article or guide with its steps (404 not_found when unpublished)",
)
def article_detail(request, article_id: Id):
    article = Article.objects.filter(public_articles_q(), pk=article_id).first()
    if article is None:
        raise Http404
    steps = []
    if article.kind == ArticleKind.GUIDE:
        steps = [
            {
                "position": s.position,
                "title": s.title,
                "text_html": s.text,
                "image_url": reverse("knowledge:step_image", args=[s.pk]) if s.image else None,
            }
            for s in article.steps.all()
        ]
    return {
        **_article(article),
        "summary_en": article.summary_en,
        "body_html": article.body,
        "body_en_html": article.body_en,
        "steps": steps,
        "links": article.link_list,
        "course_url": article.course_url,
    }
