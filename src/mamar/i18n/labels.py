"""The product's words for event types, statuses, precisions and incident categories.

Each code maps to an English message id; the words shown come from the Babel
catalogues (``src/mamar/web/locales``), Arabic first. Parties, places and
everything users type are their data and are shown as written.
"""

from __future__ import annotations

from typing import Any

from mamar.web.i18n import N_, has_words, ntr, number, ptr, tr

#: Convoy statuses are translated in the context "convoy" (a convoy is feminine in Arabic).
CONVOY = "convoy"

EVENT_LABELS: dict[str, str] = {
    "operation.opened": N_("Operation opened"),
    "operation.closed": N_("Operation closed"),
    "operation.time_bounds_set": N_("Time bounds set"),
    "account.created": N_("Account created"),
    "account.role_changed": N_("Account role changed"),
    "account.disabled": N_("Account disabled"),
    "account.enabled": N_("Account enabled"),
    "organisation.registered": N_("Organisation registered"),
    "organisation.renamed": N_("Organisation renamed"),
    "access.changed": N_("Who may see the record changed"),
    "text.translated": N_("Translation added"),
    "convoy.planned": N_("Convoy planned"),
    "convoy.route_assigned": N_("Convoy route assigned"),
    "convoy.status_changed": N_("Convoy status changed"),
    "convoy.counts_recorded": N_("Convoy counts recorded"),
    "convoy.escort_added": N_("Escort added to convoy"),
    "convoy.vehicles_added": N_("Vehicles added to convoy"),
    "convoy.manifest_entry_added": N_("Person added to manifest"),
    "convoy.stop_added": N_("Stop added to convoy"),
    "convoy.stop_reached": N_("Convoy reached a stop"),
    "convoy.stop_left": N_("Convoy left a stop"),
    "convoy.figure_reported": N_("Convoy figure reported"),
    "convoy.cargo_recorded": N_("Convoy cargo recorded"),
    "agreement.drafted": N_("Agreement drafted"),
    "agreement.concluded": N_("Agreement concluded"),
    "agreement.version_adopted": N_("New agreement version adopted"),
    "agreement.status_changed": N_("Agreement status changed"),
    "agreement.roles_named": N_("Agreement roles named"),
    "agreement.fulfilment_recorded": N_("Fulfilment of a term recorded"),
    "agreement.phase_changed": N_("Agreement phase started or completed"),
    "agreement.convoys_assigned": N_("Convoys assigned to a phase"),
    "convoy.wait_recorded": N_("Convoy waits for another"),
    "convoy.wait_ended": N_("Convoy no longer waits for another"),
    "ceasefire.declared": N_("Ceasefire declared"),
    "ceasefire.took_effect": N_("Ceasefire in force"),
    "ceasefire.violated": N_("Ceasefire violation recorded"),
    "ceasefire.suspended": N_("Ceasefire suspended"),
    "ceasefire.restored": N_("Ceasefire restored"),
    "ceasefire.expired": N_("Ceasefire expired"),
    "channel.opened": N_("Channel recorded"),
    "channel.status_changed": N_("Channel status changed"),
    "channel.note_added": N_("Note on channel"),
    "contact.scheduled": N_("Contact scheduled"),
    "contact.logged": N_("Contact logged"),
    "contact.held": N_("Contact held"),
    "contact.missed": N_("Contact missed"),
    "contact.cancelled": N_("Contact cancelled"),
    "control_area.recorded": N_("Area of control recorded"),
    "control_area.ended": N_("Area of control ended"),
    "control_area.transferred": N_("Control changed hands"),
    "front_line.recorded": N_("Front line recorded"),
    "front_line.ended": N_("Front line ended"),
    "escalation.raised": N_("Escalation raised"),
    "escalation.response_recorded": N_("Response to escalation"),
    "escalation.followed_up": N_("Escalation followed up"),
    "escalation.closed": N_("Escalation closed"),
    "guarantee.recorded": N_("Guarantee given"),
    "guarantee.honoured": N_("Guarantee honoured"),
    "guarantee.broken": N_("Guarantee broken"),
    "incident.reported": N_("Incident reported"),
    "incident.verification_changed": N_("Incident verification changed"),
    "incident.evidence_added": N_("Evidence added to incident"),
    "incident.corrected": N_("Incident corrected"),
    "incident.breach_linked": N_("Incident linked to a breached term"),
    "incident.allegation_added": N_("Another alleged perpetrator recorded"),
    "influence.mapped": N_("Influence recorded"),
    "influence.retired": N_("Influence no longer current"),
    "issue.raised": N_("Negotiation issue raised"),
    "issue.closed": N_("Negotiation issue closed"),
    "mandate.granted": N_("Mandate granted"),
    "mandate.revoked": N_("Mandate revoked"),
    "mandate.expired": N_("Mandate expired"),
    "note.added": N_("Note added"),
    "note.corrected": N_("Note corrected"),
    "notification.sent": N_("Movement notified"),
    "notification.acknowledged": N_("Notification acknowledged"),
    "party.registered": N_("Party recorded"),
    "party.updated": N_("Party updated"),
    "party.joined_side": N_("Party joined a side"),
    "side.formed": N_("Side formed"),
    "person.registered": N_("Person recorded"),
    "person.erased": N_("Person's personal data erased"),
    "place.registered": N_("Place recorded"),
    "place.updated": N_("Place updated"),
    "place.alias_added": N_("Place name variant added"),
    "position.stated": N_("Position stated"),
    "position.revised": N_("Position revised"),
    "position.bottom_line_set": N_("Bottom line set (confidential)"),
    "proposal.tabled": N_("Proposal tabled"),
    "proposal.responded": N_("Answer to proposal"),
    "proposal.withdrawn": N_("Proposal withdrawn"),
    "route.proposed": N_("Route proposed"),
    "route.revised": N_("Route changed (new version)"),
    "route.approved": N_("Route approved"),
    "route.rejected": N_("Route rejected"),
    "task.assigned": N_("Task assigned"),
    "task.status_changed": N_("Task status changed"),
    "vault.accessed": N_("Personal record read"),
    "people.read": N_("People's personal records read"),
    "people.searched": N_("People searched for by name"),
    "vehicle.registered": N_("Vehicle added to a convoy"),
    "vehicle.group_listed": N_("Family registered on a vehicle"),
    "vehicle.status_recorded": N_("People's status recorded"),
    "vehicle.person_erased": N_("Personal data of a person on a manifest erased"),
    "tracing.reported": N_("Person reported missing by a relative"),
    "tracing.reunified": N_("Family reunified"),
    "tracing.closed": N_("Tracing request closed"),
    "tracing.erased": N_("Tracing request's personal data erased"),
    "vehicle.person_triaged": N_("Wounded person triaged"),
    "vehicle.person_handed_over": N_("Wounded person handed to a facility"),
    "vehicle.priority_set": N_("Priority of a batch of wounded set"),
    "facility.registered": N_("Receiving facility recorded"),
    "facility.capacity_set": N_("Capacity of a receiving facility set"),
    "operation.retention_set": N_("How long personal data is kept set"),
}

STATUS_LABELS: dict[str, str] = {
    "planned": N_("planned"),
    "preparing": N_("preparing"),
    "staged": N_("staged"),
    "loading": N_("loading"),
    "departed": N_("departed"),
    "halted": N_("halted"),
    "under_fire": N_("under fire"),
    "attacked": N_("attacked"),
    "turned_back": N_("turned back"),
    "postponed": N_("postponed"),
    "arrived": N_("arrived"),
    "cancelled": N_("cancelled"),
}

PRECISION_LABELS: dict[str, str] = {
    "exact": N_("exact"),
    "minute": N_("to the minute"),
    "hour": N_("to the hour"),
    "day": N_("to the day"),
    "approximate": N_("approximate"),
}

# Incident categories (ACLED's event types and sub-event types).
CATEGORY_LABELS: dict[str, str] = {
    "battles": N_("Battles"),
    "explosions_remote_violence": N_("Explosions / remote violence"),
    "violence_against_civilians": N_("Violence against civilians"),
    "protests": N_("Protests"),
    "riots": N_("Riots"),
    "strategic_developments": N_("Strategic developments"),
    "armed_clash": N_("Armed clash"),
    "government_regains_territory": N_("Government regains territory"),
    "non_state_actor_overtakes_territory": N_("Non-state actor overtakes territory"),
    "chemical_weapon": N_("Chemical weapon"),
    "air_drone_strike": N_("Air / drone strike"),
    "suicide_bomb": N_("Suicide bomb"),
    "shelling_artillery_missile_attack": N_("Shelling / artillery / missile attack"),
    "remote_explosive_landmine_ied": N_("Remote explosive / landmine / IED"),
    "grenade": N_("Grenade"),
    "sexual_violence": N_("Sexual violence"),
    "attack": N_("Attack"),
    "abduction_forced_disappearance": N_("Abduction / forced disappearance"),
    "peaceful_protest": N_("Peaceful protest"),
    "protest_with_intervention": N_("Protest with intervention"),
    "excessive_force_against_protesters": N_("Excessive force against protesters"),
    "violent_demonstration": N_("Violent demonstration"),
    "mob_violence": N_("Mob violence"),
    "agreement": N_("Agreement"),
    "arrests": N_("Arrests"),
    "change_to_group_activity": N_("Change to group / activity"),
    "disrupted_weapons_use": N_("Disrupted weapons use"),
    "headquarters_or_base_established": N_("Headquarters or base established"),
    "looting_property_destruction": N_("Looting / property destruction"),
    "non_violent_transfer_of_territory": N_("Non-violent transfer of territory"),
    "other": N_("Other"),
    "unspecified": N_("unspecified"),
}


#: Kinds of record, as a person names them (the timeline's filter).
KIND_LABELS: dict[str, str] = {
    "access": N_("Who may see a record"),
    "text": N_("Translations"),
    "account": N_("Accounts"),
    "agreement": N_("Agreements"),
    "ceasefire": N_("Ceasefires"),
    "channel": N_("Channels"),
    "contact": N_("Contacts"),
    "control_area": N_("Areas of control"),
    "convoy": N_("Convoys"),
    "escalation": N_("Referrals"),
    "front_line": N_("Front lines"),
    "guarantee": N_("Guarantees"),
    "incident": N_("Incidents"),
    "influence": N_("Influence"),
    "issue": N_("Negotiation issues"),
    "mandate": N_("Mandates"),
    "note": N_("Notes"),
    "notification": N_("Movement notices"),
    "operation": N_("Operations"),
    "organisation": N_("Organisations"),
    "party": N_("Parties"),
    "person": N_("People"),
    "place": N_("Places"),
    "position": N_("Positions"),
    "proposal": N_("Proposals"),
    "route": N_("Routes"),
    "side": N_("Sides"),
    "task": N_("Tasks"),
    "vault": N_("Personal records"),
    "people": N_("People's records"),
    "vehicle": N_("Vehicles"),
    "tracing": N_("Tracing requests"),
}


#: A record of each kind, in the singular (a command "kind: action", a refusal's particular).
RECORD_KINDS: dict[str, str] = {
    "account": N_("account"),
    "agreement": N_("agreement"),
    "ceasefire": N_("ceasefire"),
    "channel": N_("channel"),
    "contact": N_("contact"),
    "control_area": N_("area of control"),
    "convoy": N_("convoy"),
    "escalation": N_("referral"),
    "facility": N_("facility"),
    "front_line": N_("front line"),
    "guarantee": N_("guarantee"),
    "incident": N_("incident"),
    "influence": N_("influence"),
    "issue": N_("negotiation issue"),
    "mandate": N_("mandate"),
    "note": N_("note"),
    "notification": N_("movement notice"),
    "operation": N_("operation"),
    "organisation": N_("organisation"),
    "party": N_("party"),
    "person": N_("person"),
    "place": N_("place"),
    "position": N_("position"),
    "proposal": N_("proposal"),
    "route": N_("route"),
    "side": N_("side"),
    "task": N_("task"),
    "tracing": N_("tracing request"),
    "vehicle": N_("vehicle"),
}


#: A command's or a record's fields, as a person names them.
FIELDS: dict[str, str] = {
    "agreement_version": N_("Agreement version"),
    "alias": N_("Name variant"),
    "aliases": N_("Name variants"),
    "area": N_("Area"),
    "assignee": N_("Assigned to"),
    "at": N_("At"),
    "batch_of": N_("Batch of"),
    "bottom_line": N_("Bottom line (confidential)"),
    "bottom_line_note": N_("Note on the bottom line"),
    "brokers": N_("Brokers"),
    "ceiling": N_("Ceiling"),
    "channel": N_("Channel"),
    "child": N_("Child"),
    "commitment": N_("Commitment"),
    "conditions": N_("Conditions"),
    "confidence": N_("Confidence"),
    "counter": N_("Counter-proposal"),
    "counter_to": N_("Counter-proposal to"),
    "convoys": N_("Convoys"),
    "counts": N_("Counts"),
    "daily": N_("Every day"),
    "declared_by": N_("Declared unilaterally by"),
    "done": N_("How many carried out"),
    "days": N_("Days"),
    "destination": N_("Destination"),
    "displacement": N_("Displacement"),
    "display_name": N_("Display name"),
    "due": N_("Due"),
    "ends_at": N_("Ends"),
    "ends_precision": N_("How precisely the end is known"),
    "escorts": N_("Escorts"),
    "evidence": N_("Evidence"),
    "facilitators": N_("Facilitators (carry out the movement, guarantee nothing)"),
    "follow_up": N_("Follow-up"),
    "from_party": N_("From"),
    "granted_by": N_("Granted by"),
    "allegation": N_("Allegation"),
    "allegations": N_("Alleged perpetrators"),
    "cargo": N_("Cargo"),
    "count": N_("What is counted"),
    "figure": N_("Figure"),
    "certainty": N_("How it is known"),  # a figure's
    "value": N_("Number"),
    "high": N_("Highest (for a range)"),
    "group": N_("Who is carried"),
    "group_kind": N_("Kind of group"),
    "humanitarian": N_("Humanitarian impact"),
    "leg": N_("Leg"),
    "stops": N_("Stops"),
    "hashes": N_("Fingerprints (SHA-256)"),
    "id": N_("Identifier"),
    "joined": N_("Parties joining"),
    "left": N_("Parties leaving"),
    "line": N_("Line"),
    "link": N_("How the movements are linked"),
    "mandate": N_("Mandate"),
    "medium": N_("Means"),
    "members": N_("Members"),
    "note_kind": N_("Kind of note"),
    "observers": N_("Observers"),
    "of": N_("Out of"),
    "offers": N_("Offers"),
    "organisation_kind": N_("Kind of organisation"),
    "origin": N_("Origin"),
    "own_side": N_("Own side"),
    "participants": N_("Participants"),
    "party_kind": N_("Kind of party"),
    "perpetrator_confidence": N_("Confidence in the alleged perpetrator"),
    "person": N_("Person"),
    "personal": N_("Personal data"),
    "place": N_("Place"),
    "place_kind": N_("Kind of place"),
    "point": N_("Point"),
    "polygon": N_("Area (polygon)"),
    "reason": N_("Reason"),
    "reasons": N_("Reasons"),
    "red_lines": N_("Red lines"),
    "rejections": N_("Rejections"),
    "related": N_("Related records"),
    "relative": N_("Relative"),
    "role_title": N_("Role title"),
    "scheduled_for": N_("Scheduled for"),
    "shared_with": N_("Shared with"),
    "side": N_("Side"),
    "sought": N_("Sought"),
    "starts_at": N_("Starts"),
    "starts_precision": N_("How precisely the start is known"),
    "stop": N_("Stop"),
    "strength": N_("Strength"),
    "sub_event_type": N_("Sub-category"),
    "subject": N_("Subject"),
    "subjects": N_("Subjects"),
    "summary": N_("Summary"),
    "target": N_("Target"),
    "term": N_("Term"),
    "terms": N_("Terms"),
    "text": N_("Text"),
    "field": N_("Which text"),
    "time_bounds": N_("Time bounds"),
    "not_before": N_("Not before"),
    "ahead_hours": N_("Hours ahead allowed"),
    "opens": N_("Opens at"),
    "closes": N_("Closes at"),
    "first_day": N_("First day"),
    "last_day": N_("Last day"),
    "details": N_("Details"),
    "phones": N_("Phone numbers"),
    "region": N_("Body region"),
    "timezone": N_("Time zone"),
    "title": N_("Title"),
    "to_party": N_("To party"),
    "to_person": N_("To person"),
    "until": N_("Until the other is"),
    "valid_from": N_("Valid from"),
    "valid_to": N_("Valid to"),
    "valid_until": N_("Valid until"),
    "vault_ref": N_("Personal record"),
    "vehicle": N_("Vehicle"),
    "vehicle_kind": N_("Kind of vehicle"),
    "via": N_("Through"),
    "via_channel": N_("Through channel"),
    "via_parties": N_("Through parties"),
    "via_persons": N_("Through persons"),
    "visibility": N_("Who may see it"),
    "waits_for": N_("Waits for"),
    "weapon": N_("Weapon"),
    "weapon_detail": N_("Weapon, in detail"),
    "window_from": N_("Window opens"),
    "window_until": N_("Window closes"),
    "acknowledgements": N_("Acknowledgements"),
    "adopted_at": N_("Adopted at"),
    "aid_workers": N_("Aid workers"),
    "awaiting_since": N_("Awaiting an answer since"),
    "belongings": N_("Belongings"),
    "beneficiaries": N_("Beneficiaries"),
    "breaches": N_("Breaches"),
    "breakdown": N_("Breakdown"),
    "children": N_("Children"),
    "civil_defence": N_("Civil defence"),
    "closed_at": N_("Closed at"),
    "closed_reason": N_("Reason for closing"),
    "concluded_at": N_("Concluded at"),
    "coordinates": N_("Coordinates"),
    "corrections": N_("Corrections"),
    "countered_by": N_("Answered by a counter-proposal"),
    "created_at": N_("Recorded at"),
    "decision": N_("Decision"),
    "destination_text": N_("Destination, as written"),
    "disabled": N_("Disabled"),
    "end_reason": N_("Reason it ended"),
    "entity": N_("Kind of record"),
    "families": N_("Families"),
    "fighters": N_("Fighters"),
    "figures": N_("Figures"),
    "first_response_at": N_("First answer at"),
    "follow_ups": N_("Follow-ups"),
    "from_place": N_("From"),
    "fulfilment": N_("Fulfilment"),
    "given_at": N_("Given at"),
    "given_by": N_("Given by"),
    "key": N_("Key"),
    "kind": N_("Kind"),
    "language": N_("Language"),
    "manifest": N_("Manifest"),
    "occurred_at": N_("Happened at"),
    "outcome_note": N_("Note on the outcome"),
    "retired_reason": N_("Why it is no longer current"),
    "revoked_reason": N_("Reason for revoking"),
    "status_reason": N_("Reason for the status"),
    "what": N_("What is guaranteed"),
    "owner": N_("Recorded by organisation"),
    "periods": N_("Periods"),
    "phase_convoys": N_("Convoys of each phase"),
    "proposal": N_("Proposal"),
    "raised_at": N_("Raised at"),
    "ref": N_("Short reference"),
    "reported_by": N_("Reported by"),
    "responded_at": N_("Answered at"),
    "restored": N_("Restored"),
    "retention_days": N_("Days records are kept"),
    "revisions": N_("Revisions"),
    "sent_at": N_("Sent at"),
    "standing": N_("Standing"),
    "supersedes": N_("Replaces"),
    "tabled_at": N_("Tabled at"),
    "to_place": N_("To"),
    "type": N_("Type"),
    "unit": N_("Unit"),
    "unknown": N_("Not known"),
    "updated_at": N_("Last changed at"),
    "verification_history": N_("Verification history"),
    "who": N_("Who"),
    "withdrawn_at": N_("Withdrawn at"),
    "arms": N_("Arms"),
    "civilians": N_("Civilians"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "original": N_("Original"),
    "translation_language": N_("Language of the translation"),
    "facility_kind": N_("Kind of facility"),
    "item": N_("Which item of the list"),
    "part": N_("Which list of texts in the item"),
    "part_item": N_("Which text of that list"),
    "on_vehicle": N_("Arrived on vehicle"),
}


#: Fields whose name says too little alone: (kind of record, field) → the label. A vehicle's
#: (or a tracing request's) ``number`` is a person's number on the vehicle's manifest, not a
#: count; a phase's ``number`` is no such thing.
KIND_FIELDS: dict[tuple[str, str], str] = {
    ("vehicle", "number"): N_("Number on the vehicle's manifest"),
    ("tracing", "number"): N_("Number on the vehicle's manifest"),
}


def field_label(name: str, lang: str, kind: str = "") -> str | None:
    """A field's label (``batch_of`` → "دفعة من") on a record of ``kind`` (when known), or
    None when the catalogue has none."""
    if (kind, name) in KIND_FIELDS:
        return tr(lang, KIND_FIELDS[kind, name])
    if name in FIELDS:
        return tr(lang, FIELDS[name])
    label = name.replace("_", " ").capitalize()
    return tr(lang, label) if has_words(label) else None


def event_label(type_name: str, lang: str) -> str:
    message = EVENT_LABELS.get(type_name)
    return tr(lang, message) if message else tr(lang, "Recorded change")


def status_label(status: str, lang: str) -> str:
    """A convoy's status, or (outside convoys) any other status word of the catalogue."""
    if status in STATUS_LABELS:
        return ptr(lang, CONVOY, STATUS_LABELS[status])
    return tr(lang, status)


def precision_label(precision: str, lang: str) -> str:
    message = PRECISION_LABELS.get(precision)
    return tr(lang, message) if message else tr(lang, "unspecified")


def category_label(category: str, lang: str) -> str:
    """``event_type`` or ``event_type/sub_event_type`` in words."""
    words = [
        tr(lang, CATEGORY_LABELS.get(part, CATEGORY_LABELS["other"]))
        for part in category.split("/")
    ]
    return " — ".join(words)


#: What kind of organisation takes part (``OrganisationKind``).
ORGANISATION_KINDS = {
    "negotiating_team": N_("A side's negotiating team"),
    "guarantor": N_("A guarantor's liaison officers"),
    "humanitarian": N_("Humanitarian organisation"),
    "monitor": N_("Ceasefire monitoring mission"),
    "installation": N_("Those who run this installation"),
    "other": N_("Other organisation"),
}


def organisation_kind_label(kind: str, lang: str) -> str:
    return tr(lang, ORGANISATION_KINDS.get(kind, ORGANISATION_KINDS["other"]))


def kind_label(kind: str, lang: str) -> str:
    message = KIND_LABELS.get(kind)
    return tr(lang, message) if message else tr(lang, "Other records")


def figure_words(figure: Any, lang: str) -> str:
    """A figure as known, in words: "500", "about 500", "at least 300", "1,100 to 1,200",
    "not known" (``figure`` is a figure's JSON)."""
    if not isinstance(figure, dict):
        return tr(lang, "not known")
    value, high = figure.get("value") or 0, figure.get("high") or 0
    if figure.get("value") is None and figure.get("certainty") != "unknown":
        return tr(lang, "not known")
    match figure.get("certainty", "exact"):
        case "approximate":
            return tr(lang, "about %(n)s", n=number(value, lang))
        case "at_least":
            return tr(lang, "at least %(n)s", n=number(value, lang))
        case "range":
            return tr(lang, "%(low)s to %(high)s", low=number(value, lang), high=number(high, lang))
        case "unknown":
            return tr(lang, "not known")
    return number(value, lang)


def total_words(total: Any, lang: str) -> str:
    """What figures add up to (a ``Total``'s JSON), in words: a number, "about" one,
    a range, "at least" one; and for how many convoys it is not known."""
    words, gap = total_parts(total, lang)
    return tr(lang, "%(figure)s (%(gap)s)", figure=words, gap=gap) if gap else words


def total_parts(total: Any, lang: str) -> tuple[str, str]:
    """:func:`total_words` in two parts: the figure, and for how many convoys it is not
    known ("" if for none), for a page to set the figure large and the note beside it small."""
    if not isinstance(total, dict):
        return tr(lang, "not known"), ""
    low, high, unknown = total.get("low", 0), total.get("known_high"), total.get("unknown", 0)
    if unknown and not low and not high:
        return tr(lang, "not known"), ""
    if high is None:
        words = tr(lang, "at least %(n)s", n=number(low, lang))
    elif high != low:
        words = tr(lang, "%(low)s to %(high)s", low=number(low, lang), high=number(high, lang))
    elif total.get("approximate"):
        words = tr(lang, "about %(n)s", n=number(low, lang))
    else:
        words = number(low, lang)
    gap = ntr(lang, "not known for %(n)s convoy", "not known for %(n)s convoys", unknown)
    return words, gap if unknown else ""


def language_name(tag: str, lang: str) -> str:
    """The name of the language of ``tag`` in ``lang`` (CLDR, through Babel): "الإنجليزية"."""
    from babel import Locale

    from mamar.domain.text import primary_language

    name = Locale.parse(lang).languages.get(primary_language(tag))
    return str(name) if name else tag


def script_name(code: str, lang: str) -> str:
    """The name of a script (ISO 15924 code) in ``lang`` (CLDR, through Babel): "اللاتينية"."""
    from babel import Locale

    name = Locale.parse(lang).scripts.get(code)
    return str(name) if name else code


def tag_name(tag: str, lang: str) -> str:
    """What a language tag names, in ``lang``, with its script and region when it has them
    ("ar-Latn" → "العربية (اللاتينية)", "ar-SY" → "Arabic (Syria)"); a subtag CLDR does not
    name is said as it is written."""
    from babel import Locale

    reader = Locale.parse(lang)
    parts = tag.replace("_", "-").split("-")
    name = language_name(parts[0], lang)
    details = []
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            details.append(str(reader.scripts.get(part.title()) or part))
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            details.append(str(reader.territories.get(part.upper()) or part))
        else:
            break  # variants, extensions, private use: not named
    return f"{name} ({tr(lang, ', ').join(details)})" if details else name
