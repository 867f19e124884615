"""Manage API bearer tokens: create <username>, list <username>, revoke <prefix>."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from htxso.accounts import services
from htxso.accounts.models import ApiToken, User
from htxso.core.actors import OPERATOR


class Command(BaseCommand):
    help = "Create, list or revoke API bearer tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument(
            "--days", type=int, default=None, help="Validity in days (0 = never expires)."
        )
        create.add_argument(
            "--scope",
            default="",
            choices=["", *ApiToken.Scope.values],
            help="Registry sync feed fields: public or full (none by default).",
        )
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "revoke":
            rows = list(ApiToken.objects.filter(key_prefix=opts["prefix"], revoked_at__isnull=True))
            if len(rows) != 1:
                raise CommandError(f"{len(rows)} active tokens have prefix {opts['prefix']!r}.")
            services.api_token_revoke(actor=OPERATOR, token=rows[0])
            self.stdout.write(f"Revoked {rows[0].key_prefix}…")
            return
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {opts['username']!r}.") from exc
        if action == "list":
            for t in user.api_tokens.order_by("-created_at"):
                state = "revoked" if t.revoked_at else ("active" if t.is_usable else "expired")
                self.stdout.write(f"{t.key_prefix}…  {state:8}  {t.name}")
            return
        try:
            _token, raw = services.api_token_create(
                actor=OPERATOR, user=user, name=opts["name"], days=opts["days"], scope=opts["scope"]
            )
        except services.ServiceError as exc:
            raise CommandError(exc.text) from exc
        self.stdout.write(raw)
