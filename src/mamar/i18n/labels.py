"""Labels for event types, statuses and kinds, in English and Arabic.

The product's own words are those of humanitarian practice; parties, places and
everything users type are their data and are shown as written.
"""

from __future__ import annotations

EVENT_LABELS: dict[str, tuple[str, str]] = {
    "operation.opened": ("Operation opened", "فُتحت العملية"),
    "operation.closed": ("Operation closed", "أُغلقت العملية"),
    "account.created": ("Account created", "أُنشئ حساب"),
    "account.role_changed": ("Account role changed", "تغيّر دور الحساب"),
    "account.disabled": ("Account disabled", "عُطّل الحساب"),
    "account.enabled": ("Account enabled", "فُعّل الحساب"),
    "convoy.planned": ("Convoy planned", "خُطّطت قافلة"),
    "convoy.route_assigned": ("Convoy route assigned", "حُدّد طريق القافلة"),
    "convoy.status_changed": ("Convoy status changed", "تغيّرت حالة القافلة"),
    "convoy.counts_recorded": ("Convoy counts recorded", "سُجّلت أعداد القافلة"),
    "convoy.escort_added": ("Escort added to convoy", "أُضيفت مرافقة للقافلة"),
    "convoy.vehicles_added": ("Vehicles added to convoy", "أُضيفت مركبات للقافلة"),
    "convoy.manifest_entry_added": ("Person added to manifest", "أُضيف شخص إلى قائمة الركاب"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "planned": ("planned", "مخطّطة"),
    "preparing": ("preparing", "قيد التحضير"),
    "staged": ("staged", "في نقطة التجمع"),
    "departed": ("departed", "انطلقت"),
    "halted": ("halted", "متوقفة"),
    "under_fire": ("under fire", "تحت النار"),
    "turned_back": ("turned back", "عادت أدراجها"),
    "postponed": ("postponed", "مؤجّلة"),
    "arrived": ("arrived", "وصلت"),
    "cancelled": ("cancelled", "أُلغيت"),
}


def event_label(type_name: str, lang: str) -> str:
    labels = EVENT_LABELS.get(type_name)
    if labels is None:
        return type_name
    return labels[1] if lang == "ar" else labels[0]


def status_label(status: str, lang: str) -> str:
    labels = STATUS_LABELS.get(status)
    if labels is None:
        return status.replace("_", " ")
    return labels[1] if lang == "ar" else labels[0]
