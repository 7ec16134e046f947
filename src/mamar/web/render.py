"""Jinja2 environments (one per language) with the product's filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from mamar.i18n.labels import category_label, event_label, precision_label, status_label
from mamar.web import i18n

TEMPLATES = Path(__file__).parent / "templates"


def local(value: Any, lang: str) -> str:
    """A user's bilingual text (``{ar, en}`` or ``{original, translation}``) in ``lang`` if given."""
    if isinstance(value, dict):
        if value.get(lang):
            return str(value[lang])
        # Said in one language, perhaps translated: show the page's language when we have it.
        if value.get("translation") and value.get("translation_language") == lang:
            return str(value["translation"])
        for key in ("original", "ar", "en", "translation"):
            if value.get(key):
                return str(value[key])
        return ""
    return "" if value is None else str(value)


#: Where a record's name is, for records that have none of their own.
_CALLED_BY = ("name", "title", "display_name", "summary", "description", "message", "text")


def called(record: dict[str, Any], lang: str) -> str:
    """What people call a record, in ``lang`` when it is given in it: its name, else
    its title, else the first words of what it says. Never its id (ids are generated)."""
    for key in _CALLED_BY:
        words = local(record.get(key), lang)
        if words:
            return words if len(words) <= 60 else words[:59].rstrip() + "…"
    return "—"


def evidence_url(kind: str, entity_id: str) -> str:
    """The evidence bundle of a record (and what it links to), for the signed-in reader."""
    return "/api/v1/evidence?" + urlencode({"entity": f"{kind}:{entity_id}"})


def make_environment(lang: str, directories: list[Path]) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in directories]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["local"] = lambda value: local(value, lang)
    env.filters["event"] = lambda value: event_label(str(value), lang)
    env.filters["status"] = lambda value: status_label(str(value), lang)
    env.filters["precision"] = lambda value: precision_label(str(value), lang)
    env.filters["category"] = lambda value: category_label(str(value), lang)
    env.filters["duration"] = lambda value: i18n.duration(value, lang)
    env.globals["evidence_url"] = evidence_url
    return env


class Renderer:
    """Templates in every language; other packages may add template directories first."""

    def __init__(self) -> None:
        self.directories = [TEMPLATES]
        self._envs: dict[str, Environment] = {}

    def add_directory(self, directory: Path) -> None:
        self.directories.insert(0, directory)
        self._envs.clear()

    def env(self, lang: str) -> Environment:
        if lang not in self._envs:
            self._envs[lang] = make_environment(lang, self.directories)
        return self._envs[lang]

    def render(self, lang: str, template: str, context: dict[str, Any]) -> str:
        return self.env(lang).get_template(template).render(context)
