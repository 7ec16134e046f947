"""What every page shares: who is asking, in which language, and one data dict shown two ways.

A page handler gets a :class:`View` from :func:`view`, calls a service with the
viewer, and returns ``v.render(template, data)``: HTML for a browser, the very
same ``data`` as JSON for ``Accept: application/json`` or ``?format=json``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import anyio
from fastapi import FastAPI, Request
from markupsafe import Markup, escape
from starlette.responses import RedirectResponse, Response

from mamar.access.door import (
    CSRF_COOKIE,
    CSRF_FIELD,
    Principal,
    Refused,
    check_csrf,
    enforce,
    holds_role,
    identify,
    presents_credentials,
)
from mamar.access.rules import RouteRule, RuleBook
from mamar.api.responses import respond
from mamar.domain.model import Actor
from mamar.domain.time import utc_key
from mamar.domain.visibility import Role
from mamar.system import Mamar
from mamar.web import i18n
from mamar.web.problems import with_summary

security_log = logging.getLogger("mamar.security")
_ADMINISTRATORS = frozenset({Role.ADMIN})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """No one is signed in: a browser goes to the sign-in page, a JSON client gets 401."""


class PageError(Exception):
    """A page refused: ``code`` picks the message shown (``forbidden``, ``not_found``, …)."""

    def __init__(self, status: int, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field


def query_int(request: Request, name: str, default: int) -> int:
    """The query parameter ``name`` as a whole number; a ``PageError`` naming it if it is not."""
    text = request.query_params.get(name)
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise PageError(400, "bad_request", field=name)
    return int(text)


@dataclass(frozen=True)
class NavItem:
    """One entry of an operation's navigation; ``path`` is relative to ``/ops/{op}/``."""

    key: str
    label: str  # an English msgid, translated when shown
    path: str
    roles: frozenset[Any] | None = None
    order: int = 100


NAV: list[NavItem] = []

#: What a form just saved ("event-type kind:id"), for the page the browser goes to next.
SAVED_COOKIE = "mamar_saved"

#: The colours a person may choose, beside the language (``?theme=``, then remembered like
#: the language): the system's preference, or light or dark whatever it is.
THEMES = {"auto": i18n.N_("Automatic"), "light": i18n.N_("Light"), "dark": i18n.N_("Dark")}
THEME_COOKIE = "mamar_theme"

#: Where a record of each kind is shown (``/ops/{op}/{path}/{id}``); others: the timeline.
RECORD_PAGES = {
    "agreement": "agreements",
    "ceasefire": "ceasefires",
    "convoy": "convoys",
    "escalation": "escalations",
    "guarantee": "guarantees",
    "incident": "incidents",
    "notification": "notifications",
    "person": "people",
    "route": "routes",
    "task": "tasks",
    "tracing": "tracing",
    "vehicle": "vehicles",
}


def record_href(op: str, stream: str) -> str:
    """The page of the record ``stream`` (``kind:id``): its own page when its kind has one,
    else its history on the timeline."""
    kind, _, entity_id = stream.partition(":")
    path = RECORD_PAGES.get(kind)
    if path and entity_id:
        return f"/ops/{op}/{path}/{quote(entity_id)}"
    return f"/ops/{op}/timeline?" + urlencode({"entity": stream})


def add_nav(item: NavItem) -> None:
    """Add (or replace, by key) an entry of the operation navigation."""
    NAV[:] = [n for n in NAV if n.key != item.key]
    NAV.append(item)
    NAV.sort(key=lambda n: n.order)


@dataclass
class View:
    request: Request
    system: Mamar
    principal: Principal | None
    lang: str
    form: dict[str, str] = field(default_factory=dict)
    form_lists: dict[str, list[str]] = field(default_factory=dict)
    operation: dict[str, Any] | None = None
    #: What a form just recorded (set by ``forms.run``): the redirect then says it was saved.
    recorded: list[Any] = field(default_factory=list)
    # Files of a form sent as multipart/form-data: field name → (file name, bytes).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: Why the last form was refused, as an HTTP status (403 permission, 409 conflict); a
    #: page rendered with the refused form's 422 takes this status instead.
    refused_status: int | None = None
    #: Problems found while reading the form (a time that is not one), refused with the rest.
    field_errors: dict[str, str] = field(default_factory=dict)
    # Names already read for this page (a record named twice on a page is read once).
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @property
    def actor(self) -> Actor:
        if self.principal is None:
            raise LoginRequired()
        return self.principal.actor

    @property
    def timezone(self) -> str:
        return str((self.operation or {}).get("timezone") or "UTC")

    def t(self, message: str, **params: object) -> str:
        return i18n.tr(self.lang, message, **i18n.numbers_written(params, self.lang))

    def moment(self) -> datetime | None:
        """The moment the page is asked for (``?at=``, ISO 8601; without an offset, in the
        operation's zone); None: now. A ``PageError`` naming ``at`` if it is not a time."""
        text = self.request.query_params.get("at")
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=i18n.zone(self.timezone))
            moment.astimezone(UTC)  # OverflowError: no UTC equivalent
        except (ValueError, OverflowError):
            raise PageError(400, "bad_request", field="at") from None
        return moment

    def at_utc(self) -> str | None:
        """The page's moment (``?at=``) as a UTC key, for reading records as they were then;
        None: now. A form sent records now, whatever the address says."""
        if self.request.method not in _SAFE or self.operation is None:
            return None
        moment = self.moment()
        return None if moment is None else utc_key(moment)

    def when(self, value: Any, fmt: str = "medium") -> str:
        """A moment in the operation's zone, the page language's way (with the zone)."""
        return i18n.when(value, self.lang, self.timezone, fmt)

    def wants_json(self) -> bool:
        if self.request.query_params.get("format") == "json":
            return True
        accept = self.request.headers.get("accept", "")
        return "application/json" in accept and "text/html" not in accept

    def csrf(self) -> str:
        if self.principal is not None and self.principal.csrf:
            return self.principal.csrf
        return self.request.cookies.get(CSRF_COOKIE, "")

    def name_of(self, kind: str, entity_id: str | None) -> str:
        """What the record ``kind:entity_id`` is called, read through the viewer; "—" if
        there is none or the viewer may not see it (a reference to a record not shared
        with the viewer tells nothing of it)."""
        from mamar.web.render import called

        if not entity_id or self.principal is None:
            return "—"
        known = self._names.get((kind, entity_id))
        if known is not None:
            return known
        found = self.record_seen(kind, entity_id)
        name = "—" if found is None else called(found, self.lang)
        self._names[(kind, entity_id)] = name
        return name

    def record_seen(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        """The record ``kind:entity_id`` as the viewer may read it; None if there is none or
        the viewer may not see it."""
        from mamar import reads
        from mamar.domain.errors import DomainError

        if self.principal is None:
            return None
        try:
            with self.system.reading() as conn:
                return reads.get_entity(
                    conn, viewer=self.principal.actor, kind=kind, entity_id=entity_id
                )
        except DomainError:
            return None

    def organisation_name(self) -> dict[str, Any] | None:
        """The name of the signed-in account's organisation, as its viewer may read it."""
        if self.principal is None:
            return None
        from mamar import reads
        from mamar.domain.errors import NotFound

        try:
            with self.system.reading() as conn:
                found = reads.get_entity(
                    conn,
                    viewer=self.principal.actor,
                    kind="organisation",
                    entity_id=self.principal.actor.organisation,
                )
        except NotFound:  # the installation of a journal from before organisations
            return None
        name: dict[str, Any] = found["name"]
        return name

    def base_context(self) -> dict[str, Any]:
        request = self.request
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]

        def switch(lang: str) -> str:
            return request.url.path + "?" + urlencode([*query, ("lang", lang)])

        def colours(theme: str) -> str:
            kept = [(k, v) for k, v in request.query_params.multi_items() if k != "theme"]
            return request.url.path + "?" + urlencode([*kept, ("theme", theme)])

        actor = self.principal.actor if self.principal else None
        op = self.operation
        nav = []
        at = request.query_params.get("at")
        keep = "?" + urlencode({"at": at}) if at and op is not None else ""
        if op is not None and actor is not None:
            nav = [
                {
                    "key": n.key,
                    "label": n.label,
                    "path": f"/ops/{op['id']}/{n.path}",
                    "href": f"/ops/{op['id']}/{n.path}{keep}",
                }
                for n in NAV
                if holds_role(self.principal, n.roles)
            ]
        name_of = functools.lru_cache(maxsize=256)(self.name_of)
        return {
            **self._storyteller(),
            "lang": self.lang,
            "dir": i18n.DIRECTION[self.lang],
            "other_lang": i18n.other(self.lang),
            "switch_url": switch(i18n.other(self.lang)),
            "theme": theme_of(request),
            "themes": [(theme, self.t(name), colours(theme)) for theme, name in THEMES.items()],
            "autonym": i18n.autonym,
            "intl_locale": i18n.intl_locale(self.lang),
            "user": actor,
            "organisation_name": self.organisation_name(),
            "administers": holds_role(self.principal, _ADMINISTRATORS),
            "csrf": self.csrf(),
            "operation": op,
            "nav": nav,
            "path": request.url.path,
            "static": request.app.state.assets.url,
            "when": lambda value, fmt="medium": i18n.when(value, self.lang, self.timezone, fmt),
            # When something happened, as precisely as it is known (the day alone: no time).
            "happened": lambda value, precision="exact": i18n.when_known(
                value, self.lang, self.timezone, precision
            ),
            "name_of": name_of,
            "names": lambda kind, ids: [name_of(kind, i) for i in ids or ()],
            "saved": self.saved_notice(),
            "as_of": self._as_of(),
            "zone_name": i18n.zone_name(self.timezone, self.lang),
        }

    def _storyteller(self) -> dict[str, Any]:
        """``tell(event)``: an event (a timeline entry's JSON) as a sentence; ``recorder(actor)``:
        the organisation of the account that recorded it (see :mod:`mamar.i18n.sentences`)."""
        from mamar.i18n.sentences import Speaker, sentence, speaker_reading

        made: list[Speaker] = []

        def speaker() -> Speaker:
            if not made:
                made.append(
                    speaker_reading(
                        self.system.reading,
                        self.actor,
                        self.lang,
                        self.timezone,
                        user_words,
                        self.at_utc(),
                    )
                )
            return made[0]

        def recorder(actor: str) -> Any:
            if actor == "system":
                return i18n.tr(self.lang, "the system")
            return speaker().organisation(actor) or Markup("<bdi>{}</bdi>").format(actor)

        from mamar.web.render import notes_after_quotes

        return {
            "tell": lambda event: notes_after_quotes(sentence(event, speaker())),
            "recorder": recorder,
        }

    def render(
        self,
        template: str,
        data: Any,
        *,
        title: str,
        status: int = 200,
        errors: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Response:
        """``data`` as JSON when asked for, else the template given ``data`` and presentation extras."""
        if status == 422 and self.refused_status is not None:
            status = self.refused_status
        if self.wants_json():
            return respond(data, status)
        context = {
            **self.base_context(),
            "page_ref": _page_ref(data, self.lang),
            "title": title,
            "data": data,
            "errors": dict(errors or {}),
            "form": self.form,
            **extra,
        }
        html = self.request.app.state.renderer.render(self.lang, template, context)
        if context["as_of"] is not None:
            html = keep_moment(html, self.request.query_params["at"])
        if context["errors"]:  # a refused form: the page opens on what to correct
            html = with_summary(html, context["errors"], self.lang)
        response = Response(html, status_code=status, media_type="text/html; charset=utf-8")
        if SAVED_COOKIE in self.request.cookies:  # said once
            response.delete_cookie(SAVED_COOKIE, samesite="lax", secure=True, httponly=True)
        remember_language(self.request, response, self.lang)
        remember_theme(self.request, response)
        return response

    def redirect(self, url: str) -> Response:
        if self.wants_json():
            return respond({"location": url}, 201)
        response = RedirectResponse(url, status_code=303)
        if self.recorded:  # the next page says what was saved, and links to it
            last = self.recorded[-1]
            response.set_cookie(
                SAVED_COOKIE,
                f"{last.type} {last.stream}",
                max_age=120,
                samesite="lax",
                secure=True,
                httponly=True,
            )
        return response

    def _as_of(self) -> dict[str, str] | None:
        """``?at=``: the page shows the operation as it was then (said at the top)."""
        moment = self.moment() if self.operation is not None else None
        if moment is None:
            return None
        query = [(k, x) for k, x in self.request.query_params.multi_items() if k != "at"]
        return {
            "when": self.when(moment),
            "now": self.request.url.path + ("?" + urlencode(query) if query else ""),
        }

    def saved_notice(self) -> dict[str, Any] | None:
        """After a redirect from a form: what was saved, the record it was saved on (by its
        name, as the reader may see it), and a link to it unless this is its page."""
        from mamar.i18n.labels import EVENT_LABELS, event_label

        saved, _, record = self.request.cookies.get(SAVED_COOKIE, "").partition(" ")
        if saved not in EVENT_LABELS or self.operation is None:
            return None
        href = record_href(self.operation["id"], record)
        here = self.request.url.path == href.split("?", 1)[0] and "?" not in href
        return {
            "what": event_label(saved, self.lang),
            "name": self._short_name(record),
            "href": None if here else href,
        }

    def _short_name(self, stream: str, limit: int = 80) -> Markup | None:
        """What the record ``stream`` is called, shortened to ``limit`` characters and
        marked with its language when that is not the page's; None if the reader may not
        see it or it has no name."""
        from mamar.web.render import called_text, option_lang

        kind, _, entity_id = stream.partition(":")
        found = self.record_seen(kind, entity_id) if entity_id else None
        if found is None:
            return None
        name = called_text(found, self.lang)
        if name == "—":
            return None
        words = name if len(name) <= limit else name[: limit - 1] + "…"
        marks = option_lang(name) or Markup(' dir="auto"')
        return Markup("<bdi{}>{}</bdi>").format(marks, words)


def user_words(value: Any, lang: str) -> Markup:
    """A user's text inside a sentence of the page: marked with its language when it says
    it (:func:`mamar.web.render.marked`); plain text that does not, in its own direction."""
    from mamar.web.render import marked

    if isinstance(value, dict):
        return Markup(escape(marked(value, lang)))
    return Markup('<bdi dir="auto">{}</bdi>').format("" if value is None else str(value))


_OP_LINK = re.compile(r'href="(/ops/[^"#]*)(#[^"]*)?"(?! data-now)')
_HAS_AT = re.compile(r"[?&]at=")
_GET_FORM = re.compile(r'(<form method="get"[^>]*>)')


def keep_moment(html: str, at: str) -> str:
    """A page shown as of a moment (``?at=``): its links within the operation and its
    search forms keep that moment (the link back to now, ``data-now``, does not)."""
    value = quote(at, safe="")

    def link(match: re.Match[str]) -> str:
        path, anchor = match.group(1), match.group(2) or ""
        if _HAS_AT.search(path.replace("&amp;", "&")):
            return match.group(0)
        glue = "&amp;" if "?" in path else "?"
        return f'href="{path}{glue}at={value}{anchor}"'

    def form(match: re.Match[str]) -> str:
        hidden = Markup('<input type="hidden" name="at" value="{}">').format(at)
        return match.group(1) + hidden

    return _GET_FORM.sub(form, _OP_LINK.sub(link, html))


def remember_language(request: Request, response: Response, lang: str) -> None:
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=True
        )


def theme_of(request: Request) -> str:
    """``?theme=`` first, then the remembered choice, then the system's preference."""
    for candidate in (request.query_params.get("theme"), request.cookies.get(THEME_COOKIE)):
        if candidate in THEMES:
            return candidate
    return "auto"


def remember_theme(request: Request, response: Response) -> None:
    theme = request.query_params.get("theme")
    if theme in THEMES:
        response.set_cookie(THEME_COOKIE, theme, max_age=365 * 86400, samesite="lax", secure=True)


def language_of(request: Request) -> str:
    return i18n.choose(request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE))


async def read_upload(
    request: Request,
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """A multipart form body: its text fields (as :func:`read_form`) and its files."""
    first: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    # A text field may hold a photo kept from a refused form (base64, see
    # ``manifests.kept_photos``): up to 4 MB rather than Starlette's 1 MB.
    async with request.form(max_part_size=4 * 1024 * 1024) as parsed:
        for key, value in parsed.multi_items():
            if isinstance(value, str):
                first.setdefault(key, value)
                every.setdefault(key, []).append(value)
            else:
                files.setdefault(key, (value.filename or "", await value.read()))
    return first, every, files


async def read_form(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    """An urlencoded form body: first value per name, and every value per name."""
    if request.method in _SAFE:
        return {}, {}
    kind = request.headers.get("content-type", "")
    if not kind.startswith("application/x-www-form-urlencoded"):
        return {}, {}
    pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    first: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for key, value in pairs:
        first.setdefault(key, value)
        every.setdefault(key, []).append(value)
    return first, every


async def view(request: Request, rule: RouteRule) -> View:
    """Pass the door under ``rule`` (sign-in, role, token scope, CSRF on forms) and
    describe the viewer. Refusals raise :class:`~mamar.access.door.Refused`."""
    system: Mamar = request.app.state.system
    lang = language_of(request)
    files: dict[str, tuple[str, bytes]] = {}
    if request.method not in _SAFE and request.headers.get("content-type", "").startswith(
        "multipart/form-data"
    ):
        form, lists, files = await read_upload(request)
    else:
        form, lists = await read_form(request)
    principal = identify(system, request) if presents_credentials(request) else None
    result = View(request, system, principal, lang, form, lists, files=files)
    try:
        enforce(rule, request, principal, form_csrf=form.get(CSRF_FIELD))
    except Refused as exc:
        if exc.status == 403 and principal is not None and principal.via == "session" and lists:
            raise RefusedForm(exc, result) from exc  # the form comes back as typed
        raise
    return result


def _page_ref(data: Any, lang: str) -> str:
    """The short reference of the record a page is about ("قافلة ٣"), or ""."""
    from mamar.i18n.refs import ref_of

    if not isinstance(data, dict):
        return ""
    for candidate in (data, *data.values()):
        if isinstance(candidate, dict) and candidate.get("ref") and candidate.get("entity"):
            return ref_of(candidate, lang)
    return ""


class RefusedForm(Refused):
    """A form the door refused (403: the role, a read-only token, an expired form), with
    the view holding what was typed, so the page can show it again with the reason."""

    def __init__(self, refused: Refused, view: View) -> None:
        super().__init__(refused.status, refused.code, field=refused.field)
        self.view = view


def require_csrf(v: View, expected: str | None, who: str) -> None:
    """The door's CSRF check for a form sent before sign-in (see
    :func:`mamar.access.door.check_csrf`)."""
    check_csrf(v.request, v.form.get(CSRF_FIELD), expected, who)


def add_page(
    app: FastAPI,
    book: RuleBook,
    path: str,
    endpoint: Callable[..., Any],
    rule: RouteRule,
    methods: tuple[str, ...] = ("GET",),
    *,
    offload: bool = True,
) -> None:
    """A page route with its access rule (the matrix test requires one for every route).

    Page handlers read the database synchronously; ``offload`` runs each one in a
    worker thread so a slow page never holds up the event loop (other pages, the
    API, live streams). Streaming pages pass ``offload=False``.
    """
    for method in methods:
        book.set(method, path, rule)
    # Plain functions already run in FastAPI's thread pool.
    handler = (
        _offloaded(endpoint) if offload and inspect.iscoroutinefunction(endpoint) else endpoint
    )
    app.add_api_route(path, handler, methods=list(methods), include_in_schema=False)


def _offloaded(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        request = kwargs.get("request") or next(a for a in args if isinstance(a, Request))
        await request.body()  # read on the event loop; the handler then finds it cached
        return await anyio.to_thread.run_sync(lambda: asyncio.run(endpoint(*args, **kwargs)))

    return run


def load_operation(v: View, op: str) -> View:
    """Attach the operation (for its name, time zone and navigation); NotFound if not visible."""
    from mamar import reads

    with v.system.reading() as conn:
        v.operation = reads.get_entity(conn, viewer=v.actor, kind="operation", entity_id=op)
    return v


async def op_view(request: Request, rule: RouteRule, op: str) -> View:
    return load_operation(await view(request, rule), op)
