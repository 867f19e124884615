"""Pages of the knowledge base: public lists and pages of model cases, news and guides
(with their pictures and a news feed), and the staff pages that write them.

Thin: parse (a Django form) → access (``@access`` and the models' policy) → service or
selector → render.  An unpublished item is a 404 for anyone who may not edit it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from htxso.core import roles
from htxso.core.access import access
from htxso.core.formatting import format_number, format_vnd
from htxso.core.policy import get_allowed_or_404, holds
from htxso.geo.models import Province
from htxso.registry.models import Organisation

from . import selectors, services
from .forms import (
    ArticleFilterForm,
    ArticleForm,
    CaseFilterForm,
    CaseForm,
    FigureForm,
    PhotoForm,
    StatusForm,
    StepForm,
)
from .models import Article, ArticleKind, CaseFigure, CasePhoto, CaseStatus, GuideStep, ModelCase

PAGE_SIZE = 12
#: the sibling app ``support`` owns the service-request form; its URL name and the
#: query parameters it reads (agreed with the lead: see the report)
REQUEST_URL_NAME = "support:new"


def _provinces() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name").values_list("code", "name"))


def _visit_url(case: ModelCase) -> str | None:
    """The link "ask to visit or be advised by this cooperative", or None while the
    support app has no request form."""
    try:
        base = reverse(REQUEST_URL_NAME)
    except NoReverseMatch:
        return None
    return f"{base}?type=model_visit&case={case.pk}"


def _figure_text(figure: CaseFigure) -> str:
    if figure.unit == "VND":
        return format_vnd(figure.value, language=get_language() or "vi")
    if figure.unit == "%":
        return f"{format_number(figure.value)}%"
    unit = {"people": _("persons")}.get(figure.unit, figure.unit)
    return f"{format_number(figure.value)} {unit}".strip()


def _figure_source(figure: CaseFigure) -> str:
    if figure.source == "registry":
        return _("from the registry, year %(year)s") % {"year": figure.year}
    if figure.year:
        return _("declared, year %(year)s") % {"year": figure.year}
    return _("declared")


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# ------------------------------------------------------------------ public: model cases


@access(public=True)
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, provinces=_provinces())
    values = {n: (form.value(n) or "") for n in ("q", "province", "sector", "theme")}
    qs = selectors.public_cases(**values)
    page = Paginator(qs, PAGE_SIZE).get_page(form.value("page") or 1)
    return render(
        request, "support/knowledge/case_list.html", {"form": form, "page": page, "values": values}
    )


@access(public=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail_qs().filter(pk=pk).first()
    if case is None:
        raise Http404
    may_edit = ModelCase.policy.allows(request.user, "change", case)
    if not case.is_public and not may_edit:
        raise Http404
    figures = [
        {"label": f.label, "value": _figure_text(f), "source": _figure_source(f), "kind": f.source}
        for f in case.figures.all()
    ]
    photos = list(case.photos.all())
    user = request.user
    visit_url = _visit_url(case)
    show_visit = (
        bool(visit_url)
        and case.is_public
        and (not user.is_authenticated or holds(user, roles.MANAGERS))
    )
    return render(
        request,
        "support/knowledge/case_detail.html",
        {
            "case": case,
            "figures": figures,
            "photos": photos,
            "may_edit": may_edit,
            "visit_url": visit_url if show_visit else None,
            "share_url": _absolute(request, reverse("knowledge:case_detail", args=[case.pk])),
            "og_image": _absolute(request, reverse("knowledge:case_photo", args=[photos[0].pk]))
            if photos
            else "",
            "description": case.summary[:300],
        },
    )


def _image_response(field: Any, *, public: bool) -> FileResponse:
    if not field or not field.name:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@access(public=True)
def case_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = CasePhoto.objects.select_related("case").filter(pk=pk).first()
    if photo is None:
        raise Http404
    public = photo.case.is_public
    if not public and not ModelCase.policy.allows(request.user, "change", photo.case):
        raise Http404
    return _image_response(photo.image, public=public)


# ------------------------------------------------------------------ public: articles


def _localised(article: Article) -> dict[str, str]:
    english = (get_language() or "vi").startswith("en")
    if english and article.title_en:
        return {
            "title": article.title_en,
            "summary": article.summary_en or article.summary,
            "body": article.body_en or article.body,
        }
    return {"title": article.title, "summary": article.summary, "body": article.body}


@access(public=True)
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET or None, provinces=_provinces())
    values = {n: (form.value(n) or "") for n in ("q", "kind", "province", "tag")}
    qs = selectors.public_articles(**values)
    page = Paginator(qs, PAGE_SIZE).get_page(form.value("page") or 1)
    rows = [(a, _localised(a)) for a in page.object_list]
    return render(
        request,
        "support/knowledge/article_list.html",
        {"form": form, "page": page, "rows": rows, "values": values},
    )


@access(public=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = Article.objects.select_related("province").filter(pk=pk).first()
    if article is None:
        raise Http404
    may_edit = Article.policy.allows(request.user, "change", article)
    if not article.is_public and not may_edit:
        raise Http404
    steps = list(article.steps.all()) if article.kind == ArticleKind.GUIDE else []
    text = _localised(article)
    return render(
        request,
        "support/knowledge/article_detail.html",
        {
            "article": article,
            "text": text,
            "steps": steps,
            "may_edit": may_edit,
            "share_url": _absolute(request, reverse("knowledge:article_detail", args=[article.pk])),
            "og_image": _absolute(request, reverse("knowledge:article_image", args=[article.pk]))
            if article.cover
            else "",
            "description": text["summary"][:300],
            "links": article.link_list,
        },
    )


@access(public=True)
def article_image(request: HttpRequest, pk: int) -> FileResponse:
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise Http404
    public = article.is_public
    if not public and not Article.policy.allows(request.user, "change", article):
        raise Http404
    return _image_response(article.cover, public=public)


@access(public=True)
def step_image(request: HttpRequest, pk: int) -> FileResponse:
    step = GuideStep.objects.select_related("article").filter(pk=pk).first()
    if step is None:
        raise Http404
    public = step.article.is_public
    if not public and not Article.policy.allows(request.user, "change", step.article):
        raise Http404
    return _image_response(step.image, public=public)


# ------------------------------------------------------------------ staff


@access(roles=services.WRITERS)
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "support/knowledge/manage.html",
        {
            "cases": list(selectors.editable_cases(user)[:100]),
            "articles": list(selectors.editable_articles(user)[:100]),
        },
    )


def _writable_organisations(user: Any) -> list[tuple[int, str]]:
    everywhere, provinces, _o = ModelCase.policy.reach(user, "change")
    qs = (
        Organisation.objects.all()
        if everywhere
        else Organisation.objects.filter(province_id__in=provinces)
    )
    return [(pk, name) for pk, name in qs.order_by("name").values_list("pk", "name")[:2000]]


@access(roles=services.WRITERS)
def case_create(request: HttpRequest) -> HttpResponse:
    organisations = _writable_organisations(request.user)
    form = CaseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = (
            Organisation.objects.select_related("province")
            .filter(pk=form.cleaned_data["organisation"])
            .first()
        )
        if organisation is None:
            raise Http404
        case = form.apply(
            lambda: services.case_save(
                actor=request.user, organisation=organisation, data=form.data_dict()
            )
        )
        if case is not None:
            messages.success(request, _("The case is saved as a draft. Add figures and photos."))
            return redirect("knowledge:case_edit", pk=case.pk)
    return render(request, "support/knowledge/case_form.html", {"form": form, "case": None})


def _case_for_edit(request: HttpRequest, pk: int) -> ModelCase:
    return get_allowed_or_404(
        ModelCase.objects.select_related("organisation", "province"), request.user, "change", pk=pk
    )


def _case_page(request: HttpRequest, case: ModelCase, **forms: Any) -> HttpResponse:
    context = {
        "case": case,
        "form": forms.get("form") or CaseForm(initial=_case_initial(case)),
        "figure_form": forms.get("figure_form") or FigureForm(),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "figures": [
            {"obj": f, "value": _figure_text(f), "source": _figure_source(f)}
            for f in case.figures.all()
        ],
        "photos": list(case.photos.all()),
    }
    return render(request, "support/knowledge/case_form.html", context)


def _case_initial(case: ModelCase) -> dict[str, Any]:
    fields = [
        "title",
        "summary",
        "what_done",
        "results",
        "costs",
        "lessons",
        "contact_name",
        "contact_role",
        "contact_phone",
        "contact_email",
        "contact_consent",
    ]
    return {**{f: getattr(case, f) for f in fields}, "themes": case.theme_list}


@access(roles=services.WRITERS)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid() and form.apply(
            lambda: services.case_save(actor=request.user, case=case, data=form.data_dict())
        ):
            messages.success(request, _("Saved."))
            return redirect("knowledge:case_edit", pk=case.pk)
        return _case_page(request, case, form=form)
    return _case_page(request, case)


@access(roles=services.WRITERS)
@require_POST
def case_figures(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    form = FigureForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if d["action"] == "add":
            done = form.apply(
                lambda: services.case_figure_add(
                    actor=request.user,
                    case=case,
                    label=d["label"],
                    value=d["value"],
                    unit=d["unit"],
                    year=d["year"],
                )
            )
        elif d["action"] == "import":
            done = form.apply(
                lambda: services.case_figures_from_registry(
                    actor=request.user, case=case, year=d["year"]
                )
            )
        else:
            figure = case.figures.filter(pk=d["figure"]).first()
            if figure is None:
                raise Http404
            done = form.apply(
                lambda: services.case_figure_delete(actor=request.user, figure=figure) or True
            )
        if done:
            messages.success(request, _("Figures updated."))
            return redirect("knowledge:case_edit", pk=case.pk)
    return _case_page(request, case, figure_form=form)


@access(roles=services.WRITERS)
@require_POST
def case_photos(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        if d["action"] == "add":
            done = form.apply(
                lambda: services.case_photo_add(
                    actor=request.user, case=case, file=d["image"], caption=d["caption"]
                )
            )
        else:
            photo = case.photos.filter(pk=d["photo"]).first()
            if photo is None:
                raise Http404
            done = form.apply(
                lambda: services.case_photo_delete(actor=request.user, photo=photo) or True
            )
        if done:
            messages.success(request, _("Photos updated."))
            return redirect("knowledge:case_edit", pk=case.pk)
    return _case_page(request, case, photo_form=form)


@access(roles=services.WRITERS)
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid() and form.cleaned_data["status"] in CaseStatus.values:
        status = form.cleaned_data["status"]
        if form.apply(
            lambda: services.case_set_status(actor=request.user, case=case, status=status)
        ):
            messages.success(request, _("Status changed."))
            if status == CaseStatus.PUBLISHED:
                return redirect("knowledge:case_detail", pk=case.pk)
    else:
        messages.error(request, _("Unknown status."))
    return redirect("knowledge:case_edit", pk=case.pk)


def _article_form(
    request: HttpRequest, data: Any = None, files: Any = None, **kw: Any
) -> ArticleForm:
    everywhere, provinces, _o = Article.policy.reach(request.user, "change")
    choices = _provinces() if everywhere else [(c, n) for c, n in _provinces() if c in provinces]
    return ArticleForm(data, files, provinces=choices, national=everywhere, **kw)


def _article_data(form: ArticleForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "cover"}


@access(roles=services.WRITERS)
def article_create(request: HttpRequest) -> HttpResponse:
    form = _article_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        article = form.apply(
            lambda: services.article_save(
                actor=request.user, data=_article_data(form), cover=form.cleaned_data.get("cover")
            )
        )
        if article is not None:
            messages.success(request, _("Saved as a draft."))
            return redirect("knowledge:article_edit", pk=article.pk)
    return render(request, "support/knowledge/article_form.html", {"form": form, "article": None})


def _article_page(request: HttpRequest, article: Article, **forms: Any) -> HttpResponse:
    initial = {
        f: getattr(article, f)
        for f in [
            "kind",
            "title",
            "summary",
            "body",
            "title_en",
            "summary_en",
            "body_en",
            "tags",
            "policy_links",
            "course_url",
        ]
    }
    initial["province"] = article.province_id or ""
    return render(
        request,
        "support/knowledge/article_form.html",
        {
            "article": article,
            "form": forms.get("form") or _article_form(request, initial=initial),
            "step_form": forms.get("step_form") or StepForm(),
            "steps": list(article.steps.all()),
        },
    )


def _article_for_edit(request: HttpRequest, pk: int) -> Article:
    return get_allowed_or_404(
        Article.objects.select_related("province"), request.user, "change", pk=pk
    )


@access(roles=services.WRITERS)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for_edit(request, pk)
    if request.method == "POST":
        form = _article_form(request, request.POST, request.FILES)
        if form.is_valid() and form.apply(
            lambda: services.article_save(
                actor=request.user,
                article=article,
                data=_article_data(form),
                cover=form.cleaned_data.get("cover"),
            )
        ):
            messages.success(request, _("Saved."))
            return redirect("knowledge:article_edit", pk=article.pk)
        return _article_page(request, article, form=form)
    return _article_page(request, article)


@access(roles=services.WRITERS)
@require_POST
def article_steps(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for_edit(request, pk)
    form = StepForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        if d["action"] == "add":
            done = form.apply(
                lambda: services.step_add(
                    actor=request.user,
                    article=article,
                    title=d["title"],
                    text_=d["text"],
                    image=d["image"],
                )
            )
        else:
            step = article.steps.filter(pk=d["step"]).first()
            if step is None:
                raise Http404
            done = form.apply(lambda: services.step_delete(actor=request.user, step=step) or True)
        if done:
            messages.success(request, _("Steps updated."))
            return redirect("knowledge:article_edit", pk=article.pk)
    return _article_page(request, article, step_form=form)


@access(roles=services.WRITERS)
@require_POST
def article_status(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for_edit(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid() and form.cleaned_data["status"] != "withdrawn":
        status = form.cleaned_data["status"]
        done = form.apply(
            lambda: services.article_set_status(
                actor=request.user, article=article, status=status, publish_at=form.when()
            )
        )
        if done:
            messages.success(request, _("Status changed."))
            if status == "published":
                return redirect("knowledge:article_detail", pk=article.pk)
            return redirect("knowledge:article_edit", pk=article.pk)
        for error in form.non_field_errors() + form.errors.get("publish_at", []):
            messages.error(request, error)
    else:
        messages.error(request, _("Unknown status."))
    return redirect("knowledge:article_edit", pk=article.pk)
