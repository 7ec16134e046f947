"""What ``mamar verify`` found wrong, said in the reader's language from the catalogues.

The journal and the read-model check name what differs (``journal.findings``,
``projections.check``): why, which column, which positions. Here a column is said in words,
never by its name in the database, and every number in the reader's digits.
"""

from __future__ import annotations

from sqlalchemy import Connection

from mamar import reads
from mamar.domain.visibility import INSTALLATION
from mamar.i18n.labels import organisation_kind_label
from mamar.i18n.said import Said, Word
from mamar.journal.findings import Finding
from mamar.journal.verify import VerifyResult
from mamar.projections.check import Difference
from mamar.services.commands import SYSTEM
from mamar.web.i18n import N_, number, tr
from mamar.web.render import local

#: The journal's and the read models' columns, in words.
COLUMNS = {
    "body": N_("the event's body"),
    "prev_hash": N_("the hash of the event before it"),
    "hash": N_("the event's hash"),
    "position": N_("the position"),
    "event_id": N_("the event's identifier"),
    "stream": N_("the record it belongs to"),
    "version": N_("the version"),
    "type": N_("the event's type"),
    "kind": N_("the record's kind"),
    "entity_id": N_("the record's identifier"),
    "operation": N_("the operation"),
    "occurred_utc": N_("the time it happened"),
    "visibility": N_("the visibility"),
    "ref": N_("the short reference"),
}
#: A column these words do not know yet (said rather than named).
OTHER_COLUMN = N_("a stored column")

#: The read models, in words.
TABLES = {
    "entities": N_("the records as they stand"),
    "entity_history": N_("the records' history"),
    "entity_members": N_("the organisations each record is shared with"),
    "journal": N_("the journal"),
}


def _column(name: str | None) -> Word:
    return Word(COLUMNS.get(name or "", OTHER_COLUMN))


def finding_words(finding: Finding, lang: str) -> str:
    """Why a position does not verify, in ``lang``."""
    return Said(finding.why.value, {"column": _column(finding.column), **finding.figures})(lang)


def failure_words(result: VerifyResult, lang: str) -> str:
    """The first position that does not verify, and why, in ``lang``."""
    assert result.finding is not None and result.failed_position is not None
    return tr(
        lang,
        "The journal does not verify at position %(position)s: %(reason)s",
        position=number(result.failed_position, lang),
        reason=finding_words(result.finding, lang),
    )


def organisation_words(conn: Connection, organisation: str, lang: str) -> str:
    """An organisation by its name in ``lang``; the installation's own by what it is; the id
    (as typed) of one that has no name."""
    if organisation == INSTALLATION:
        return organisation_kind_label(INSTALLATION, lang)
    for found in reads.list_entities(
        conn, viewer=SYSTEM, operation=None, kind="organisation", limit=10000
    ):
        if found["id"] == organisation:
            return local(found["name"], lang) or organisation
    return organisation


def difference_words(difference: Difference, lang: str, organisation: str | None = None) -> str:
    """The first read-model row that is not what the journal gives, in ``lang``
    (``organisation``: the organisation it names, in words)."""
    params: dict[str, object] = {"column": _column(difference.column), **difference.figures}
    if difference.organisation is not None:
        params["organisation"] = organisation or difference.organisation
    return tr(
        lang,
        "In %(table)s, record %(record)s: %(reason)s",
        table=tr(lang, TABLES.get(difference.table, TABLES["entities"])),
        record=difference.stream,
        reason=Said(difference.gap.value, params)(lang),
    )
