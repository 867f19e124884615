"""Template tags of the programs app (the home-page card)."""

from django import template

register = template.Library()


@register.simple_tag
def programs_home_card(user):
    """Role-aware figures for the home page (see ``selectors.home_card``).

    ``can_open_applications`` applies the access rule of the application page itself,
    so the card links an application only for a user that page lets in (a plain
    member sees the status, without a link answering 403)."""
    from ..selectors import home_card
    from ..views_applications import application_detail

    card = home_card(user)
    card["can_open_applications"] = application_detail.htxso_access.allows(user)
    return card
