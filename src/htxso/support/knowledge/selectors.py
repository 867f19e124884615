"""Reads of the knowledge base.

The public reads what is published (:func:`public_cases`, :func:`public_articles`);
staff read their reach through the policy (:func:`editable_cases`,
:func:`editable_articles`).  Search is accent-free: the query is folded like the stored
``search_text`` (``core.text.fold``), so "mo gian hang" finds "Mở gian hàng".

:func:`latest_for` feeds the home page's "what's new for you": one SQL query (a UNION
of cases and articles) on a cache miss, nothing but a cache read on a hit.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from htxso.core.scoping import get_scope
from htxso.core.text import fold
from htxso.registry.models import Organisation

from .models import Article, CaseStatus, ModelCase, Theme, public_articles_q
from .services import VERSION_KEY

#: a search of more words than this is cut (each word is one LIKE)
MAX_WORDS = 8
CACHE_SECONDS = 600


def _search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    for word in fold(q).split()[:MAX_WORDS]:
        qs = qs.filter(search_text__contains=word)
    return qs


def public_cases(
    *, q: str = "", province: str = "", sector: str = "", theme: str = ""
) -> QuerySet[ModelCase]:
    qs = ModelCase.objects.filter(status=CaseStatus.PUBLISHED).select_related(
        "organisation", "province"
    )
    if province:
        qs = qs.filter(province_id=province)
    if sector:
        qs = qs.filter(sector=sector)
    if theme in Theme.values:
        qs = qs.filter(themes__contains=f"|{theme}|")
    return _search(qs, q).order_by("-published_at", "-pk")


def public_articles(
    *, q: str = "", kind: str = "", province: str = "", tag: str = ""
) -> QuerySet[Article]:
    qs = Article.objects.filter(public_articles_q()).select_related("province")
    if kind:
        qs = qs.filter(kind=kind)
    if province:
        qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
    if tag:
        qs = _search(qs, tag)
    return _search(qs, q).order_by("-published_at", "-pk")


def editable_cases(user: Any) -> QuerySet[ModelCase]:
    return (
        ModelCase.objects.allowed(user, "change")
        .select_related("organisation", "province")
        .order_by("-updated_at", "-pk")
    )


def editable_articles(user: Any) -> QuerySet[Article]:
    return (
        Article.objects.allowed(user, "change")
        .select_related("province")
        .order_by("-updated_at", "-pk")
    )


def case_detail_qs() -> QuerySet[ModelCase]:
    return ModelCase.objects.select_related("organisation", "province").prefetch_related(
        "figures", "photos"
    )


# ------------------------------------------------------------------ what's new


def _provinces_of(user: Any) -> tuple[frozenset[str], frozenset[int], bool]:
    if not getattr(user, "is_authenticated", False):
        return frozenset(), frozenset(), False
    scope = get_scope(user)
    provinces: set[str] = set(scope.view_provinces)
    for codes in scope.provinces_by_role.values():
        provinces |= set(codes)
    organisations = frozenset(scope.view_organisations | scope.member_organisations)
    return frozenset(provinces), organisations, bool(scope.national_roles)


def latest_for(user: Any, limit: int = 3) -> list[dict[str, Any]]:
    """The newest published articles and cases for ``user``: national articles, those
    of the user's provinces (a staff member's, or his organisations' province) and the
    model cases of the whole country (a model is worth copying anywhere).

    Items: ``{"kind", "title", "url", "date", "province"}``.  Cached per province set,
    language and version (bumped by every publication change)."""
    limit = max(1, min(int(limit), 10))
    provinces, organisations, national = _provinces_of(user)
    lang = translation.get_language() or "vi"
    version = cache.get(VERSION_KEY) or 1
    # scheduled articles appear on their own: the key also turns every 10 minutes
    tick = int(timezone.now().timestamp() // CACHE_SECONDS)
    who = (
        "all"
        if national
        else ",".join(sorted(provinces)) + "/" + ",".join(map(str, sorted(organisations)))
    )
    key = f"knowledge:latest:{version}:{tick}:{lang}:{limit}:{who}"[:240]
    found = cache.get(key)
    if found is not None:
        return found
    where = Q(province__isnull=True)
    if national:
        where = Q()
    else:
        if provinces:
            where |= Q(province_id__in=sorted(provinces))
        if organisations:
            where |= Q(
                province_id__in=Organisation.objects.filter(pk__in=sorted(organisations)).values(
                    "province_id"
                )
            )
    english = lang.startswith("en")
    articles = (
        Article.objects.filter(public_articles_q())
        .filter(where)
        .annotate(
            item_kind=F("kind"),
            item_title=F("title"),
            item_title_en=F("title_en"),
            item_province=Coalesce(F("province__name"), Value("")),
        )
        .values_list(
            "pk", "item_kind", "item_title", "item_title_en", "published_at", "item_province"
        )
        .order_by()
    )
    cases = (
        ModelCase.objects.filter(status=CaseStatus.PUBLISHED)
        .annotate(
            item_kind=Value("case"),
            item_title=F("title"),
            item_title_en=Value(""),
            item_province=F("province__name"),
        )
        .values_list(
            "pk", "item_kind", "item_title", "item_title_en", "published_at", "item_province"
        )
        .order_by()
    )
    rows = list(articles.union(cases, all=True).order_by("-published_at")[:limit])
    items = []
    for pk, kind, title, title_en, when, province in rows:
        if english and title_en:
            title = title_en
        name = "knowledge:case_detail" if kind == "case" else "knowledge:article_detail"
        items.append(
            {
                "kind": kind,
                "title": title,
                "url": reverse(name, kwargs={"pk": pk}),
                "date": when,
                "province": province or "",
            }
        )
    cache.set(key, items, CACHE_SECONDS)
    return items
