"""Fill Vietnamese translations from a TSV file (msgid<TAB>msgstr) and clear fuzzy flags.

Usage: python scripts/po_fill.py translations.tsv   (maintainer tool, not run by CI)
"""

import sys

import polib

PO = "src/htxso/locale/vi/LC_MESSAGES/django.po"


def main(path: str) -> None:
    pairs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                msgid, msgstr = line.rstrip("\n").split("\t", 1)
                pairs[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    po = polib.pofile(PO)
    for entry in po:
        # Fill only what is missing or a fuzzy guess; a fuzzy guess without a supplied
        # translation stays fuzzy (and fails the catalogue test) until someone checks it.
        if entry.msgid in pairs and (not entry.translated() or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: pairs[entry.msgid]}
            else:
                entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(PO)
    left = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    print(f"{len(left)} untranslated", *left[:20], sep="\n")


if __name__ == "__main__":
    main(sys.argv[1])
