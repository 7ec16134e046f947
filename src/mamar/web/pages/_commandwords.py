"""Commands and their fields in words, for the general "record anything" form.

A command ``kind.verb`` is named "kind: action" ("قافلة: تخطيط"); a field by its label.
"""

from __future__ import annotations

from markupsafe import Markup

from mamar.i18n.labels import RECORD_KINDS as KINDS
from mamar.i18n.labels import field_label
from mamar.web.i18n import N_, ptr, tr

#: What a command does (its verb).
ACTIONS: dict[str, str] = {
    "acknowledge": N_("acknowledge receipt"),
    "add": N_("add"),
    "add_alias": N_("add a name variant"),
    "add_allegation": N_("add an alleged perpetrator"),
    "add_escort": N_("add an escort"),
    "add_evidence": N_("add evidence"),
    "add_manifest_entry": N_("add a person to the manifest"),
    "add_note": N_("add a note"),
    "add_stop": N_("add a stop"),
    "add_vehicles": N_("add vehicles"),
    "adopt_version": N_("adopt a new version"),
    "approve": N_("approve"),
    "assign": N_("assign"),
    "assign_convoys": N_("assign convoys to a phase"),
    "assign_route": N_("assign a route"),
    "cancel": N_("cancel"),
    "change_phase": N_("start or complete a phase"),
    "change_role": N_("change the role"),
    "change_status": N_("change the status"),
    "change_verification": N_("change the verification"),
    "close": N_("close"),
    "conclude": N_("conclude"),
    "correct": N_("correct"),
    "create": N_("create"),
    "declare": N_("declare"),
    "disable": N_("disable"),
    "draft": N_("draft"),
    "enable": N_("enable"),
    "end": N_("end"),
    "erase": N_("erase personal data"),
    "erase_person": N_("erase a person's personal data"),
    "expire": N_("record expiry"),
    "follow_up": N_("follow up"),
    "form": N_("form"),
    "grant": N_("grant"),
    "join_side": N_("join a side"),
    "link_breach": N_("link to a breached term"),
    "list_group": N_("register a family"),
    "log": N_("log"),
    "map": N_("record"),
    "mark_broken": N_("mark as broken"),
    "mark_held": N_("mark as held"),
    "mark_honoured": N_("mark as honoured"),
    "mark_missed": N_("mark as missed"),
    "name_roles": N_("name who guarantees, facilitates, brokers or observes"),
    "open": N_("open"),
    "leave_stop": N_("record departure from a stop"),
    "plan": N_("plan"),
    "reach_stop": N_("record arrival at a stop"),
    "report_figure": N_("report a figure"),
    "propose": N_("propose"),
    "raise": N_("raise"),
    "record": N_("record"),
    "record_cargo": N_("record cargo"),
    "record_counts": N_("record counts"),
    "record_fulfilment": N_("record how far a term is carried out"),
    "record_response": N_("record a response"),
    "record_status": N_("record people's status"),
    "record_violation": N_("record a violation"),
    "register": N_("register"),
    "reject": N_("reject"),
    "rename": N_("rename"),
    "report": N_("report"),
    "respond": N_("answer"),
    "restore": N_("restore"),
    "retire": N_("mark as no longer current"),
    "reunify": N_("record reunification"),
    "revise": N_("revise"),
    "revoke": N_("revoke"),
    "schedule": N_("schedule"),
    "send": N_("send"),
    "set_retention": N_("set how long personal data is kept"),
    "set_time_bounds": N_("set the time bounds"),
    "set_capacity": N_("set the capacity"),
    "set_priority": N_("set the order of leaving"),
    "triage": N_("record triage"),
    "hand_over": N_("hand over to a facility"),
    "share": N_("share"),
    "state": N_("state"),
    "stop_waiting": N_("stop waiting for another convoy"),
    "suspend": N_("suspend"),
    "translate": N_("add a translation"),
    "table": N_("table"),
    "take_effect": N_("record entry into force"),
    "transfer": N_("record a change of hands"),
    "update": N_("update"),
    "wait_for": N_("wait for another convoy"),
    "withdraw": N_("withdraw"),
}


def command_words(name: str, lang: str) -> str:
    kind, _, verb = name.partition(".")
    if kind not in KINDS or verb not in ACTIONS:
        return tr(lang, "Other records")
    return tr(
        lang,
        "%(kind)s: %(action)s",
        kind=tr(lang, KINDS[kind]),
        action=ptr(lang, "action", ACTIONS[verb]),
    )


def field_words(name: str, lang: str, kind: str = "") -> str | Markup:
    """The field's label (of a record of ``kind``, when known); a field without one is shown
    as the API names it, marked as such."""
    label = field_label(name, lang, kind)
    if label is not None:
        return label
    return Markup('<code lang="en" dir="ltr">{}</code>').format(name)
