"""Every message the product uses (pages, API, CLI, reports) has an Arabic translation,
plurals in Arabic's six forms."""

from __future__ import annotations

from babel.messages.pofile import read_po

from mamar.web.catalog import used_messages
from mamar.web.i18n import LOCALES, duration, ntr, ptr, tr


def test_every_message_has_arabic() -> None:
    used = used_messages()
    assert len(used) > 150
    with (LOCALES / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    assert catalog.num_plurals == 6
    translated: set[str] = set()
    for m in catalog:
        if not m.id or not m.string:
            continue
        if isinstance(m.id, tuple):
            assert isinstance(m.string, tuple) and len(m.string) == 6 and all(m.string), m.id
            translated.update(m.id)
        else:
            translated.add(m.id)
    assert sorted(used - translated) == []
    assert tr("ar", "Convoys") == "القوافل"
    assert tr("en", "Convoys") == "Convoys"


def test_arabic_plurals_durations_and_contexts() -> None:
    phrase = "%(n)s incident within %(buffer)s of the route in the previous %(hours)s"
    plural = "%(n)s incidents within %(buffer)s of the route in the previous %(hours)s"
    words = [ntr("ar", phrase, plural, n, buffer="x", hours="y") for n in (1, 2, 3, 11, 100)]
    assert words[0].startswith("حادثة واحدة") and words[1].startswith("حادثتان")
    assert words[2].startswith("3 حوادث") and words[3].startswith("11 حادثة")
    assert duration(36 * 86400, "ar") == "36 يومًا"
    assert duration(2 * 3600 + 5 * 60, "ar") == "ساعتان و5 دقائق"
    assert duration(2 * 3600 + 5 * 60, "en") == "2 hours 5 minutes"
    assert ptr("ar", "convoy", "cancelled") == "أُلغيت"
    assert tr("ar", "cancelled") == "أُلغي"
