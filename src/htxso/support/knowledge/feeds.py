"""RSS feed of the national and provincial news (``django.contrib.syndication``)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from htxso.core.access import access

from . import selectors
from .content import plain_text
from .models import Article, ArticleKind

ITEMS = 30


class NewsFeed(Feed):
    title = _("HTX Số — news for cooperatives")
    description = _("News and guides on the digital transformation of cooperatives.")

    def link(self) -> str:
        return reverse("knowledge:article_list")

    def items(self) -> list[Article]:
        return list(selectors.public_articles(kind=ArticleKind.NEWS)[:ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return plain_text(item.summary, 500)

    def item_link(self, item: Article) -> str:
        return reverse("knowledge:article_detail", args=[item.pk])

    def item_pubdate(self, item: Article) -> Any:
        return item.published_at

    def item_categories(self, item: Article) -> list[str]:
        return item.tag_list


news_feed = access(public=True)(NewsFeed())
