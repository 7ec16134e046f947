"""Labels for event types, statuses and kinds, in English and Arabic.

The product's own words are those of humanitarian practice; parties, places and
everything users type are their data and are shown as written.
"""

from __future__ import annotations

EVENT_LABELS: dict[str, tuple[str, str]] = {
    "operation.opened": ("Operation opened", "فُتحت العملية"),
    "operation.closed": ("Operation closed", "أُغلقت العملية"),
    "operation.time_bounds_set": ("Time bounds set", "حُدِّدت حدود أوقات العملية"),
    "account.created": ("Account created", "أُنشئ حساب"),
    "account.role_changed": ("Account role changed", "تغيّر دور الحساب"),
    "account.disabled": ("Account disabled", "عُطّل الحساب"),
    "account.enabled": ("Account enabled", "فُعّل الحساب"),
    "organisation.registered": ("Organisation registered", "سُجّلت منظمة"),
    "organisation.renamed": ("Organisation renamed", "تغيّر اسم المنظمة"),
    "access.changed": ("Who may see the record changed", "تغيّر من يحق له الاطلاع على القيد"),
    "convoy.planned": ("Convoy planned", "خُطّطت قافلة"),
    "convoy.route_assigned": ("Convoy route assigned", "حُدّد طريق القافلة"),
    "convoy.status_changed": ("Convoy status changed", "تغيّرت حالة القافلة"),
    "convoy.counts_recorded": ("Convoy counts recorded", "سُجّلت أعداد القافلة"),
    "convoy.escort_added": ("Escort added to convoy", "أُضيفت مرافقة للقافلة"),
    "convoy.vehicles_added": ("Vehicles added to convoy", "أُضيفت مركبات للقافلة"),
    "convoy.manifest_entry_added": ("Person added to manifest", "أُضيف شخص إلى قائمة الركاب"),
    "agreement.drafted": ("Agreement drafted", "صيغت مسودة اتفاق"),
    "agreement.concluded": ("Agreement concluded", "أُبرم اتفاق"),
    "agreement.version_adopted": ("New agreement version adopted", "اعتُمدت صيغة جديدة للاتفاق"),
    "agreement.status_changed": ("Agreement status changed", "تغيّرت حالة الاتفاق"),
    "ceasefire.declared": ("Ceasefire declared", "أُعلن وقف إطلاق النار"),
    "ceasefire.took_effect": ("Ceasefire in force", "دخل وقف إطلاق النار حيّز التنفيذ"),
    "ceasefire.violated": ("Ceasefire violation recorded", "سُجّل خرق لوقف إطلاق النار"),
    "ceasefire.suspended": ("Ceasefire suspended", "عُلّق وقف إطلاق النار"),
    "ceasefire.restored": ("Ceasefire restored", "استُعيد وقف إطلاق النار"),
    "ceasefire.expired": ("Ceasefire expired", "انتهى وقف إطلاق النار"),
    "channel.opened": ("Channel recorded", "سُجّلت قناة تواصل"),
    "channel.status_changed": ("Channel status changed", "تغيّرت حالة قناة التواصل"),
    "channel.note_added": ("Note on channel", "ملاحظة على قناة التواصل"),
    "contact.scheduled": ("Contact scheduled", "حُدّد موعد اتصال"),
    "contact.logged": ("Contact logged", "سُجّل اتصال"),
    "contact.held": ("Contact held", "جرى الاتصال"),
    "contact.missed": ("Contact missed", "لم يتم الاتصال"),
    "contact.cancelled": ("Contact cancelled", "أُلغي الاتصال"),
    "control_area.recorded": ("Area of control recorded", "سُجّلت منطقة سيطرة"),
    "control_area.ended": ("Area of control ended", "انتهت منطقة سيطرة"),
    "control_area.transferred": ("Control changed hands", "انتقلت السيطرة"),
    "front_line.recorded": ("Front line recorded", "سُجّل خط جبهة"),
    "front_line.ended": ("Front line ended", "انتهى خط جبهة"),
    "escalation.raised": ("Escalation raised", "رُفعت شكوى / تصعيد"),
    "escalation.response_recorded": ("Response to escalation", "ردّ على التصعيد"),
    "escalation.followed_up": ("Escalation followed up", "متابعة التصعيد"),
    "escalation.closed": ("Escalation closed", "أُغلق التصعيد"),
    "guarantee.recorded": ("Guarantee given", "قُدّم ضمان"),
    "guarantee.honoured": ("Guarantee honoured", "وُفي بالضمان"),
    "guarantee.broken": ("Guarantee broken", "نُقض الضمان"),
    "incident.reported": ("Incident reported", "أُبلغ عن حادثة"),
    "incident.verification_changed": (
        "Incident verification changed",
        "تغيّرت حالة التحقق من الحادثة",
    ),
    "incident.evidence_added": ("Evidence added to incident", "أُضيف دليل إلى الحادثة"),
    "incident.corrected": ("Incident corrected", "صُحّحت الحادثة"),
    "incident.breach_linked": ("Incident linked to a breached term", "رُبطت الحادثة ببند مخروق"),
    "influence.mapped": ("Influence recorded", "سُجّل تأثير"),
    "influence.retired": ("Influence no longer current", "لم يعد التأثير قائماً"),
    "issue.raised": ("Negotiation issue raised", "طُرحت قضية تفاوضية"),
    "issue.closed": ("Negotiation issue closed", "أُغلقت قضية تفاوضية"),
    "mandate.granted": ("Mandate granted", "مُنح تفويض"),
    "mandate.revoked": ("Mandate revoked", "سُحب التفويض"),
    "mandate.expired": ("Mandate expired", "انتهى التفويض"),
    "note.added": ("Note added", "أُضيفت ملاحظة"),
    "note.corrected": ("Note corrected", "صُحّحت ملاحظة"),
    "notification.sent": ("Movement notified", "أُرسل إشعار بالتحرك"),
    "notification.acknowledged": ("Notification acknowledged", "أُقرّ باستلام الإشعار"),
    "party.registered": ("Party recorded", "سُجّل طرف"),
    "party.updated": ("Party updated", "حُدّث طرف"),
    "party.joined_side": ("Party joined a side", "انضم طرف إلى جانب"),
    "side.formed": ("Side formed", "تشكّل جانب"),
    "person.registered": ("Person recorded", "سُجّل شخص"),
    "person.erased": ("Person's personal data erased", "مُحيت البيانات الشخصية لشخص"),
    "place.registered": ("Place recorded", "سُجّل مكان"),
    "place.updated": ("Place updated", "حُدّث مكان"),
    "place.alias_added": ("Place name variant added", "أُضيف اسم بديل لمكان"),
    "position.stated": ("Position stated", "سُجّل موقف"),
    "position.revised": ("Position revised", "عُدّل موقف"),
    "position.bottom_line_set": ("Bottom line set (confidential)", "حُدّد الحد الأدنى (سري)"),
    "proposal.tabled": ("Proposal tabled", "قُدّم مقترح"),
    "proposal.responded": ("Answer to proposal", "رُدّ على المقترح"),
    "proposal.withdrawn": ("Proposal withdrawn", "سُحب المقترح"),
    "route.proposed": ("Route proposed", "اقتُرح طريق"),
    "route.revised": ("Route changed (new version)", "تغيّر الطريق (صيغة جديدة)"),
    "route.approved": ("Route approved", "وُوفق على الطريق"),
    "route.rejected": ("Route rejected", "رُفض الطريق"),
    "task.assigned": ("Task assigned", "كُلّف فريق بمهمة"),
    "task.status_changed": ("Task status changed", "تغيّرت حالة المهمة"),
    "vault.accessed": ("Personal record read", "قُرئ سجل شخصي"),
    "people.read": ("People's personal records read", "قُرئت سجلات شخصية لأشخاص"),
    "people.searched": ("People searched for by name", "بُحث عن أشخاص بالاسم"),
    "vehicle.registered": ("Vehicle added to a convoy", "أُضيفت مركبة إلى قافلة"),
    "vehicle.group_listed": ("Family registered on a vehicle", "سُجّلت عائلة على مركبة"),
    "vehicle.status_recorded": ("People's status recorded", "سُجّلت حالة أشخاص"),
    "vehicle.person_erased": (
        "Personal data of a person on a manifest erased",
        "مُحيت البيانات الشخصية لشخص في قائمة ركاب",
    ),
    "tracing.reported": ("Person reported missing by a relative", "أبلغ قريب عن شخص مفقود"),
    "tracing.reunified": ("Family reunified", "لُمّ شمل عائلة"),
    "tracing.closed": ("Tracing request closed", "أُغلق طلب البحث"),
    "tracing.erased": ("Tracing request's personal data erased", "مُحيت البيانات الشخصية لطلب بحث"),
    "operation.retention_set": (
        "How long personal data is kept set",
        "حُدّدت مدة الاحتفاظ بالبيانات الشخصية",
    ),
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


PRECISION_LABELS: dict[str, tuple[str, str]] = {
    "exact": ("exact", "دقيق"),
    "minute": ("to the minute", "بالدقيقة"),
    "hour": ("to the hour", "بالساعة"),
    "day": ("to the day", "باليوم"),
    "approximate": ("approximate", "تقريبي"),
}


def precision_label(precision: str, lang: str) -> str:
    labels = PRECISION_LABELS.get(precision, (precision, precision))
    return labels[1] if lang == "ar" else labels[0]


# Incident categories (ACLED's event types and sub-event types).
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "battles": ("Battles", "معارك"),
    "explosions_remote_violence": ("Explosions / remote violence", "تفجيرات / عنف عن بُعد"),
    "violence_against_civilians": ("Violence against civilians", "عنف ضد المدنيين"),
    "protests": ("Protests", "احتجاجات"),
    "riots": ("Riots", "أعمال شغب"),
    "strategic_developments": ("Strategic developments", "تطورات استراتيجية"),
    "armed_clash": ("Armed clash", "اشتباك مسلح"),
    "government_regains_territory": ("Government regains territory", "استعادة الحكومة لأراضٍ"),
    "non_state_actor_overtakes_territory": (
        "Non-state actor overtakes territory",
        "سيطرة طرف غير حكومي على أراضٍ",
    ),
    "chemical_weapon": ("Chemical weapon", "سلاح كيميائي"),
    "air_drone_strike": ("Air / drone strike", "غارة جوية / بطائرة مسيّرة"),
    "suicide_bomb": ("Suicide bomb", "تفجير انتحاري"),
    "shelling_artillery_missile_attack": (
        "Shelling / artillery / missile attack",
        "قصف مدفعي / صاروخي",
    ),
    "remote_explosive_landmine_ied": (
        "Remote explosive / landmine / IED",
        "عبوة ناسفة / لغم أرضي",
    ),
    "grenade": ("Grenade", "قنبلة يدوية"),
    "sexual_violence": ("Sexual violence", "عنف جنسي"),
    "attack": ("Attack", "هجوم"),
    "abduction_forced_disappearance": ("Abduction / forced disappearance", "خطف / إخفاء قسري"),
    "peaceful_protest": ("Peaceful protest", "احتجاج سلمي"),
    "protest_with_intervention": ("Protest with intervention", "احتجاج مع تدخّل"),
    "excessive_force_against_protesters": (
        "Excessive force against protesters",
        "قوة مفرطة ضد المحتجين",
    ),
    "violent_demonstration": ("Violent demonstration", "تظاهرة عنيفة"),
    "mob_violence": ("Mob violence", "عنف جماعي"),
    "agreement": ("Agreement", "اتفاق"),
    "arrests": ("Arrests", "اعتقالات"),
    "change_to_group_activity": ("Change to group / activity", "تغيّر في جماعة / نشاط"),
    "disrupted_weapons_use": ("Disrupted weapons use", "إحباط استخدام سلاح"),
    "headquarters_or_base_established": ("Headquarters or base established", "إنشاء مقر أو قاعدة"),
    "looting_property_destruction": ("Looting / property destruction", "نهب / تدمير ممتلكات"),
    "non_violent_transfer_of_territory": (
        "Non-violent transfer of territory",
        "انتقال أراضٍ دون عنف",
    ),
    "other": ("Other", "أخرى"),
    "unspecified": ("unspecified", "غير محدد"),
}


def category_label(category: str, lang: str) -> str:
    """``event_type`` or ``event_type/sub_event_type`` in words."""
    words = []
    for part in category.split("/"):
        labels = CATEGORY_LABELS.get(part, (part.replace("_", " "),) * 2)
        words.append(labels[1] if lang == "ar" else labels[0])
    return " — ".join(words)
