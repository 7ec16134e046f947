"""Short references in words ("قافلة ٣", "INC-14"), and reading one back as typed.

The number is a record's ``ref`` (see ``mamar.domain.refs``); the words around it come
from the catalogues, so a reference reads the same on a page, in a pick-list, in the CLI.
"""

from __future__ import annotations

import re
from typing import Any

from mamar.web.i18n import LANGUAGES, N_, number, tr

#: The words of each kind's reference; ``%(n)s`` is the number.
REF_WORDS = {
    "convoy": N_("Convoy %(n)s"),
    "incident": N_("INC-%(n)s"),
    "route": N_("Route %(n)s"),
    "escalation": N_("Referral %(n)s"),
    "task": N_("Task %(n)s"),
    "guarantee": N_("Guarantee %(n)s"),
}
#: Words a reference was written with before the catalogue's wording changed, still read
#: when typed (radio logs and notes keep them): "حادث ١٤" was an incident's until the
#: native read made it "حادثة ١٤".
EARLIER_WORDS = {"incident": ("حادث",)}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def short_ref(kind: str, ref: int | None, lang: str) -> str:
    """The reference of record ``kind`` number ``ref`` in ``lang`` ("" if it has none)."""
    if ref is None or kind not in REF_WORDS:
        return ""
    return tr(lang, REF_WORDS[kind], n=number(ref, lang))


def ref_of(record: dict[str, Any], lang: str) -> str:
    """The reference of a record as read (``entity`` and ``ref`` keys), or ""."""
    return short_ref(str(record.get("entity", "")), record.get("ref"), lang)


def read_ref(text: str) -> tuple[str | None, int] | None:
    """A reference as typed: "قافلة ٣", "convoy 3", "INC-14", "حادثة ١٤" → (kind, 14); a bare
    number → (None, 3) (any kind); None if it is not one."""
    cleaned = " ".join(text.translate(_DIGITS).split()).strip()
    found = re.fullmatch(r"(.*?)[\s#:-]*(\d{1,9})", cleaned)
    if found is None:
        return None
    words, n = found.group(1).strip().casefold(), int(found.group(2))
    if not words:
        return None, n
    for kind, message in REF_WORDS.items():
        spelled = {kind, *EARLIER_WORDS.get(kind, ())}
        for lang in LANGUAGES:
            spelled.add(tr(lang, message, n="").strip(" -").casefold())
        if words in spelled:
            return kind, n
    return None
