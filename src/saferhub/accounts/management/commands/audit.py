from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.audit import audit_record, audit_verify_chain
from saferhub.accounts.audit_actions import AuditLogAction
from saferhub.accounts.audit_anchor import anchor_path, anchors_verify, audit_anchor
from saferhub.accounts.audit_keys import current_key


class Command(BaseCommand):
    help = (
        "The audit log: 'saferhub audit verify' checks the keyed chain and the anchors; "
        "'saferhub audit anchor' appends the signed head to the anchor file; "
        "'saferhub audit rotate' records that a new key is in use (after a key change)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor", "rotate"])
        parser.add_argument(
            "--anchors", type=int, default=None, help="verify: check only the newest N anchors"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "anchor":
            record = audit_anchor()
            if record is None:
                self.stdout.write("The audit log is empty: nothing to anchor.")
            else:
                self.stdout.write(
                    f"Anchored event {record['sequence']} to {anchor_path()} "
                    f"(key {record['key_id']})."
                )
            return
        if action == "rotate":
            self._rotate()
            return
        report = audit_verify_chain()
        if not report.ok:
            raise CommandError(report.message)
        anchors = anchors_verify(latest=options["anchors"])
        if not anchors.ok:
            raise CommandError(f"{report.message} {anchors.message}")
        self.stdout.write(self.style.SUCCESS(f"{report.message} {anchors.message}"))

    def _rotate(self) -> None:
        """After SAFERHUB_AUDIT_KEY was changed: check the whole chain (old keys must still
        be configured), then record the change under the new key and anchor it."""
        report = audit_verify_chain()
        if not report.ok:
            raise CommandError(f"Not rotated: {report.message}")
        key = current_key()
        audit_record(
            actor=SystemActor.COMMAND_LINE,
            action=AuditLogAction.KEY_ROTATED,
            new={"key_id": key.key_id},
            detail=f"{report.checked} earlier events verified",
        )
        audit_anchor()
        self.stdout.write(
            self.style.SUCCESS(f"Now chaining with key {key.key_id}; the head is anchored.")
        )
