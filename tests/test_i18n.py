"""The Vietnamese catalogue is complete, and English is complete too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "src" / "htxso" / "locale"


def test_every_vietnamese_string_is_translated():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"
    assert len(po) > 100


def test_english_catalogue_has_the_same_strings():
    vi = {e.msgid for e in polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))}
    en = {e.msgid for e in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))}
    assert vi == en


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs Debian's gettext (CI installs it)"
)
def test_catalogue_is_up_to_date(tmp_path):
    """Every string marked in the code is in the catalogue (makemessages into a copy)."""
    work = tmp_path / "htxso"
    src = Path(__file__).resolve().parents[1] / "src" / "htxso"
    shutil.copytree(src, work, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "htxso",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "static/*",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid for e in polib.pofile(str(work / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    }
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))}
    assert not fresh - committed, (
        f"run `make makemessages`: missing {sorted(fresh - committed)[:10]}"
    )
