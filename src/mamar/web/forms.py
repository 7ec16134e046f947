"""Forms to commands: validate, execute, or explain each refusal next to its field.

Nothing is recorded when a form is refused: the page is shown again with the
values typed and one message per field, in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from mamar.api.errors import DOMAIN_STATUS, field_of
from mamar.api.messages import domain_message, validation_message
from mamar.domain.errors import DomainError
from mamar.domain.ids import split_stream
from mamar.domain.model import Command, command_type
from mamar.domain.text import fits_script, unsaid_language
from mamar.domain.time import OccurredAt
from mamar.journal.envelope import RecordedEvent
from mamar.services.commands import execute
from mamar.web import confirm, i18n
from mamar.web.i18n import N_
from mamar.web.languages import OTHER
from mamar.web.page import View

GENERAL = "_general"


class FormErrors(Exception):
    """Field name (dotted, as in the form) → message in the page's language."""

    def __init__(self, errors: dict[str, str], status: int = 422) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors
        self.status = status


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    """``{"name.ar": x}`` → ``{"name": {"ar": x}}``; empty strings are left out."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if value == "" or value is None or value == []:
            continue
        target = result
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def _validation_errors(exc: ValidationError, lang: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        # A text's words (``x.original``) are typed in the field named for the text (``x``).
        name = (field_of(error.get("loc", ())) or GENERAL).removesuffix(".original")
        english = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        message = validation_message(
            str(error.get("type")), english, lang, error.get("ctx"), field=name, in_form=True
        )
        errors.setdefault(name, message)
    return errors


#: Arabic-Indic and Eastern Arabic-Indic digits, as phones type them, to 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
BAD_MOMENT = N_("Give a date and time, e.g. %(example)s")


def parse_moment(text: str, tz: str) -> datetime:
    """A date and time as typed in a form, whatever the browser's locale: year-month-day and
    hour:minute ("2016-12-15 05:00", with a "T" or a space, in Arabic-Indic digits too, or a
    date alone), in the operation's zone ``tz`` unless it gives its own offset.
    ValueError if it is not one."""
    cleaned = " ".join(text.translate(_DIGITS).replace("\u060c", " ").split())
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=i18n.zone(tz))
    try:
        moment.astimezone(UTC)
    except OverflowError:  # no UTC equivalent (year 1, year 9999)
        raise ValueError(text) from None
    return moment


def language_of(view: View, name: str) -> str:
    """The language the person says the text of field ``name`` is written in: its
    ``name.language`` select (see the ``written_in`` macro), or for another language the
    code typed beside it (``name.language_other``). It is never guessed from the text; a
    code that names no language, or one whose script the words are not in, is refused
    beside the field. A post without the select (a client other than the page) is taken
    to be in the page's language, unless the words have no letter of its script: then
    their language is not known (:func:`~mamar.domain.text.unsaid_language`)."""
    chosen = view.form.get(f"{name}.language", "").strip()
    code = view.form.get(f"{name}.language_other", "").strip()
    if chosen == OTHER or code:  # "another language": its code, typed beside the select
        return code
    if chosen:
        return chosen
    words = view.form.get(name, "")
    return view.lang if fits_script(words, view.lang) else unsaid_language(words)


#: Stands in for a time not given (or not a time) while the words said for it are checked.
_SOME_MOMENT = datetime(2016, 1, 1, tzinfo=UTC)


def occurred_from(view: View) -> OccurredAt | None:
    """The optional "when did it happen" fields: local time in the operation's zone. The
    words said for it are in the language chosen beside them (:func:`language_of`), and are
    checked whatever the time (too long, or a language that is none, is said beside them
    even when the time is left empty or is not one)."""
    text = view.form.get("occurred_at", "").strip()
    errors: dict[str, str] = {}
    moment: datetime | None = None
    if text:
        try:
            moment = parse_moment(text, view.timezone)
        except ValueError:
            errors["occurred_at"] = view.t(BAD_MOMENT, example=i18n.example_moment(view.lang))
    occurred: OccurredAt | None = None
    words = view.form.get("phrase")
    try:
        occurred = OccurredAt(
            at=moment or _SOME_MOMENT,
            precision=view.form.get("precision") or "minute",
            phrase=(
                {"original": words, "language": language_of(view, "phrase")} if words else None
            ),
        )
    except ValidationError as exc:
        for key, message in _validation_errors(exc, view.lang).items():
            # The words' problems are said beside them, their language's beside its select.
            field = key if key == "phrase.language" else key.split(".")[0]
            errors.setdefault("occurred_at" if field == "at" else field, message)
    if errors:
        raise FormErrors(errors)
    return occurred if moment is not None else None


def build(view: View, name: str, data: dict[str, Any]) -> Command:
    """The command ``name`` from form data, or FormErrors."""
    try:
        return command_type(name).model_validate(data)
    except ValidationError as exc:
        raise FormErrors(_validation_errors(exc, view.lang)) from exc


REQUIRED = N_("This field is required")
#: A name or title in two languages left empty in both: either one is enough.
EITHER = N_("Required in Arabic or in English: one of the two is enough")
WHOLE = N_("Must be a whole number written in digits, e.g. %(example)s")
#: The example :data:`WHOLE` gives (the reader's digits: the forms read Arabic-Indic too).
WHOLE_EXAMPLE = 12
AT_LEAST = N_("Must be %(ge)s or more")
AT_MOST = N_("Must be %(le)s or less")
#: The largest count a form takes: more people than a city holds is a slip of the keyboard.
LARGEST = 10_000_000


def whole_number(view: View, name: str, typed: str | None) -> int | None:
    """A count typed in field ``name`` (Arabic-Indic digits too), 0 to :data:`LARGEST`; when
    it is not one, the reason is noted beside the field (said with the form's other
    problems) and None is given."""
    if typed is None or not typed.strip():
        return None
    cleaned = typed.strip().translate(_DIGITS)
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        view.field_errors[name] = view.t(AT_LEAST, ge=i18n.number(0, view.lang))
    elif not cleaned.isdigit():
        view.field_errors[name] = view.t(WHOLE, example=WHOLE_EXAMPLE)
    elif int(cleaned) > LARGEST:
        view.field_errors[name] = view.t(AT_MOST, le=i18n.number(LARGEST, view.lang))
    else:
        return int(cleaned)
    return None


NO_VERSION = N_("There is no such version: give one from 1 to %(n)s")
NO_VERSION_YET = N_("It has no version yet: leave this field without a number")


def version_number(view: View, name: str, typed: str | None, latest: int | None) -> int | None:
    """A version typed in field ``name``: a whole number from 1 to ``latest`` (the record's
    current version; None: not known, e.g. no record chosen). When it is not one, the reason
    is noted beside the field (said with the form's other problems) and None is given."""
    if typed is None or not typed.strip():
        return None
    cleaned = typed.strip().translate(_DIGITS)
    if not cleaned.removeprefix("-").isdigit():
        view.field_errors[name] = view.t(WHOLE, example=WHOLE_EXAMPLE)
        return None
    wanted = int(cleaned)
    if latest == 0:
        view.field_errors[name] = view.t(NO_VERSION_YET)
    elif latest is not None and not 1 <= wanted <= latest:
        view.field_errors[name] = view.t(NO_VERSION, n=i18n.number(latest, view.lang))
    elif wanted < 1:
        view.field_errors[name] = view.t(AT_LEAST, ge=i18n.number(1, view.lang))
    elif wanted > LARGEST:
        view.field_errors[name] = view.t(AT_MOST, le=i18n.number(LARGEST, view.lang))
    else:
        return wanted
    return None


def _given(view: View, name: str) -> bool:
    return any(x.strip() for x in view.form_lists.get(name, [view.form.get(name, "")]))


def missing_fields(
    view: View, names: Iterable[str], either: Mapping[str, Iterable[str]] | None = None
) -> dict[str, str]:
    """Each required field left empty, with the message saying so; and each value of
    ``either`` (its name → its inputs, a name in two languages) given in none of its inputs,
    the message under the value's own name (the pair's, not one of its inputs')."""
    missing = {name: view.t(REQUIRED) for name in names if not _given(view, name)}
    for name, inputs in (either or {}).items():
        if not any(_given(view, one) for one in inputs):
            missing[name] = view.t(EITHER)
    return missing


def run(
    view: View,
    name: str,
    data: dict[str, Any],
    after: Callable[[Connection], None] | None = None,
    *,
    required: Iterable[str] = (),
    either: Mapping[str, Iterable[str]] | None = None,
) -> list[RecordedEvent]:
    """Validate and carry out command ``name`` for the viewer; FormErrors if refused.

    ``required``: the form's fields marked required, refused when empty (every one named).
    ``either``: values given in several inputs, one of which is required (a name in Arabic
    or in English: value's name → its inputs), refused when all are empty.
    ``after`` runs in the same transaction (e.g. setting a new account's password).
    """
    return run_all(view, [(name, data)], after, required=required, either=either)


def run_all(
    view: View,
    commands: Sequence[tuple[str, dict[str, Any]]],
    after: Callable[[Connection], None] | None = None,
    *,
    required: Iterable[str] = (),
    either: Mapping[str, Iterable[str]] | None = None,
    where: Callable[[int, str], str] | None = None,
) -> list[RecordedEvent]:
    """Validate and carry out the ``commands`` (name, data) of one form, in order and all or
    nothing (one transaction): FormErrors if any is refused, and then none is recorded.

    ``where``: the form's field a command's field is typed in (the command's index, its
    field → the form's), for a form whose commands have fields of the same names (each row
    of a list its own command); see :func:`run` for the others.
    """
    place = where or (lambda _index, key: key)
    # Every problem at once, each beside its field: empty required fields, times that
    # are not times (the form's own, noted while reading it, and "when it happened").
    missing = {**view.field_errors, **missing_fields(view, required, either)}
    occurred: OccurredAt | None = None
    try:
        occurred = occurred_from(view)
    except FormErrors as exc:
        missing.update(exc.errors)
    built: list[tuple[str, str | None, Command]] = []
    refused: dict[str, str] = {}
    for index, (name, data) in enumerate(commands):
        status = data.get("status") if isinstance(data.get("status"), str) else None
        try:
            built.append((name, status, build(view, name, data)))
        except FormErrors as exc:
            confirm.refused_again(view, name, status, exc.errors)
            refused.update({place(index, key): message for key, message in exc.errors.items()})
    if refused or missing:
        # The form's own reading of a field (a number that is none) says more than the
        # command's refusal of what it became (missing): it comes first, and is said.
        raise FormErrors({**missing, **{k: m for k, m in refused.items() if k not in missing}})
    for name, status, command in built:
        confirm.check(view, name, status, command)
    system = view.system
    recorded: list[RecordedEvent] = []
    index = 0  # the command being carried out (the last: ``after``)
    try:
        with system.writing() as conn:
            for _name, _status, command in built:
                recorded += execute(
                    conn, command, actor=view.actor, occurred=occurred, vault=system.vault
                )
                index += 1
            if after is not None:
                index -= 1
                after(conn)
    except DomainError as exc:
        name, status = built[index][:2] if built else ("", None)
        message = domain_message(exc, view.lang)
        key = place(index, exc.field) if exc.field else GENERAL
        confirm.refused_again(view, name, status, {key: message})
        raise FormErrors({key: message}, DOMAIN_STATUS.get(exc.code, 422)) from exc  # as the API
    view.recorded = recorded
    return recorded


def record_of(recorded: list[RecordedEvent]) -> str:
    """The id of the record a command recorded events on (a new record's generated id)."""
    return split_stream(recorded[0].stream)[1]


def field_errors_json(errors: dict[str, str]) -> dict[str, Any]:
    """The JSON twin of a refused form: the API's error shape, plus every field's message."""
    first_field, first = next(iter(errors.items()))
    return {
        "error": {
            "code": "invalid_input",
            "message": first,
            "field": None if first_field == GENERAL else first_field,
            "fields": errors,
        }
    }
