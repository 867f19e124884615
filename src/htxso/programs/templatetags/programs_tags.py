"""Template tags of the programs app (the home-page card)."""

from django import template

register = template.Library()


@register.simple_tag
def programs_home_card(user):
    """Role-aware figures for the home page (see ``selectors.home_card``)."""
    from ..selectors import home_card

    return home_card(user)
