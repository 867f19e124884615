"""``{% load support_policies %}{% eligible_policies organisation %}``: the block
"policies you may be eligible for" of an organisation, for the pages of other apps (the
service-request form, the organisation page through a hook).  Empty for a user who may
not see the organisation."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("support/policies/_eligible.html", takes_context=True)
def eligible_policies(context, organisation):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or organisation is None or not selectors.may_match(user, organisation):
        return {"hidden": True}
    matches = selectors.policies_for(user=user, organisation=organisation)
    return {"organisation": organisation, "matches": matches, "request": request}
