"""Reads of administrative units (for pickers, forms and filters)."""

from __future__ import annotations

from django.db.models import QuerySet

from htxso.core.text import fold

from .models import Province, Ward


def provinces() -> QuerySet[Province]:
    """The 34 provinces, in official code order."""
    return Province.objects.order_by("code")


def wards_of(province_code: str, q: str | None = None) -> QuerySet[Ward]:
    """Wards of one province, optionally filtered by ``q``.

    ``q`` is matched without accents or case, word by word, so "tan an", "Tân An"
    and "P. Tân An" all find "Phường Tân An"; every word must appear in the name.
    Results are ordered by the folded name.
    """
    qs = Ward.objects.filter(province_id=province_code)
    for word in _query_words(q):
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("search_text", "code")


# Unit-word abbreviations a user may type in a ward search.
_ABBREVIATIONS = {"p": "phuong", "x": "xa", "dk": "dac khu"}


def _query_words(q: str | None) -> list[str]:
    words = fold((q or "")[:200]).split()
    return [_ABBREVIATIONS.get(word, word) for word in words]
