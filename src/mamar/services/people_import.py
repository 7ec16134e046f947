"""Recording a registration list (:mod:`mamar.manifests.lists`) on a convoy's manifests,
all or nothing, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection, text

from mamar.db.maintenance import BULK_RECORDS
from mamar.domain.errors import DomainError
from mamar.domain.ids import new_id
from mamar.domain.model import Actor
from mamar.domain.visibility import Visibility
from mamar.manifests.commands import ListGroup, RegisterVehicle
from mamar.manifests.events import GroupKind
from mamar.manifests.lists import Family, ImportRefused, RowProblem
from mamar.manifests.model import VehicleState
from mamar.services.commands import execute
from mamar.vault.store import Vault


@dataclass(frozen=True)
class Imported:
    people: int
    families: int
    vehicles_added: int


def record(
    conn: Connection,
    vault: Vault | None,
    *,
    actor: Actor,
    operation: str,
    convoy: str,
    found: list[Family],
    existing: dict[str, VehicleState],
) -> Imported:
    """Record the families on the convoy's vehicles (added as needed), in ``conn``'s
    transaction; a refusal names the rows of the family it concerns."""
    ids = {label: state.id for label, state in existing.items()}
    added = people = 0
    for family in found:
        try:
            if family.vehicle not in ids:
                ids[family.vehicle] = new_id()
                execute(
                    conn,
                    RegisterVehicle(
                        id=ids[family.vehicle],
                        operation=operation,
                        convoy=convoy,
                        label=family.vehicle,
                        visibility=Visibility.MEDICAL,
                    ),
                    actor=actor,
                    vault=vault,
                )
                added += 1
            for start in range(0, len(family.people), 60):
                batch = family.people[start : start + 60]
                kind = GroupKind.ALONE if len(family.people) == 1 else GroupKind.FAMILY
                execute(
                    conn,
                    ListGroup(id=ids[family.vehicle], group_kind=kind, people=tuple(batch)),
                    actor=actor,
                    vault=vault,
                )
                people += len(batch)
        except (DomainError, ValidationError) as exc:
            code = exc.code if isinstance(exc, DomainError) else "bad_value"
            raise ImportRefused(
                [RowProblem(n, "vehicle", "refused", code) for n in family.rows]
            ) from exc
    if people >= BULK_RECORDS and conn.dialect.name == "postgresql":
        # A large list changes the search index's make-up at once: refresh PostgreSQL's
        # statistics of it now, not when autovacuum gets round to it, so the first
        # searches are planned on the index (ANALYZE runs inside the transaction; the
        # caller calls ``Mamar.after_bulk_write`` once it has committed).
        conn.execute(text("ANALYZE vault_terms"))
    return Imported(people=people, families=len(found), vehicles_added=added)
