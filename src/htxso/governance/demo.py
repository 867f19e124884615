"""Governance demo data (ORDER 84: after the registry and accounts, before the results
app).  Four parts, each idempotent: registers and capital, assemblies, votes with
minutes, disclosures and the member portal."""

from __future__ import annotations

import importlib

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext

ORDER = 84

PARTS = ("demo_register", "demo_assemblies", "demo_votes", "demo_portal")


def seed(ctx: DemoContext) -> None:
    for name in PARTS:
        try:
            part = importlib.import_module(f"htxso.governance.{name}")
        except ModuleNotFoundError:  # a part not written yet
            continue
        part.seed(actor=OPERATOR)
    ctx.log("governance: registers and capital, assemblies, votes, disclosures")
