"""Write the bulk export of the public registry (CSV + JSON Lines + manifest, zipped).

``python -m htxso export_registry`` saves it in the private storage, where the download
page (``registry:sync_export``) serves the newest; ``--output FILE`` writes a file
instead.  Run it daily (cron / Celery beat) so external systems start from a recent one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from htxso.registry import exports_bulk


class Command(BaseCommand):
    help = "Export the public registry (CSV, JSON Lines, manifest with SHA-256) as a zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="Write the zip to this file, not to the storage.")
        parser.add_argument(
            "--keep",
            type=int,
            default=exports_bulk.KEEP,
            help="Exports kept in the storage (the oldest are removed).",
        )

    def handle(self, *args: Any, output: str | None, keep: int, **opts: Any) -> None:
        if not 1 <= keep <= 100:
            raise CommandError("--keep must be between 1 and 100.")
        if output:
            path = Path(output)
            if path.exists() and path.is_dir():
                raise CommandError(f"{path} is a directory.")
            with path.open("wb") as fh:
                result = exports_bulk.write_export(fh)
            where = str(path)
        else:
            where, result = exports_bulk.save_export(keep=keep)
        counts = result.manifest["record_counts"]["organisations"]
        self.stdout.write(f"{where}: {counts} organisations, {result.size} bytes")
