"""Load a DX questionnaire version from an XLSForm workbook.

``python -m htxso load_questionnaire FILE [--publish]``; without FILE, ``--packaged``
loads the questionnaire shipped with the package (version 1).  ``--export PK FILE``
writes a stored version back to an XLSForm workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from htxso.assessment import selectors_survey, services_survey
from htxso.assessment.models import Questionnaire
from htxso.assessment.questionnaire_data import V1_XLSX
from htxso.core.actors import OPERATOR
from htxso.core.errors import ServiceError


class Command(BaseCommand):
    help = "Load a DX questionnaire from an XLSForm (.xlsx), or export one to it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="The XLSForm workbook (.xlsx).")
        parser.add_argument("--packaged", action="store_true", help="Load the shipped version 1.")
        parser.add_argument("--publish", action="store_true", help="Publish it at once.")
        parser.add_argument("--export", type=int, metavar="ID", help="Export version ID to FILE.")

    def handle(
        self,
        *args: Any,
        file: str | None,
        packaged: bool,
        publish: bool,
        export: int | None,
        **opts: Any,
    ) -> None:
        if export is not None:
            if not file:
                raise CommandError("--export needs the FILE to write.")
            qn = Questionnaire.objects.filter(pk=export).first()
            if qn is None:
                raise CommandError(f"No questionnaire {export}.")
            Path(file).write_bytes(selectors_survey.questionnaire_xlsform(qn))
            self.stdout.write(f"{file}: {qn.code} v{qn.version}")
            return
        path = V1_XLSX if packaged else Path(file) if file else None
        if path is None:
            raise CommandError("Give FILE or --packaged.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            qn = services_survey.questionnaire_import(
                actor=OPERATOR, data=path.read_bytes(), publish=publish
            )
        except ServiceError as exc:
            raise CommandError(exc.text) from None
        self.stdout.write(
            f"{qn.code} v{qn.version}: {qn.questions.count()} questions ({qn.get_status_display()})"
        )
