"""Finding the organisation a member, worker or annual-figure row belongs to."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..models import Organisation
from .engine import Context, Item
from .values import Problem


class OrganisationLookup:
    """Organisation of each row: the job's own organisation (a manager's import), or
    the one named by the row's tax code, which must be in the job's province."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cache: dict[str, tuple | None] = {}

    def check(self, item: Item) -> None:
        org = self.ctx.organisation
        tax = item.values.get("org_tax_code")
        if org is not None:
            if tax and tax != org.tax_code:
                item.problems.append(
                    Problem.new(
                        "org_other",
                        _("The tax code %(code)s is not that of %(name)s."),
                        code=tax,
                        name=org.name,
                    )
                )
            return
        if not tax and not any(p.code.startswith("tax_code") for p in item.problems):
            item.problems.append(
                Problem.new("org_tax_code_missing", _("The organisation's tax code is missing."))
            )

    def resolve(self, items: list[Item]) -> None:
        """Set ``item.values["organisation_id"]`` or add a problem."""
        if self.ctx.organisation is not None:
            for item in items:
                item.values["organisation_id"] = self.ctx.organisation.pk
            return
        wanted = {i.values["org_tax_code"] for i in items} - set(self.cache)
        if wanted:
            for pk, code, province, pname in Organisation.objects.filter(
                tax_code__in=wanted
            ).values_list("pk", "tax_code", "province_id", "province__name"):
                self.cache[code] = (pk, province, pname)
            for code in wanted:
                self.cache.setdefault(code, None)
        for item in items:
            code = item.values["org_tax_code"]
            found = self.cache.get(code)
            if found is None:
                item.problems.append(
                    Problem.new(
                        "org_not_found",
                        _(
                            "No organisation has the tax code %(code)s:"
                            " import the organisation first."
                        ),
                        code=code,
                    )
                )
            elif self.ctx.province is not None and found[1] != self.ctx.province.pk:
                item.problems.append(
                    Problem.new(
                        "org_other_province",
                        _(
                            "The organisation with tax code %(code)s is in %(province)s,"
                            " not in yours."
                        ),
                        code=code,
                        province=found[2],
                    )
                )
            else:
                item.values["organisation_id"] = found[0]
