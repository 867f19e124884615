"""The packaged DX questionnaire: ``assessment/data/dx_questionnaire_v1.xlsx`` (an
XLSForm, shipped as package data) and the script that writes it from ``content_v1.py``
(``python -m htxso.assessment.questionnaire_data.build``)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the XLSForm shipped with the package, loaded by the demo and ``load_questionnaire``
V1_XLSX = HERE.parent / "data" / "dx_questionnaire_v1.xlsx"
