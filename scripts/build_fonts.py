#!/usr/bin/env python3
"""Build the web fonts of HTX Số: Be Vietnam Pro cut down to Vietnamese + basic Latin.

One-off build step, not a runtime dependency.  Needs fontTools with brotli::

    .venv/bin/pip install fonttools brotli
    .venv/bin/python scripts/build_fonts.py

Sources: the @fontsource/be-vietnam-pro 5.3.0 woff2 files (``latin`` and
``vietnamese`` subsets of each weight, SIL OFL 1.1) kept in
``assets/fonts-src/be-vietnam-pro/``.  For each weight used by the CSS (400 and 600; the
600 face also serves bold text) the two subsets are merged into one font, cut to the
characters Vietnamese and English text need, stripped of hinting and of layout features
other than kerning and mark positioning, and written as woff2 to
``src/htxso/static/vendor/fonts/be-vietnam-pro/``, with the licence beside them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assets" / "fonts-src" / "be-vietnam-pro"
TARGET = ROOT / "src" / "htxso" / "static" / "vendor" / "fonts" / "be-vietnam-pro"
WEIGHTS = (400, 600)

# Printable ASCII, the Latin-1 letters and signs of Vietnamese and everyday text, the
# Vietnamese letters (precomposed and the combining tone marks), and typographic
# punctuation.  Characters outside fall back to the system font.
UNICODES = sorted(
    set(range(0x20, 0x7F))
    | set(range(0xA0, 0x100))
    | {0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0}
    | {0x300, 0x301, 0x303, 0x309, 0x323}
    | set(range(0x1EA0, 0x1EFA))
    | {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x20AB, 0x2212}
)
FEATURES = ["kern", "mark", "mkmk", "ccmp", "locl"]
#: name records kept: family, style, version, and the licence (OFL asks to keep it).
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]


def build_weight(weight: int, work: Path) -> Path:
    parts = []
    for part in ("latin", "vietnamese"):
        font = TTFont(SOURCE / f"be-vietnam-pro-{part}-{weight}-normal.woff2")
        font.flavor = None
        path = work / f"{part}-{weight}.ttf"
        font.save(path)
        parts.append(str(path))
    merged = Merger().merge(parts)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.hinting = False
    options.name_IDs = NAME_IDS
    options.glyph_names = False
    options.notdef_outline = True
    options.drop_tables += ["DSIG", "gasp"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(merged)
    out = TARGET / f"be-vietnam-pro-vi-{weight}.woff2"
    merged.flavor = "woff2"
    merged.save(out)
    return out


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for weight in WEIGHTS:
            out = build_weight(weight, Path(tmp))
            print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")
    shutil.copyfile(SOURCE / "LICENSE", TARGET / "LICENSE")


if __name__ == "__main__":
    main()
