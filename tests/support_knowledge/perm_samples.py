"""Permission-test samples of the knowledge base (read by tests/permissions/samples.py).

Every sample is Cao Bằng's (04): a published case (of a cooperative whose name is no
marker) and a draft case of a1, each with a photo; a published and a draft guide of the
province, each with a cover and a step image.  The URL samples of pictures are the
drafts' (the public must get 404).  WORLD makes the same on Đắk Lắk's side (66).
"""

from __future__ import annotations

#: markers of tests/permissions/perm_samples_lists.py: drafts carry them (nobody outside
#: the province may see a draft); published rows carry none (they are public)
TAG = {"a1": "HopGiangMau", "b1": "EaTuMau"}


def _public_org(w, key: str):
    """A cooperative whose name is no marker: published cases show their cooperative's
    name to everyone.  Both sides use Cao Bằng's (a published case is public, so its
    province does not matter to the leak test), because a second organisation in Đắk
    Lắk would change what officer_b's pages answer (one editable organisation: trace
    home redirects to it)."""
    from htxso.registry.models import Organisation

    province = w.orgs["a1"].province_id
    org, _created = Organisation.objects.get_or_create(
        name=f"Tổ hợp tác Mô Hình Công Khai {province}",
        defaults={"kind": "group", "province_id": province},
    )
    return org


def _case(w, key: str, *, published: bool):
    from htxso.core.actors import OPERATOR
    from htxso.support.knowledge import services
    from htxso.support.knowledge.models import ModelCase
    from tests.support_knowledge.helpers import case_data, jpeg

    if published:
        org, title = _public_org(w, key), f"Mô hình công khai {key}"
    else:
        org, title = w.orgs[key], f"Mô hình nháp {TAG[key]}"
    found = ModelCase.objects.filter(title=title).first()
    if found:
        return found
    case = services.case_save(actor=OPERATOR, organisation=org, data=case_data(title=title))
    services.case_photo_add(actor=OPERATOR, case=case, file=jpeg())
    if published:
        case = services.case_set_status(actor=OPERATOR, case=case, status="published")
    return case


def _article(w, key: str, *, published: bool):
    from htxso.core.actors import OPERATOR
    from htxso.support.knowledge import services
    from htxso.support.knowledge.models import Article
    from tests.support_knowledge.helpers import article_data, jpeg

    title = f"Hướng dẫn công khai {key}" if published else f"Hướng dẫn nháp {TAG[key]}"
    found = Article.objects.filter(title=title).first()
    if found:
        return found
    article = services.article_save(
        actor=OPERATOR,
        data=article_data(title=title, province=w.orgs[key].province_id),
        cover=jpeg(),
    )
    services.step_add(actor=OPERATOR, article=article, title="Bước một", image=jpeg())
    if published:
        article = services.article_set_status(actor=OPERATOR, article=article, status="published")
    return article


def WORLD(w):
    for key in ("a1", "b1"):
        _case(w, key, published=True)
        _case(w, key, published=False)
        _article(w, key, published=True)
        _article(w, key, published=False)


def _published_case(w):
    return {"pk": _case(w, "a1", published=True).pk}


def _draft_case(w):
    return {"pk": _case(w, "a1", published=False).pk}


def _published_article(w):
    return {"pk": _article(w, "a1", published=True).pk}


def _draft_article(w):
    return {"pk": _article(w, "a1", published=False).pk}


def _photo(w):
    return {"pk": _case(w, "a1", published=False).photos.first().pk}


def _step(w):
    return {"pk": _article(w, "a1", published=False).steps.first().pk}


SAMPLES = {
    "knowledge:case_detail": lambda w: (_published_case(w), None),
    "knowledge:case_photo": lambda w: (_photo(w), None),
    "knowledge:article_detail": lambda w: (_published_article(w), None),
    "knowledge:article_image": lambda w: (_draft_article(w), None),
    "knowledge:step_image": lambda w: (_step(w), None),
    "knowledge:case_edit": lambda w: (_draft_case(w), None),
    "knowledge:case_figures": lambda w: (_draft_case(w), None),
    "knowledge:case_photos": lambda w: (_draft_case(w), None),
    "knowledge:case_status": lambda w: (_draft_case(w), None),
    "knowledge:article_edit": lambda w: (_draft_article(w), None),
    "knowledge:article_steps": lambda w: (_draft_article(w), None),
    "knowledge:article_status": lambda w: (_draft_article(w), None),
}

API_SAMPLES = {
    "/api/v1/support/knowledge/cases/{case_id}": lambda w: {
        "case_id": _case(w, "a1", published=True).pk
    },
    "/api/v1/support/knowledge/articles/{article_id}": lambda w: {
        "article_id": _article(w, "a1", published=True).pk
    },
}
