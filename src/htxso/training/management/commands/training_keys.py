"""``python -m htxso training_keys generate|rotate|list``: the signing keys of training
credentials (Open Badges).  Private keys are never printed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from htxso.core.actors import OPERATOR
from htxso.training import keys
from htxso.training.models import SigningKey


class Command(BaseCommand):
    help = "Manage the Ed25519 keys that sign training credentials (generate, rotate, list)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "rotate", "list"])

    def handle(self, *args, action: str, **options):
        if action == "generate":
            key, made = keys.generate(actor=OPERATOR)
            verb = "made" if made else "already active"
            self.stdout.write(f"{key.kid}: {verb}")
        elif action == "rotate":
            key = keys.rotate(actor=OPERATOR)
            self.stdout.write(f"{key.kid}: active (older keys keep verifying)")
        else:
            rows = SigningKey.objects.order_by("-active", "-created_at", "-id")
            if not rows:
                raise CommandError("no signing key yet: run `training_keys generate`")
            for key in rows:
                state = "active" if key.active else f"retired {key.retired_at:%Y-%m-%d}"
                used = key.certificates.count()
                self.stdout.write(
                    f"{key.kid}\t{state}\t{key.public_key_multibase}\t{used} certificates"
                )
