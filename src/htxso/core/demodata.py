"""The demo-data framework.

Each app may have a ``demo`` module with ``ORDER`` (int) and ``seed(ctx)``.
``python -m htxso seed_demo`` runs them in ``ORDER`` inside one transaction per app.
Every step must be idempotent: running the command twice changes nothing.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

#: Provinces every module seeds demo data in (new 2025 codes).
DEMO_PROVINCES = {
    "01": "hanoi",
    "04": "caobang",
    "19": "thainguyen",
    "40": "nghean",
    "66": "daklak",
}
DEMO_PASSWORD = "HtxSo@2026"
#: The GTIN-14 of the demo cooperative's packaged ground coffee (the first cooperative in
#: Đắk Lắk): the traceability demo records its lots and the market demo sells it, so the
#: product page and the trace page link to each other on this shared GS1 key without
#: either demo touching the other app's data.
DEMO_COFFEE_GTIN = "08938600710055"


@dataclass
class DemoContext:
    stdout: Any = None
    rng: random.Random = field(default_factory=lambda: random.Random(20251))
    data: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def demo_modules() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("htxso."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        found.append(module)
    return sorted(found, key=lambda m: getattr(m, "ORDER", 100))


def seed_all(stdout: Any = None) -> DemoContext:
    ctx = DemoContext(stdout=stdout)
    for module in demo_modules():
        with transaction.atomic():
            module.seed(ctx)
    return ctx
