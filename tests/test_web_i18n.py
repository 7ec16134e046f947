"""Every message the pages use has an Arabic translation."""

from __future__ import annotations

from babel.messages.pofile import read_po

from mamar.web.catalog import used_messages
from mamar.web.i18n import LOCALES, tr


def test_every_message_has_arabic() -> None:
    used = used_messages()
    assert len(used) > 150
    with (LOCALES / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    translated = {m.id for m in catalog if m.id and m.string}
    assert sorted(used - translated) == []
    assert tr("ar", "Convoys") == "القوافل"
    assert tr("en", "Convoys") == "Convoys"
