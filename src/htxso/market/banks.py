"""Vietnamese banks that receive VietQR transfers, read from the shipped BIN list.

The list (``market/data/banks.csv``) holds the NAPAS acquirer id ("BIN", 6 digits), the
short name people know and the full legal name. It ships with the product: choosing a
bank and building a VietQR code never needs the network.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BANKS", "BANK_CHOICES", "Bank", "bank_by_bin", "is_known_bin"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "banks.csv"


@dataclass(frozen=True, slots=True)
class Bank:
    bin: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        """``"Vietcombank — Ngân hàng TMCP Ngoại thương Việt Nam"``."""
        return f"{self.short_name} — {self.name}"

    def __str__(self) -> str:
        return self.short_name


def _load() -> tuple[Bank, ...]:
    banks: list[Bank] = []
    seen: set[str] = set()
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines):
            bin_ = row["bin"].strip()
            if len(bin_) != 6 or not bin_.isdigit() or bin_ in seen:
                raise ValueError(f"bad or duplicate BIN in {DATA_FILE.name}: {bin_!r}")
            seen.add(bin_)
            banks.append(Bank(bin_, row["short_name"].strip(), row["name"].strip()))
    banks.sort(key=lambda bank: bank.short_name.casefold())
    return tuple(banks)


BANKS: tuple[Bank, ...] = _load()
_BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in BANKS}

# For a ChoiceField/CharField(choices=...): value is the BIN.
BANK_CHOICES: list[tuple[str, str]] = [(bank.bin, bank.label) for bank in BANKS]


def bank_by_bin(bin: str | None) -> Bank | None:
    """The bank with this BIN, or ``None``."""
    if not bin:
        return None
    return _BY_BIN.get(str(bin).strip())


def is_known_bin(bin: str | None) -> bool:
    return bank_by_bin(bin) is not None
