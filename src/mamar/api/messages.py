"""Error messages: the API's own, validation errors by type, and domain refusal codes.

Each code maps to an English message id; the words shown come from the Babel
catalogues, Arabic first (``mamar.web.i18n``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import MAXYEAR, MINYEAR
from typing import Any

from mamar.domain.errors import DomainError
from mamar.domain.text import LINE_MAX
from mamar.i18n.labels import RECORD_KINDS, script_name, status_label, tag_name
from mamar.persons.personal import PHONE_PATTERN
from mamar.web.i18n import DEFAULT, N_, digits, number, tr

# The API's own errors. ``%(name)s`` parameters are filled in when given.
API: dict[str, str] = {
    "unauthenticated": N_("sign in, or send an API token (Authorization: Bearer …)"),
    "forbidden": N_("your role may not do this"),
    "insufficient_scope": N_(
        "this API token may only read; a token with the 'write' scope is needed"
    ),
    "csrf_failed": N_("the X-CSRF-Token header is missing or does not match this session"),
    "invalid_credentials": N_("the username or password is wrong, or the account is disabled"),
    "throttled": N_("too many failed sign-ins: wait %(seconds)s seconds and try again"),
    "body_too_large": N_("the request body is larger than %(limit)s bytes"),
    "unsupported_media_type": N_("send the body as JSON (Content-Type: application/json)"),
    "malformed_json": N_("the body is not valid JSON"),
    "route_not_found": N_("there is no such address in this API"),
    "method_not_allowed": N_("this address does not accept this method"),
    "naive_time": N_("give the time with a UTC offset, e.g. 2016-12-13T19:00+02:00"),
    "time_out_of_range": N_(
        "this time is outside the calendar once converted to UTC (years %(first)s to %(last)s)"
    ),
    "bad_request": N_("the request could not be understood"),
    "internal_error": N_("an unexpected error occurred; nothing was recorded"),
}

VALIDATION: dict[str, str] = {
    "missing": N_("This field is required"),
    "extra_forbidden": N_("This field is not known"),
    "string_type": N_("Must be text"),
    "int_type": N_("Must be a whole number written in digits, e.g. %(example)s"),
    "int_parsing": N_("Must be a whole number written in digits, e.g. %(example)s"),
    "int_from_float": N_("Must be a whole number written in digits, e.g. %(example)s"),
    "float_type": N_("Must be a number written in digits, e.g. %(example)s"),
    "float_parsing": N_("Must be a number written in digits, e.g. %(example)s"),
    "bool_type": N_("Must be yes or no (true or false)"),
    "bool_parsing": N_("Must be yes or no (true or false)"),
    "dict_type": N_("Must be an object"),
    "model_type": N_("Must be an object"),
    "model_attributes_type": N_("Must be an object"),
    "list_type": N_("Must be a list"),
    "tuple_type": N_("Must be a list"),
    "enum": N_("Choose one of the options offered"),
    "literal_error": N_("Choose one of the options offered"),
    "string_pattern_mismatch": N_("Not in the expected form"),
    "phone_invalid": N_(
        "Write the phone number in digits, with + before the country code if there is one, "
        "e.g. +963 944 123 456"
    ),
    "string_too_short": N_("Must be at least %(min_length)s characters"),
    "string_too_long": N_("Must be at most %(max_length)s characters"),
    "too_short": N_("Give at least %(min_length)s"),
    "too_long": N_("Give at most %(max_length)s"),
    "greater_than": N_("Must be more than %(gt)s"),
    "greater_than_equal": N_("Must be %(ge)s or more"),
    "less_than": N_("Must be less than %(lt)s"),
    "less_than_equal": N_("Must be %(le)s or less"),
    "datetime_type": N_("Must be a time in ISO 8601 with its UTC offset"),
    "datetime_parsing": N_("Not a valid time (e.g. 2016-12-13T19:00+02:00)"),
    "datetime_from_date_parsing": N_(
        "Not a valid time, or an impossible date (e.g. 2016-12-13T19:00+02:00)"
    ),
    "date_parsing": N_("Not a valid date"),
    "json_invalid": N_("The body is not valid JSON"),
    "client_id": N_(
        "Identifiers are generated: leave the id out (a client creating records offline "
        "may give a UUID it generated itself)"
    ),
    "reference_invalid": N_(
        "Not a record's identifier (lower-case Latin letters, digits and hyphens, e.g. ramouseh-road)"
    ),
    "kind_invalid": N_("Not a kind of record (e.g. convoy or place)"),
    "time_out_of_range": N_(
        "This time is outside the calendar once converted to UTC (years %(first)s to %(last)s)"
    ),
    "text_hidden_character": N_(
        "The text holds a hidden or direction-changing character (U+%(code)s); remove it"
    ),
    "text_control_character": N_("The text holds a control character (U+%(code)s); remove it"),
    "text_surrogate": N_("The text holds half a character (U+%(code)s); the text is damaged"),
    "text_empty": N_("The text may not be empty"),
    "text_too_long": N_("The text is longer than %(limit)s characters"),
    "language_tag_malformed": N_(
        "“%(tag)s” is not a language tag: write one like ar, en, ar-SY or zh-Hant"
    ),
    "language_unknown": N_("The language “%(subtag)s” is not known"),
    "script_unknown": N_("The script “%(subtag)s” is not known"),
    "text_script_mismatch": N_(
        "The text is written in %(script)s script, but its language is given as "
        "%(language)s: choose the language it is written in"
    ),
    "region_unknown": N_("The region “%(subtag)s” is not known"),
    "value_error": N_("This value is not valid"),
    "assertion_error": N_("This value is not valid"),
    "latitude_range": N_("Latitude must be between %(low)s and %(high)s degrees"),
    "longitude_range": N_("Longitude must be between %(low)s and %(high)s degrees"),
    "time_naive": N_("Give the time with its UTC offset, e.g. 2016-12-13T19:00+02:00"),
    "timezone_unknown": N_("Unknown time zone: give a name like Asia/Damascus"),
    "name_missing": N_("Give the name in Arabic, in English, or both"),
    "sha256_invalid": N_("Not a SHA-256 digest: %(n)s hexadecimal characters are expected"),
    "breakdown_exceeds": N_("The breakdown adds up to %(parts)s, more than the total of %(total)s"),
    "ends_before_start": N_("The end must be after the start"),
    "ring_invalid": N_("A polygon's ring needs at least four points and must end where it starts"),
    "exterior_missing": N_("Every polygon needs an outer ring"),
    "photo_too_large": N_(
        "The photo is larger than %(limit)s megabytes: take it again at a lower resolution, "
        "or choose a smaller one"
    ),
    "photo_not_image": N_("This file is not a photo: choose a JPEG, PNG or WebP picture"),
    "photo_unreadable": N_("This photo is damaged and cannot be read: take it again"),
    "figure_invalid": N_(
        "Not a figure: write a number (%(exact)s), ~%(about)s (about), >%(least)s (at least), "
        "%(low)s-%(high)s (a range) or unknown"
    ),
    "figure_unknown_with_value": N_("A figure that is not known has no number"),
    "figure_value_required": N_("Give the number"),
    "figure_range": N_("A range needs a highest number at least as large as its lowest"),
    "figure_high_only_range": N_("Only a range has a highest number"),
    "children_exceed": N_("There are more children (%(children)s) than the total (%(total)s)"),
    "too_few_parties": N_(
        "An agreement has two parties at least; one declared by a single party says which"
    ),
}

DOMAIN: dict[str, str] = {
    "not_found": N_("There is no such record"),
    "already_exists": N_("A record with this identifier already exists"),
    "illegal_transition": N_("This change of status is not possible from the current status"),
    "not_permitted": N_("You may not do this"),
    "conflict": N_("The record changed meanwhile; try again"),
    "unchanged": N_("No change: the value is the same"),
    "duplicate": N_("Given twice"),
    "duplicate_party": N_("A party is given twice"),
    "duplicate_evidence": N_("This evidence is already recorded"),
    "empty": N_("This may not be empty"),
    "no_such_text": N_("This record has no such text"),
    "nothing_to_translate": N_("This text is empty: there is nothing to translate"),
    "item_needed": N_("Say which item of the list to translate"),
    "no_such_item": N_("The list has no such item"),
    "not_a_list": N_("This text is not a list: it has no items"),
    "same_language": N_("The translation is in the language of the original"),
    "translation_one_line": N_(
        "This text is one line: give its translation on one line too, of at most %(n)s characters"
    ),
    "empty_version": N_("The version is empty"),
    "unknown_version": N_("There is no such version of it"),
    "empty_proposal": N_("The proposal is empty"),
    "already_closed": N_("The record is already closed"),
    "already_disabled": N_("The account is already disabled"),
    "not_disabled": N_("The account is not disabled"),
    "already_erased": N_("This person's record is already erased"),
    "already_retired": N_("The record is already retired"),
    "erased": N_("This personal record is erased"),
    "self_disable": N_("An administrator cannot disable their own account"),
    "self_reference": N_("A record may not refer to itself"),
    "unknown_account": N_("There is no account with this name"),
    "unknown_token": N_("There is no active API token with this identifier"),
    "weak_password": N_("The password is too short"),
    "unsealed": N_("Personal data must be kept in the vault"),
    "vault_ref_reserved": N_(
        "The system sets this when it keeps personal data in the vault: leave it empty"
    ),
    "invalid_geometry": N_("The shape is not valid"),
    "same_ends": N_("The start and the end are the same"),
    "bad_interval": N_("The time span is not valid"),
    "ends_before_start": N_("The end must be after the start"),
    "terminated": N_("The record has ended"),
    "status_missing": N_("The status is not given"),
    "required": N_("This field is required"),
    "reason_required": N_("Give the reason"),
    "no_parties": N_("Name at least one party"),
    "beyond_tree": N_("The record is not that large yet"),
    "size_order": N_("The first size is larger than the second"),
    "bad_key": N_("The public key is not valid"),
    "bad_cosignature": N_("The cosignature is not valid or does not match the checkpoint"),
    "unknown_witness": N_("There is no witness registered with this name"),
    "unknown_organisation": N_("There is no organisation registered with this identifier"),
    "bad_reference": N_("Write the record as kind:identifier, e.g. incident:shelling-1"),
    "no_signing_key": N_("This installation has no key to sign checkpoints"),
    "time_too_early": N_("This time is earlier than this operation accepts"),
    "time_too_late": N_("This time is further after now than this operation accepts"),
    "bad_cursor": N_("This cursor was not issued to you by this system, or was altered"),
    "unknown_stop": N_("This is not one of the convoy's stops"),
    "no_boarding_at_destination": N_("No one boards at the destination"),
    "no_arrival_at_origin": N_("No one arrives at the origin"),
    "not_on_manifest": N_("This number is not on this vehicle's manifest"),
    "vehicle_full": N_("The vehicle's manifest is full"),
    "tracing_closed": N_("This tracing request is closed"),
    "no_people": N_("Give at least one name"),
    "photo_without_name": N_("A photo needs the person's name"),
    "arrival_only_at_destination": N_("People are listed as arrived only at the destination"),
    "other_vehicle_only_on_arrival": N_("Only an arrival is recorded on another vehicle"),
    "convoy_closed": N_("The convoy has arrived or was cancelled: this can no longer change"),
    "stop_twice": N_("This place is already a stop of this leg of the convoy"),
    "born_after_now": N_("The year of birth cannot be after the current year"),
    "same_place": N_("The destination must be another place than the origin"),
    "count_exceeds_boarded": N_(
        "More people arrived than boarded: give at most the number who boarded"
    ),
    "same_party": N_("Choose another party: the two parties must be different"),
    "stop_already_reached": N_("The convoy's arrival at this stop is already recorded"),
    "stop_not_reached": N_("Record the arrival at this stop before the departure"),
    "stop_already_left": N_("The convoy's departure from this stop is already recorded"),
    "not_a_pickup": N_("People board at a pickup or staging point: give the count there"),
    "not_arrived": N_("Record arrivals once the convoy has arrived"),
    "allegation_twice": N_("This party is already alleged by the same party"),
    "duplicate_category": N_("A category is given twice"),
    # Agreements: roles, phases, fulfilment; linked movements.
    "more_than_agreed": N_("More than the number agreed"),
    "done_missing": N_("Say how many, for a partial fulfilment"),
    "not_whole": N_("Fewer than agreed: that is a partial fulfilment"),
    "unknown_term": N_("The current version has no such term"),
    "phase_already": N_("The phase is already in this state, or completed"),
    "phase_not_started": N_("The phase has not started"),
    "unknown_phase": N_("The current version has no such phase"),
    "self_wait": N_("A convoy cannot wait for itself"),
    "already_waiting": N_("The convoy already waits for that one"),
    "not_waiting": N_("The convoy does not wait for that one (or it has arrived or was cancelled)"),
    "bad_until": N_("A convoy waits for another to be staged, departed or arrived"),
    "two_roles": N_("A party holds one of these roles only"),
    "party_in_role": N_("A party to the agreement cannot be its facilitator, broker or observer"),
    "already_party": N_("Already a party to the agreement"),
    "not_a_party": N_("Not a party to the agreement"),
    "too_few_parties": N_("An agreement keeps at least two parties"),
    "not_concluded": N_("The agreement is not concluded yet"),
}

REFUSED = N_("The request was refused")


def _calendar(lang: str) -> dict[str, object]:
    """The years a time may fall in once converted to UTC: written as years (never grouped)."""
    return {"first": digits(str(MINYEAR), lang), "last": digits(str(MAXYEAR), lang)}


def _bounds(low: int, high: int) -> Callable[[str], dict[str, object]]:
    return lambda lang: {"low": number(low, lang), "high": number(high, lang)}


def _figures(lang: str) -> dict[str, object]:
    """Figures as a person types them (never grouped)."""
    typed = {"exact": 500, "about": 500, "least": 300, "low": 1100, "high": 1200}
    return {name: digits(str(value), lang) for name, value in typed.items()}


#: What a sentence says that its refusal does not carry, by code: a limit, in the reader's
#: digits; an example of what to type, in the reader's digits too, as every field these are
#: said for reads Arabic-Indic digits as well (a figure, a year of birth).
SAID: dict[str, Callable[[str], dict[str, object]]] = {
    "time_out_of_range": _calendar,
    "latitude_range": _bounds(-90, 90),
    "longitude_range": _bounds(-180, 180),
    "sha256_invalid": lambda lang: {"n": number(hashlib.sha256().digest_size * 2, lang)},
    "figure_invalid": _figures,
    "translation_one_line": lambda lang: {"n": number(LINE_MAX, lang)},
    "born_after_now": lambda lang: {"example": digits("1980", lang)},
}

#: The example of a number a refusal of one shows. A page's form reads Arabic-Indic digits
#: too and says it in the reader's; JSON (the API) writes numbers in Latin digits only.
NUMBER_EXAMPLES: dict[str, float] = {
    "int_type": 12,
    "int_parsing": 12,
    "int_from_float": 12,
    "float_type": 36.2,
    "float_parsing": 36.2,
}


def said(code: str, lang: str) -> dict[str, object]:
    """The particulars :data:`SAID` gives the sentence of ``code`` (none for most)."""
    found = SAID.get(code)
    return found(lang) if found else {}


def api_message(code: str, lang: str, **params: object) -> str:
    return tr(lang, API.get(code, API["bad_request"]), **said(code, lang), **params)


#: Refusals whose particulars (``DomainError.params``) are said too, when every one of them
#: has words in the catalogues; otherwise the code's sentence above is said alone.
DOMAIN_DETAILED: dict[str, str] = {
    "not_found": N_("There is no such record (%(kind)s)"),
    "illegal_transition": N_(
        "The status cannot change from “%(current)s” to “%(wanted)s”; it can become: %(allowed)s"
    ),
}
DOMAIN_DETAILED["born_after_now"] = N_(
    "The year of birth cannot be after %(year)s: write it with four digits, e.g. %(example)s"
)
FINAL_STATUS = N_("The status cannot change from “%(current)s”: it is final")


def domain_message(exc: DomainError, lang: str) -> str:
    """A domain refusal in the catalogue's words, the same way in every language: the
    sentence for its code, with its particulars (a record's kind, statuses) in words too.
    The domain's own English sentence (``exc.message``) names ids: it is for the logs."""
    words = {name: _word(name, value, lang) for name, value in exc.params.items()}
    fixed = said(exc.code, lang)
    if any(value is None for value in words.values()):
        return tr(lang, DOMAIN.get(exc.code, REFUSED), **fixed)
    if exc.code == "illegal_transition" and words.get("allowed") == "":
        return tr(lang, FINAL_STATUS, current=words["current"])
    message = DOMAIN_DETAILED.get(exc.code)
    if message is not None and words:
        try:
            return tr(lang, message, **fixed, **words)
        except KeyError:
            pass
    return tr(lang, DOMAIN.get(exc.code, REFUSED), **fixed)


def _word(name: str, value: str | tuple[str, ...], lang: str) -> str | None:
    """A particular in the catalogue's words, or None when the catalogue has none for it."""
    if isinstance(value, tuple):
        each = [_word(name, v, lang) for v in value]
        if any(w is None for w in each):
            return None
        return tr(lang, ", ").join(w for w in each if w is not None)
    if name == "year" and isinstance(value, str) and value.isdigit():
        return digits(value, lang)  # a year, as written: never grouped
    if name == "kind":
        return tr(lang, RECORD_KINDS[value]) if value in RECORD_KINDS else None
    if name in ("current", "wanted", "allowed"):
        word = status_label(value, DEFAULT)
        return status_label(value, lang) if word != value else None
    return None


#: Fields holding a year: their bounds are years, written without grouping ("2100", never
#: "2,100"), in the reader's digits.
YEAR_FIELDS = {"year_of_birth", "year"}


def validation_message(
    error_type: str,
    english: str,
    lang: str,
    context: Mapping[str, Any] | None = None,
    field: str | None = None,
    *,
    in_form: bool = False,
) -> str:
    """A validation error in the catalogue's words, saying what is allowed.

    ``english`` (Pydantic's or a validator's sentence) is not shown: it is not in
    the catalogues. A string that must not be empty says the field is required. The
    ``field`` refused (dotted) tells whether a bound is a year. ``in_form``: the value was
    typed in a page's form (which reads Arabic-Indic digits too), not sent as JSON."""
    del english
    years = field is not None and field.rsplit(".", 1)[-1] in YEAR_FIELDS
    params = {
        k: digits(str(v), lang) if years and isinstance(v, int) else _param(v, lang, k)
        for k, v in (context or {}).items()
    }
    params = {**said(error_type, lang), **params}
    if error_type in NUMBER_EXAMPLES:
        example = NUMBER_EXAMPLES[error_type]
        params["example"] = number(example, lang) if in_form else str(example)
    if error_type == "string_too_short" and str(params.get("min_length")) in ("1", "١"):
        error_type = "missing"
    if error_type == "string_pattern_mismatch" and (context or {}).get("pattern") == PHONE_PATTERN:
        error_type = "phone_invalid"  # what a phone number looks like, not just "wrong"
    message = VALIDATION.get(error_type, VALIDATION["value_error"])
    try:
        return tr(lang, message, **params)
    except (KeyError, ValueError, TypeError):
        return tr(lang, VALIDATION["value_error"])


#: Particulars that are codes, said in the reader's words (CLDR names, through Babel).
_WORDS_OF: dict[str, Callable[[str, str], str]] = {"script": script_name, "language": tag_name}


def _param(value: Any, lang: str, name: str = "") -> object:
    if name in _WORDS_OF and isinstance(value, str):
        return _WORDS_OF[name](value, lang)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return number(value, lang)
    return value
