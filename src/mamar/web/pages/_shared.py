"""Helpers the page modules share: lists through queries, who may do what, form options."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from markupsafe import Markup

from mamar import reads
from mamar.access.door import may_issue
from mamar.access.viewer import viewer_of
from mamar.domain.model import command_type, commands
from mamar.domain.visibility import Visibility
from mamar.i18n.joined import JOINED, joined_refs
from mamar.web.page import View
from mamar.web.render import Called, called, called_text, marked


@cache
def outside_operations() -> frozenset[str]:
    """The kinds of record of no operation (accounts, organisations): those created by a
    command that names no operation."""
    return frozenset(
        c.kind for c in commands().values() if c.creates and "operation" not in c.model_fields
    )


def entities(v: View, kind: str, op: str) -> list[dict[str, Any]]:
    """The records of one kind the viewer sees, as they were at the page's moment (``?at=``):
    those of operation ``op``, or every one the viewer sees of a kind of no operation."""
    where = None if kind in outside_operations() else op
    with v.system.reading() as conn:
        return reads.list_entities(
            conn, viewer=v.actor, operation=where, kind=kind, limit=1000, at_utc=v.at_utc()
        )


def entity(v: View, kind: str, entity_id: str) -> dict[str, Any]:
    """One record as the viewer sees it, as it was at the page's moment (``?at=``): a record
    created later is not found."""
    with v.system.reading() as conn:
        return reads.get_entity(
            conn, viewer=v.actor, kind=kind, entity_id=entity_id, at_utc=v.at_utc()
        )


def history(v: View, kind: str, entity_id: str) -> list[dict[str, Any]]:
    """The record's events the viewer may see, in the order they happened (up to the page's
    moment)."""
    with v.system.reading() as conn:
        return [
            e.as_dict()
            for e in reads.timeline(
                conn, viewer=v.actor, entity=f"{kind}:{entity_id}", until_utc=v.at_utc()
            )
        ]


def precision_of(events: list[dict[str, Any]], type_name: str) -> str:
    """How precisely the event ``type_name`` among a record's ``events`` (its
    :func:`history`) is known to have happened: the precision of the record's own time."""
    return next((e["precision"] for e in events if e["type"] == type_name), "exact")


def may(v: View, command_name: str) -> bool:
    return may_issue(v.principal, command_type(command_name))


def visibility_options(v: View) -> list[tuple[str, str]]:
    """The compartments the viewer may create records in, with their names."""
    names = {
        Visibility.SHARED: v.t("Shared with every organisation"),
        Visibility.INTERNAL: v.t("Internal (own organisation)"),
        Visibility.MEDICAL: v.t("Medical"),
        Visibility.NEGOTIATION: v.t("Negotiation (confidential)"),
    }
    allowed = viewer_of(v.actor).compartments
    return [(vis.value, text) for vis, text in names.items() if vis in allowed]


def names_of(items: list[dict[str, Any]], lang: str) -> dict[str, Called]:
    """Id → what the record is called in ``lang``, for showing references: plain text that
    knows its language when it is another (a sentence marks it with ``marked``/``|local``,
    a pick-list's option with ``|option_lang``)."""
    return {item["id"]: called_text(item, lang) for item in items}


def joined_name(v: View, kind: str, record: dict[str, Any]) -> Called | None:
    """What a record of a kind with no name of its own (:data:`~mamar.i18n.joined.JOINED`) is called, by the
    names of the records it joins as the viewer sees them; None for any other kind."""
    if kind not in JOINED:
        return None
    names = {f: v.name_of(k, i) for f, (k, i) in joined_refs(kind, record).items()}
    return Called(v.t(JOINED[kind][0], **names))


def called_as(v: View, kind: str, record: dict[str, Any]) -> Markup | str:
    """What the record of ``kind`` is called in the page's language, for a title: its name
    (:func:`~mamar.web.render.called`) or, for a kind with none, the records it joins."""
    joined = joined_name(v, kind, record)
    return joined if joined is not None else called(record, v.lang)


def name_in(v: View, names: dict[str, Called], key: str) -> Markup | str:
    """What ``names`` calls ``key`` (``key`` itself if none), for a sentence of the page:
    marked with its language when that is not the page's."""
    return marked(names.get(key, key), v.lang)


def names_in(v: View, names: dict[str, Called], keys: Iterable[str]) -> Markup | str:
    """Several names (:func:`name_in`) in a list of the page's language; "—" if none."""
    return Markup(v.t(", ")).join(name_in(v, names, k) for k in keys) or "—"


def number(text: str | None) -> int | str | None:
    """A whole number typed in a form; the text itself if it is not one (validation explains)."""
    if text is None or text.strip() == "":
        return None
    cleaned = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    return int(cleaned) if cleaned.isdigit() else text


def decimal(text: str | None) -> float | str | None:
    if text is None or text.strip() == "":
        return None
    cleaned = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))
    try:
        return float(cleaned)
    except ValueError:
        return text
