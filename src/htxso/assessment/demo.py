"""DX assessment demo data (ORDER 85: after the registry, accounts and programmes, before
the results app, whose "approved DX plan" indicator reads it).

Three parts, each idempotent: the questionnaire and the Cao Bằng and Đắk Lắk
cooperatives' rounds T0 and T1 with their DX leads (``demo_survey``), the EU project's
cohort and more rounds for the province map (``demo_impact``), then plans in every state
and the youth network, proposed from the submitted rounds (``demo_plans``).
"""

from __future__ import annotations

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext

from . import demo_impact, demo_plans, demo_survey

ORDER = 85


def seed(ctx: DemoContext) -> None:
    demo_survey.seed(actor=OPERATOR, log=ctx.log)
    demo_impact.seed(actor=OPERATOR)
    demo_plans.seed(actor=OPERATOR)
    ctx.log("assessment: questionnaire v1, rounds T0/T1, cohort, plans, youth network")
