"""Form pages described as data: fields, how to turn them into a command, where to go after.

Each workflow form is its own page (``GET`` shows it, ``POST`` records it), so
that a refused form shows its messages next to its own fields only. The same
description is the JSON twin of the ``GET``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.domain.errors import DomainError
from mamar.domain.text import primary_language
from mamar.i18n.labels import RECORD_KINDS
from mamar.i18n.refs import ref_of
from mamar.web import forms, i18n
from mamar.web.errors import form_refusal
from mamar.web.forms import language_of as language_of  # pages building texts by hand use it
from mamar.web.page import PageError, RefusedForm, View, add_page, load_operation, op_view
from mamar.web.pages._shared import entities, entity, joined_name, names_of
from mamar.web.render import Called

#: The fields of "when it happened" (macros.html ``occurred``), under a form that records.
OCCURRED = ("occurred_at", "precision", "phrase", "phrase.language")
#: The name of buttons that ask for the form again with one more fieldset (no recording).
GROW = "more_terms"


#: The kinds of input whose words have their language beside them (``name.language``).
WRITTEN = ("prose", "line")


@dataclass(frozen=True)
class F:
    """One input: ``kind`` is text, textarea, prose, line, select, multi, datetime, number,
    point, hidden, note (``hint`` only: where it is given instead), or buttons (``options``
    are (value, label) of buttons named ``name``).

    ``prose``: a free text a person writes (read with :func:`local_text`), with the
    language it is written in beside it (``name.language``, the page's language unless
    another is chosen, or ``language``: the language of the text ``value`` holds); ``line``:
    the same on one line. ``point``: latitude,longitude, typed left to right."""

    name: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    hint: str | None = None
    value: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Group:
    """Fields shown together under a legend; errors about ``name`` are shown on the group.

    ``required``: one of its fields at least must be given (a name in Arabic or in English,
    see :func:`pair`); the legend is marked, not the fields. ``need``: what is required of
    it, said under the legend, when it is not one of two languages: the page checks it
    itself (it is not one of :func:`either`).
    """

    legend: str
    fields: tuple[F, ...]
    name: str = ""
    required: bool = False
    need: str = ""

    @property
    def whole(self) -> bool:
        """Its fields are the parts of one value, ``name`` (``title.ar`` and ``title.en``
        of ``title``): a message about the value is about each of them."""
        return bool(self.name) and all(f.name.startswith(f"{self.name}.") for f in self.fields)


def pair(
    name: str, legend: str, in_arabic: str, in_english: str, *, required: bool = True
) -> Group:
    """A name or title typed in Arabic, in English or both (``name.ar``, ``name.en``): when
    required, one of the two is (the server refuses neither, so the form marks neither)."""
    fields = (F(f"{name}.ar", in_arabic), F(f"{name}.en", in_english))
    return Group(legend, fields, name=name, required=required)


def name_pair(v: View) -> Group:
    """A record's name (``name.ar``, ``name.en``), one of the two required."""
    return pair("name", v.t("Name"), v.t("Name in Arabic"), v.t("Name in English"))


def title_pair(v: View) -> Group:
    """A record's title (``title.ar``, ``title.en``), one of the two required."""
    return pair("title", v.t("Title"), v.t("Title in Arabic"), v.t("Title in English"))


Item = F | Group


@dataclass
class Form:
    title: str
    items: list[Item]
    submit: str
    intro: str | None = None
    occurred: bool = True
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value shown above
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, label
    #: A command's field given by a field of another name (``note`` typed in ``reason``):
    #: its refusal is said beside the field that gave it.
    given_by: dict[str, str] = field(default_factory=dict)

    def names(self) -> set[str]:
        found: set[str] = set()
        for item in self.items:
            fields = item.fields if isinstance(item, Group) else (item,)
            if isinstance(item, Group):
                found.add(item.name)
            found.update(f.name for f in fields)
            # A text's language has its select beside it: a language that is none is said there.
            found.update(f"{f.name}.language" for f in fields if f.kind in WRITTEN)
        found.update(b[0] for b in self.buttons)
        if self.occurred:  # "when it happened", shown under every form that records
            found.update(OCCURRED)
        found.discard("")
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "title": Markup(self.title).striptags()
            if isinstance(self.title, Markup)
            else self.title,
            "fields": [
                {
                    "group": i.legend,
                    "name": i.name,
                    "required": i.required,
                    "fields": [asdict(f) for f in i.fields],
                }
                if isinstance(i, Group)
                else asdict(i)
                for i in self.items
            ],
            "buttons": [{"name": n, "value": x, "label": t} for n, x, t in self.buttons],
            # A fact may be a text marked with its language (markup): its words, as text.
            "facts": [
                {"label": k, "value": x.striptags() if isinstance(x, Markup) else x}
                for k, x in self.facts
            ],
        }


Build = Callable[[View, str, str | None], Form]
Data = Callable[[View, str, str | None], dict[str, Any]]
Then = Callable[[View, str, str | None], str]


def rule_for(command: str) -> RouteRule:
    return command_rule(command)


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what was not given (empty text, empty lists, None)."""
    return {k: x for k, x in data.items() if x is not None and x != "" and x != [] and x != ()}


def text(v: View, name: str) -> str | None:
    value = v.form.get(name, "").strip()
    return value or None


def lines(v: View, name: str) -> list[str]:
    return [line.strip() for line in v.form.get(name, "").splitlines() if line.strip()]


def chosen(v: View, name: str) -> list[str]:
    """Every value of a multiple select (or a comma/line separated text)."""
    values = v.form_lists.get(name, [])
    out: list[str] = []
    for value in values:
        out.extend(x for x in re.split(r"[\s,،]+", value) if x)
    return out


def local_text(v: View, name: str) -> dict[str, Any] | None:
    """Original words (field ``name``) in the language chosen beside them
    (:func:`language_of`), with an optional translation (``name.translation``): into the
    page's language, or into the other language of the interface when the original is
    already in the page's."""
    original = text(v, name)
    translation = text(v, f"{name}.translation")
    if original is None and translation is None:
        return None
    language = language_of(v, name)
    result: dict[str, Any] = {"original": original or "", "language": language}
    if translation:  # its translator is the caller's organisation (set when recorded)
        into = i18n.other(v.lang) if primary_language(language) == v.lang else v.lang
        result["translations"] = [{"text": translation, "language": into}]
    return result


def local_lines(v: View, name: str) -> list[dict[str, Any]]:
    """Each line of field ``name`` as a text of its own (red lines, reasons), all in the
    language chosen beside the field."""
    language = language_of(v, name)
    return [{"original": line, "language": language} for line in lines(v, name)]


def local_name(v: View, name: str) -> dict[str, str] | None:
    found = {lang: text(v, f"{name}.{lang}") for lang in ("ar", "en")}
    given = {k: x for k, x in found.items() if x}
    return given or None


def moment(v: View, name: str) -> str | None:
    """A local date and time typed in the operation's zone, as ISO 8601 with its offset."""
    raw = text(v, name)
    if raw is None:
        return None
    try:
        return forms.parse_moment(raw, v.timezone).isoformat()
    except ValueError:
        v.field_errors[name] = v.t(
            forms.BAD_MOMENT, example=i18n.example_moment(v.lang)
        )  # said with the form's other problems
        return None


def version(v: View, name: str, kind: str, of: str | None) -> int | None:
    """A version of record ``of`` (a ``kind``: agreement, route) typed in field ``name``; one
    it does not have is refused beside the field, saying which it has."""
    latest: int | None = None
    if of:
        try:
            latest = int(entity(v, kind, of).get("current_version") or 0)
        except DomainError:  # not one the viewer may see: the command says so, by its field
            latest = None
    return forms.version_number(v, name, v.form.get(name), latest)


def who(value: str | None) -> dict[str, str] | None:
    """``party:id`` / ``person:id`` → a PartyOrPerson."""
    if not value:
        return None
    kind, _, ident = value.partition(":")
    return {"kind": kind, "id": ident} if ident else {"kind": "party", "id": kind}


def _listed(v: View, op: str, kind: str) -> list[tuple[str, Called, bool]]:
    """(id, name, whether the name starts with the record's short reference) of the records
    of ``kind`` the viewer may see, in the order :func:`options` lists them."""
    items = entities(v, kind, op)
    names = names_of(items, v.lang)
    for item in items:  # a kind with no name of its own: by the records it joins
        joined = joined_name(v, kind, item)
        if joined is not None:
            names[item["id"]] = joined
    refs = {item["id"]: (item.get("ref"), ref_of(item, v.lang)) for item in items}
    labelled = {
        k: name.saying(f"{refs[k][1]} — {name}") if refs.get(k, (None, ""))[1] else name
        for k, name in names.items()
    }
    return [
        (k, label, bool(refs.get(k, (None, ""))[1]))
        for k, label in sorted(
            labelled.items(), key=lambda p: (refs.get(p[0], (None,))[0] or 0, names[p[0]])
        )
    ]


def options(v: View, op: str, kind: str) -> tuple[tuple[str, Called], ...]:
    """Records of ``kind`` the viewer may see, as (id, name) sorted by name; a record with
    a short reference is listed by it first ("قافلة ٣ — …"), so typing it finds it."""
    return tuple((k, label) for k, label, _ in _listed(v, op, kind))


def record_options(
    v: View, op: str, kinds: Iterable[str], *, tagged: bool = False
) -> tuple[tuple[str, Called], ...]:
    """Records of ``kinds`` the viewer may see, by name (:func:`options`). Of several kinds,
    each is named with its kind ("مكان: …"), unless its short reference says it ("قافلة ٣
    — …"). ``tagged``: a value naming its kind is picked, given as ``kind:id`` (read back
    with :func:`tagged_ref`)."""
    kinds = tuple(kinds)
    if len(kinds) == 1 and not tagged:
        return options(v, op, kinds[0])
    found: list[tuple[str, Called]] = []
    for kind in kinds:
        word = v.t(RECORD_KINDS.get(kind, kind))
        found.extend(
            (
                f"{kind}:{key}" if tagged else key,
                name if by_ref else name.saying(f"{word}: {name}"),  # "حادثة ١٤ — …" says it
            )
            for key, name, by_ref in _listed(v, op, kind)
        )
    return tuple(found)


def tagged_ref(value: str) -> dict[str, str] | str:
    """``kind:id`` picked from :func:`record_options` → ``{"kind": …, "id": …}`` (anything
    else as it came, for the command to refuse beside its field)."""
    kind, colon, ident = value.partition(":")
    return {"kind": kind, "id": ident} if colon else value


def who_options(v: View, op: str) -> tuple[tuple[str, str], ...]:
    parties = [(f"party:{k}", x) for k, x in options(v, op, "party")]
    people = [(f"person:{k}", x) for k, x in options(v, op, "person")]
    return tuple(parties + people)


def creating(v: View) -> list[Item]:
    """Who may see a new record (its id is generated: people never type one)."""
    from mamar.web.pages._shared import visibility_options

    return [F("visibility", v.t("Who may see it"), "select", tuple(visibility_options(v)))]


def enum_options(v: View, values: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(x.value), v.t(str(x.value))) for x in values)


def group_errors(
    errors: dict[str, str], names: Iterable[str], given_by: dict[str, str] | None = None
) -> dict[str, str]:
    """Each error under the nearest name the form shows (``terms.0.who`` → ``terms``);
    ``given_by``: the command's fields typed in a field of another name (``note`` → ``reason``,
    the second waypoint ``waypoints.1`` → the row it was typed in, ``waypoints.3``)."""
    known = set(names)
    out: dict[str, str] = {}
    for key, message in errors.items():
        target = forms.GENERAL
        parts = key.replace("[", ".").replace("]", "").split(".")
        for end in range(len(parts), 0, -1):  # the longest part named (``waypoints.1``)
            head = ".".join(parts[:end])
            if given_by and head in given_by:
                parts = [*given_by[head].split("."), *parts[end:]]
                break
        # A text's translation typed in the field beside it (``description.translation``):
        # ``description.translations.0`` (its words in another script) or ``….0.text``.
        if "translations" in parts:
            at = parts.index("translations")
            typed_in = ".".join([*parts[:at], "translation"])
            parts = typed_in.split(".") if typed_in in known else parts
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in known:
                target = candidate
                break
        else:
            # A value given in several inputs (``title`` as ``title.ar`` and ``title.en``).
            target = next((n for n in sorted(known) if n.startswith(f"{key}.")), target)
        out.setdefault(target, message)
    return out


def render_form(
    v: View,
    op: str,
    form: Form,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    return v.render(
        "form_page.html",
        form.as_json(),
        title=form.title,
        status=status,
        errors=errors,
        spec=form,
        form_lists=v.form_lists,
    )


def _required(form: Form) -> list[str]:
    """The names of the fields the form marks required."""
    fields = [f for i in form.items for f in (i.fields if isinstance(i, Group) else (i,))]
    return [f.name for f in fields if f.required]


def either(items: Iterable[Item]) -> dict[str, list[str]]:
    """The values of which one input at least is required: name → its inputs."""
    return {
        i.name: [f.name for f in i.fields]
        for i in items
        if isinstance(i, Group) and i.required and not i.need
    }


def add_form(
    app: FastAPI,
    book: RuleBook,
    path: str,
    command: str | Callable[[View], str],
    build: Build,
    data: Data,
    then: Then,
    *,
    roles_of: str | None = None,
    keep: tuple[str, ...] = (),
) -> None:
    """``GET path`` shows the form; ``POST path`` records ``command`` or shows the form again.
    ``then`` is given the record's id (from the path, or the new record's generated id).

    ``command`` may depend on the form (e.g. the button pressed); ``roles_of`` then names
    the command whose roles guard the page. ``keep`` names fields given to the command even
    when empty (an empty list that means "no one", not "as it was").
    """
    rule = rule_for(roles_of or (command if isinstance(command, str) else ""))

    def ident(request: Request) -> tuple[str, str | None]:
        params = request.path_params
        return str(params["op"]), params.get("id")

    async def show(request: Request) -> Response:
        op, entity_id = ident(request)
        v = await op_view(request, rule, op)
        return render_form(v, op, build(v, op, entity_id))

    async def submit(request: Request) -> Response:
        op, entity_id = ident(request)
        try:
            v = await op_view(request, rule, op)
        except RefusedForm as refused:  # the form again, as typed, with the door's reason
            if refused.view.wants_json():
                raise
            try:
                v = load_operation(refused.view, op)
                spec = build(v, op, entity_id)
            except (DomainError, PageError):  # no such form to show: the refusal stands
                raise refused from None
            errors = {forms.GENERAL: form_refusal(refused)}
            return render_form(v, op, spec, status=refused.status, errors=errors)
        name = command if isinstance(command, str) else command(v)
        if v.form.get(GROW):  # one more fieldset: the form again, as typed
            return render_form(v, op, build(v, op, entity_id))
        try:
            spec = build(v, op, entity_id)
            given = data(v, op, entity_id)
            payload = {**clean(given), **{k: given[k] for k in keep if k in given}}
            recorded = forms.run(
                v, name, payload, required=_required(spec), either=either(spec.items)
            )
        except forms.FormErrors as exc:
            spec = build(v, op, entity_id)
            errors = group_errors(exc.errors, spec.names(), spec.given_by)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return render_form(v, op, spec, status=422, errors=errors)
        # A new record: where to go is decided by the id it was given.
        return v.redirect(then(v, op, entity_id or forms.record_of(recorded)))

    add_page(app, book, path, show, rule)
    add_page(app, book, path, submit, rule, methods=("POST",))
