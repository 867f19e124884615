"""Background imports (Django Tasks API): checking and importing large files."""

from __future__ import annotations

from django_tasks import task


@task()
def process_import(*, job_id: int, step: str) -> None:
    from .services.imports import process

    process(job_id, step, recover_others=True)
