"""Key rotation: re-encrypt every encrypted value with the first key of SAFERHUB_CASES_KEYS."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.cases import crypto
from saferhub.cases.audit_actions import CaseAction
from saferhub.cases.fields import encrypted_fields


def keys_rotate(*, actor: Actor, batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt every value (reading the raw ciphertext, never decrypting to the ORM)."""
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        columns = [str(model._meta.get_field(n).column) for n in names]  # type: ignore[union-attr]
        done = 0
        with transaction.atomic():
            for pk, *values in _raw_rows(model, columns):
                new = {c: crypto.rotate(str(v)) for c, v in zip(columns, values, strict=True) if v}
                if new:
                    _raw_update(model, pk, new)
                    done += 1
        counts[model._meta.label] = done
    audit_record(actor=actor, action=CaseAction.KEYS_ROTATE, new={"rows": counts})
    return counts


def _raw_rows(model: type, columns: list[str]) -> list[tuple[object, ...]]:
    from django.db import connection

    table = model._meta.db_table  # type: ignore[attr-defined]
    pk = model._meta.pk.column  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608
        )
        return list(cursor.fetchall())


def _raw_update(model: type, pk: Any, values: dict[str, str]) -> None:
    from django.db import connection

    table = model._meta.db_table  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s",  # type: ignore[attr-defined]  # noqa: S608
            [*values.values(), pk],
        )
