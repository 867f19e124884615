"""VSIC 2018 business lines → the registry's sectors, through the ``VsicSector`` table
(seeded from ``registry/data/vsic2018_sectors.csv`` by migration 0007).  The longest
prefix of a code found in the table wins; codes found nowhere are *unknown* (listed on
the review page, never guessed)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..models.extracts import VsicSector

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "vsic2018_sectors.csv"


def csv_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class VsicTable:
    def __init__(self) -> None:
        self.codes: dict[str, str] = dict(VsicSector.objects.values_list("code", "sector"))
        if not self.codes:  # a flushed test database: the shipped table
            self.codes = {r["code"]: r["sector"] for r in csv_rows()}

    def sector(self, code: str) -> str:
        for size in range(len(code), 1, -1):
            found = self.codes.get(code[:size])
            if found:
                return found
        return ""

    def main_sector(self, codes: list[str]) -> str:
        """The sector of the first business line that maps (the main line comes first)."""
        for code in codes:
            found = self.sector(code)
            if found:
                return found
        return ""

    def unknown(self, codes: list[str]) -> list[str]:
        return [c for c in codes if not self.sector(c)]
