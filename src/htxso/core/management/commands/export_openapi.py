"""Write the OpenAPI document of /api/v1/ to a file (the committed snapshot)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def openapi_text() -> str:
    from htxso.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Export the OpenAPI schema of the API to a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(openapi_text(), encoding="utf-8")
        self.stdout.write(f"Wrote {target}")
