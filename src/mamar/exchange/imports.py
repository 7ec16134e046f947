"""Importing a partner's incidents (ACLED layout or HXL): one transaction, all or nothing."""

from __future__ import annotations

from mamar.access.viewer import viewer_of
from mamar.db.maintenance import BULK_RECORDS
from mamar.domain.errors import NotFound, SaidIn
from mamar.domain.model import Actor
from mamar.domain.visibility import Visibility
from mamar.exchange import acled, hxl, incident_rows, records
from mamar.system import Mamar
from mamar.web.i18n import tr

IMPORT_FORMATS = ("acled", "hxl")


def import_incidents(
    system: Mamar,
    actor: Actor,
    *,
    fmt: str,
    text: str,
    operation: str,
    lang: str = "ar",
    id_prefix: str = "",
    visibility: str | None = None,
) -> int:
    """Record every incident of the file, or none: the first bad row is refused, naming
    its line and column in ``lang``. Names of parties and places are those the importing
    account may see. ``id_prefix`` keeps a partner's ids apart from ours; ``visibility``
    (default: a reported incident's, shared) says who may see the incidents recorded."""
    if fmt not in IMPORT_FORMATS:
        raise SaidIn(
            "invalid_format",
            tr(lang, "Use --format acled or --format hxl"),
            language=lang,
            field="format",
        )
    if visibility is not None and visibility not in {v.value for v in Visibility}:
        raise SaidIn(
            "invalid_visibility",
            tr(lang, "Use --visibility internal or --visibility shared"),
            language=lang,
            field="visibility",
        )
    with system.writing() as conn:
        try:
            seen = records.load(conn, viewer=viewer_of(actor), operation=operation)
        except NotFound:
            raise SaidIn(
                "not_found",
                tr(lang, "No operation '%(id)s' that this account may see", id=operation),
                language=lang,
                field="operation",
            ) from None
        parse = acled.incident_rows if fmt == "acled" else hxl.incident_rows
        rows = parse(text, seen, lang)
        for row in rows:
            if id_prefix and row.values.get("id"):
                row.values["id"] = f"{id_prefix}{row.values['id']}"
            if visibility is not None:
                row.put("visibility", visibility, "visibility")
        made = incident_rows.commands(rows, operation, lang)
        count = incident_rows.record(conn, made, actor=actor, vault=system.vault, lang=lang)
    if count >= BULK_RECORDS:
        system.after_bulk_write()
    return count
