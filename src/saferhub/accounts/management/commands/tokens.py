from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts import token_services as ts
from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "API tokens: 'saferhub tokens list [--user NAME]', "
        "'saferhub tokens issue --user NAME --name TEXT --days N' (roles without two-factor "
        "only), 'saferhub tokens revoke ID' or 'saferhub tokens revoke --user NAME'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "issue", "revoke"])
        parser.add_argument("id", nargs="?", type=int, help="the token's number (revoke)")
        parser.add_argument("--user", help="the user name")
        parser.add_argument("--name", help="what the token is for (issue)")
        parser.add_argument("--days", type=int, default=30, help="days until it expires")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        user = self._user(options["user"]) if options["user"] else None
        if action == "list":
            self._list(user)
        elif action == "issue":
            self._issue(user, options["name"], options["days"])
        else:
            self._revoke(options["id"], user)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user

    def _list(self, user: User | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if user is not None:
            tokens = tokens.filter(user=user)
        for t in tokens:
            self.stdout.write(
                f"{t.pk}\t{t.user.username}\t{t.name}\t{t.key_prefix}…\t"
                f"expires {t.expires_at:%Y-%m-%d}\t{ts.api_token_status(t)}"
            )

    def _issue(self, user: User | None, name: str | None, days: int) -> None:
        if user is None or not name:
            raise CommandError("Give --user and --name.")
        try:
            issued = ts.api_token_issue(
                actor=SystemActor.COMMAND_LINE,
                user=user,
                name=name,
                days=days,
                second_factor_verified=False,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Token {issued.token.pk} for {user.username}, expires "
            f"{issued.token.expires_at:%Y-%m-%d}. Copy it now: it is not shown again."
        )

    def _revoke(self, token_id: int | None, user: User | None) -> None:
        if token_id is not None:
            token = ApiToken.objects.filter(pk=token_id).first()
            if token is None:
                raise CommandError(f"No token number {token_id}.")
            ts.api_token_revoke(actor=SystemActor.COMMAND_LINE, token=token)
            self.stdout.write(f"Token {token_id} revoked.")
        elif user is not None:
            count = ts.api_tokens_revoke_all(
                actor=SystemActor.COMMAND_LINE,
                user=user,
                because=ApiToken.RevokedBecause.COMMAND_LINE,
            )
            self.stdout.write(f"{count} token(s) of {user.username} revoked.")
        else:
            raise CommandError("Give a token number or --user.")
