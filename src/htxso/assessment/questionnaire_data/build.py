"""Write ``dx_questionnaire_v1.xlsx`` from ``content_v1.py`` and check it with pyxform.

Run after changing the content: ``.venv/bin/python -m htxso.assessment.questionnaire_data.build``
(a test fails when the shipped workbook no longer matches the content).
"""

from __future__ import annotations

import sys

from htxso.assessment.questionnaire_data import V1_XLSX
from htxso.assessment.questionnaire_data.content_v1 import spec
from htxso.assessment.xlsform_survey import check_with_pyxform, write_xlsform


def main() -> int:
    data = write_xlsform(spec())
    check_with_pyxform(data)
    V1_XLSX.write_bytes(data)
    sys.stdout.write(f"wrote {V1_XLSX} ({len(data)} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
