"""What records are called, one table for the pages, the timeline's sentences and the CLI:
the field that holds a record's name (:data:`NAME_FIELDS`) and, for records with no name of
their own, the records they join (a party's position on an issue, a channel from one to
another)."""

from __future__ import annotations

from mamar.web.i18n import N_

#: Where a record's name is, in order: its name, else its title, else its label, ...,
#: else what it says (a note's text) or what it is about (a guarantee's "what").
NAME_FIELDS: tuple[str, ...] = (
    "name", "title", "label", "display_name", "role_title", "area", "summary", "description",
    "message", "text", "what",
)  # fmt: skip

#: Kind → the words, and each reference's field with the kind it names (None: the
#: reference names its kind itself, ``{"kind", "id"}``).
JOINED: dict[str, tuple[str, tuple[tuple[str, str | None], ...]]] = {
    "position": (
        N_("Position of %(party)s on %(issue)s"),
        (("party", "party"), ("issue", "issue")),
    ),
    "channel": (N_("Channel from %(source)s to %(target)s"), (("source", None), ("target", None))),
    "influence": (
        N_("Influence of %(source)s on %(target)s"),
        (("source", None), ("target", None)),
    ),
    "mandate": (N_("Mandate to %(to)s"), (("to", None),)),
}


def joined_refs(kind: str, record: dict[str, object]) -> dict[str, tuple[str, str | None]]:
    """Field → (kind, id) of each record a ``kind`` of :data:`JOINED` joins ({} otherwise)."""
    out: dict[str, tuple[str, str | None]] = {}
    for field, named in JOINED.get(kind, ("", ()))[1]:
        value = record.get(field)
        if named is None and isinstance(value, dict):
            ident = value.get("id")
            out[field] = (str(value.get("kind")), ident if isinstance(ident, str) else None)
        else:
            out[field] = (named or "", value if isinstance(value, str) else None)
    return out
