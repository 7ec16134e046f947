"""The catalogues themselves: one entry per message, the Arabic keeps every placeholder of its
English message, plurals have Arabic's six forms, each language's own punctuation, and no
number glued to a counted noun outside the plural mechanism (``٣٦ يومًا``, not ``36 يوم``).

The ``.po`` files are read directly by the product (no compile step), so a broken
placeholder here is a broken page, CLI line or API error."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
import typer.completion
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from mamar.web.catalog import PACKAGE, used_messages
from mamar.web.i18n import LOCALES
from mamar.web.languages import usual_languages

AR = LOCALES / "ar" / "LC_MESSAGES" / "messages.po"
EN = LOCALES / "en" / "LC_MESSAGES" / "messages.po"

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")
ARABIC_LETTER = "\u0621-\u064a"
#: Counted nouns in any of their forms: after a bare number they need ``ntr`` (or a wording
#: that does not count, "عددها %(n)s").
COUNTED = re.compile(
    r"%\(\w+\)[sd]\s+(?:يوم|أيام|ساعة|ساعات|دقيقة|دقائق|ثانية|ثوان|ثواني|شخص|أشخاص"
    r"|حادثة|حوادث|حدث|أحداث|قافلة|قوافل|مركبة|مركبات|عائلة|عائلات|محرف|محارف|خرق|خروقات)"
)


def _catalog(path: Path, lang: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _keys(path: Path, *, without_msgstr: bool = False) -> list[tuple[str, str]]:
    """Every (context, msgid) as written in the file (Babel would merge duplicates); with
    ``without_msgstr``, only those missing their ``msgstr`` line (Babel skips them)."""
    keys: list[tuple[str, str]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            word, _, rest = line.partition(" ")
            if word in ("msgctxt", "msgid", "msgid_plural") or word.startswith("msgstr"):
                current, parts[word] = word, rest
            elif line.startswith('"') and current:
                parts[current] += line
        if "msgid" in parts and not (without_msgstr and any(k.startswith("msgstr") for k in parts)):
            keys.append((parts.get("msgctxt", ""), parts["msgid"]))
    return keys


@pytest.mark.parametrize("path", [AR, EN], ids=["ar", "en"])
def test_no_message_is_given_twice(path: Path) -> None:
    keys = _keys(path)
    twice = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    assert twice == []
    assert _keys(path, without_msgstr=True) == []


def test_arabic_keeps_every_placeholder_and_has_six_plural_forms() -> None:
    catalog = _catalog(AR, "ar")
    assert catalog.num_plurals == 6
    wrong: list[str] = []
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            if len(forms) != 6 or not all(forms):
                wrong.append(f"{m.id[0]}: {len(forms)} plural forms")
                continue
            allowed = set(PLACEHOLDER.findall(m.id[1]))
            needed = allowed - {"n"}  # zero, one and two may say the number in words
            for form in forms:
                have = set(PLACEHOLDER.findall(form))
                if not needed <= have <= allowed:
                    wrong.append(f"{m.id[0]} → {form}")
        elif sorted(PLACEHOLDER.findall(m.string or "")) != sorted(PLACEHOLDER.findall(m.id)):
            wrong.append(f"{m.id} → {m.string}")
    assert wrong == []


def _entries(path: Path) -> list[tuple[set[str], dict[str, str]]]:
    """Every entry as written in the file: its flags (``#,``) and its fields (``msgid``,
    ``msgid_plural``, ``msgstr``, ``msgstr[n]``), unquoted. Read from the text: Babel sets
    ``python-format`` itself on reading, whatever the file says."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags: set[str] = set()
        parts: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            word, _, rest = line.partition(" ")
            if word in ("msgctxt", "msgid", "msgid_plural") or word.startswith("msgstr"):
                current, parts[word] = word, ast.literal_eval(rest)
            elif line.startswith('"') and current:
                parts[current] += ast.literal_eval(line)
        if parts.get("msgid"):
            entries.append((flags, parts))
    return entries


def placeholder_faults(path: Path) -> list[str]:
    """Entries with a ``%(name)s`` placeholder in either language that lack the
    ``python-format`` flag (a tool reading the file would not check them), or whose
    translation has other placeholders than the message (a ``%(name)s`` the code does not
    give is a ``KeyError`` on the page; one the translation drops loses what it says). A
    plural's forms for zero, one and two may say the number in words."""
    faults = []
    for flags, parts in _entries(path):
        texts = [v for k, v in parts.items() if k != "msgctxt"]
        if not any("%(" in text for text in texts):
            continue
        if "python-format" not in flags:
            faults.append(f"no python-format flag: {parts['msgid']}")
        given = set(PLACEHOLDER.findall(parts["msgid"]))
        given |= set(PLACEHOLDER.findall(parts.get("msgid_plural", "")))
        for key, text in parts.items():
            if not key.startswith("msgstr") or not text:
                continue
            have = set(PLACEHOLDER.findall(text))
            if len(PLACEHOLDER.findall(text)) != text.count("%("):
                faults.append(f"malformed placeholder in {key}: {text}")
            needed = given - {"n"} if "msgid_plural" in parts else given
            if not needed <= have <= given:
                faults.append(f"placeholders of {key} differ: {parts['msgid']} → {text}")
    return faults


@pytest.mark.parametrize("path", [AR, EN], ids=["ar", "en"])
def test_every_placeholder_is_flagged_and_kept(path: Path) -> None:
    assert placeholder_faults(path) == []


def test_a_missing_flag_or_a_changed_placeholder_is_found(tmp_path: Path) -> None:
    """The check itself: each fault it looks for, planted in a copy of the catalogue."""
    planted = tmp_path / "messages.po"
    text = AR.read_text(encoding="utf-8")
    text += (
        '\nmsgid "Moved to %(place)s"\nmsgstr "نُقل إلى %(where)s"\n'
        '\n#, python-format\nmsgid "Seen by %(name)s"\nmsgstr "رآه %(name)s و%(other)s"\n'
        '\n#, python-format\nmsgid "Given to %(party)s"\nmsgstr "أُعطي إلى %(party)"\n'
    )
    planted.write_text(text, encoding="utf-8")
    faults = placeholder_faults(planted)
    assert any(f.startswith("no python-format flag: Moved to") for f in faults)
    assert any("placeholders of msgstr differ: Moved to" in f for f in faults)
    assert any("placeholders of msgstr differ: Seen by" in f for f in faults)
    assert any(f.startswith("malformed placeholder") and "أُعطي" in f for f in faults)


def test_no_brace_in_a_translation_whose_message_has_none() -> None:
    """Catalogue words go through ``Markup.format`` and ``str.format``: a ``{`` or ``}``
    the English message does not have would break the page (or take a value from it)."""
    wrong: list[str] = []
    for m in _catalog(AR, "ar"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        braces = {c for text in ids for c in text if c in "{}"}
        for form in forms:
            extra = {c for c in form or "" if c in "{}"} - braces
            if extra:
                wrong.append(f"{ids[0]} → {form}")
    assert wrong == []


def test_each_language_has_its_own_punctuation_and_no_bare_counted_noun() -> None:
    wrong: list[str] = []
    for m in _catalog(EN, "en"):
        for text in m.id if isinstance(m.id, tuple) else (m.id,):
            if re.search("[،؛؟]", text):
                wrong.append(f"Arabic punctuation in English: {text}")
    latin_after_arabic = re.compile(f"[{ARABIC_LETTER}][,;?]")
    for m in _catalog(AR, "ar"):
        if not m.id:
            continue
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        for form in forms:
            if latin_after_arabic.search(form):
                wrong.append(f"Latin punctuation in Arabic: {form}")
            if "\u064b\u0627" in form:
                wrong.append(f"tanwin before the alif (the catalogue writes ـاً): {form}")
            if re.search("[\u0660-\u0669]", form):
                wrong.append(f"digits belong to the installation's choice (number()): {form}")
            if not isinstance(m.id, tuple) and COUNTED.search(form):
                wrong.append(f"number glued to a counted noun (use ntr): {form}")
    assert wrong == []


#: Words the glossary (docs/glossary.ar.md) settled against, and the word to use instead.
AVOID = {
    "تصعيد": "إحالة (referral to a guarantor or a party with influence)",
    "صعّد": "أحال",
    "ضمانة": "ضمان",
    "التهجير": "النزوح (neutral)",
    # Languages are named as CLDR names them (Babel's ``Locale.languages``), the names the
    # language selects beside each text field show: «الإنجليزية».
    "إنكليز": "إنجليز (CLDR's «الإنجليزية»)",
    "انكليز": "إنجليز (CLDR's «الإنجليزية»)",
    "انجليز": "إنجليز (CLDR's «الإنجليزية»)",
    "نسخة جديدة": "صيغة جديدة",
    "النسخة الحالية": "الصيغة الحالية",
    "عرض مقابل": "مقترح مضاد",
    "الإخلاء المتبادل": "الإجلاء المتبادل (of people)",
}


def test_arabic_uses_the_glossary_terms() -> None:
    guide = (LOCALES.parents[3] / "docs" / "user-guide.ar.md").read_text(encoding="utf-8")
    texts = [("user-guide.ar.md", guide)]
    for m in _catalog(AR, "ar"):
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        texts += [("messages.po", form) for form in forms if form]
    found = [
        f"{where}: «{word}» → {instead}: {text[:60]}"
        for where, text in texts
        for word, instead in AVOID.items()
        if word in text
    ]
    assert found == []


def test_languages_are_named_as_cldr_names_them() -> None:
    """One source for a language's name: CLDR through Babel. The selects beside text fields
    offer the languages by CLDR's names; a catalogue message naming one of them ("Name in
    English") says CLDR's word, and so does the glossary."""
    arabic = Locale.parse("ar").languages
    english = Locale.parse("en").languages
    offered = dict(usual_languages("ar"))
    glossary = (LOCALES.parents[3] / "docs" / "glossary.ar.md").read_text(encoding="utf-8")
    wrong: list[str] = []
    for code in ("ar", "en", "fr", "ru", "es", "zh"):
        name = arabic[code]
        if offered.get(code) != name:
            wrong.append(f"select offers {offered.get(code)} for {code}, CLDR says {name}")
        if name not in glossary:
            wrong.append(f"the glossary does not name {code} {name}")
        word = name.removeprefix("ال")  # «بالإنجليزية»: the name after a preposition
        said = re.compile(rf"\b{english[code]}\b")
        for m in _catalog(AR, "ar"):
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            if any(said.search(i) for i in ids if i):
                wrong += [f"{ids[0]} → {form}" for form in forms if form and word not in form]
    assert wrong == []


@pytest.mark.parametrize("path", [AR, EN], ids=["ar", "en"])
def test_no_merge_leftovers(path: Path) -> None:
    """A line Babel cannot read is skipped without a word: a merge's markers must not stay."""
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"^(?:<{7}|={7}|>{7}).*$", text, flags=re.MULTILINE) == []


def test_both_languages_have_the_same_messages() -> None:
    arabic = set(_keys(AR))
    english = set(_keys(EN))
    assert sorted(arabic - english) == []
    assert sorted(english - arabic) == []


def _literals() -> set[str]:
    """Every string the product writes: each string constant of its Python (a docstring
    also as the command line shows it), each quoted string of its templates and scripts,
    and the help ``typer`` gives its own options (the command line says it in words)."""
    found: set[str] = set()
    sources = [*PACKAGE.rglob("*.py"), Path(typer.completion.__file__)]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found |= {node.value, inspect.cleandoc(node.value)}
    for path in [*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.js")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            for quote in "\"'":
                found.update(re.findall(f"{quote}([^{quote}]*){quote}", line))
    return found


def unused_messages() -> list[str]:
    """The catalogue's messages nothing asks for: neither extracted (``_``, ``tr``,
    ``N_``… in code and templates) nor written anywhere as a string. A message built by
    the code from a value (a status, a kind, an enum's value, a command's help) is such a
    string where the value is written, so it is kept."""
    used = used_messages() | _literals()
    unused = []
    for m in _catalog(AR, "ar"):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        if m.id and not any(i in used for i in ids):
            unused.append(ids[0])
    return unused


def test_every_message_is_used() -> None:
    """A message no code asks for any more is removed (it would be translated for nothing,
    and hide that its page says something else now)."""
    assert unused_messages() == []


#: Placeholders that stand for a party, an organisation or a person: users' names, whose
#: grammatical gender and number the sentence cannot know ("القيادة" is feminine, "فصائل"
#: a plural, "الجانب" masculine).
SUBJECTS = (
    "party", "parties", "who", "by", "guarantor", "guarantors", "organisation", "actor",
    "account", "assignee", "members", "previous", "counterpart", "side",
)  # fmt: skip
#: Past-tense (and present) verbs that would have to agree with such a subject, as the
#: catalogue wrote them before: "اقترح القيادة…", "وافق فصائل…", "رفضه فصائل…".
VERBS = {
    "اقترح", "طرح", "قدم", "أكد", "وافق", "رفض", "منح", "انضم", "شهد", "سجل", "تسيطر",
    "يسيطر", "أعلن", "عدل", "أبلغ", "طلب", "قبل", "سحب", "أرسل", "ضمن", "ترجم", "حدد",
    "وقع", "أعد", "التزم", "خرق", "نقض", "أجاب", "استلم", "تسلم", "غادر", "وصل", "تعهد",
}  # fmt: skip
DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
#: What a conjugated verb may carry: an object pronoun, an agreement ending.
VERB_ENDINGS = ("ه", "ها", "هم", "ت", "وا", "ته", "تها", "ن")


def _is_verb(word: str) -> bool:
    bare = DIACRITICS.sub("", word).strip(":،,()«»")
    return bare in VERBS or any(
        bare.endswith(end) and bare[: -len(end)] in VERBS for end in VERB_ENDINGS
    )


def agreeing_verbs(text: str) -> list[str]:
    """The verbs right before (or right after) a party, organisation or person placeholder
    in ``text``; "عليه"/"عليها" and a colon between them are skipped ("وافق عليه: %(x)s")."""
    found = []
    for match in re.finditer(r"%\((" + "|".join(SUBJECTS) + r")\)s", text):
        before = [w for w in text[: match.start()].split() if w.strip(":") not in ("عليه", "عليها")]
        after = text[match.end() :].split()
        if before and _is_verb(before[-1]):
            found.append(before[-1])
        if after and _is_verb(after[0]):
            found.append(after[0])
    return found


def subject_messages(catalog: Catalog) -> dict[str, list[str]]:
    """Each Arabic translation with a party, organisation or person placeholder, and the
    verbs that would have to agree with it."""
    listed = {}
    for m in catalog:
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        for form in forms:
            if form and re.search(r"%\((" + "|".join(SUBJECTS) + r")\)s", form):
                listed[form] = agreeing_verbs(form)
    return listed


def test_no_verb_has_to_agree_with_a_name_whose_gender_is_not_known() -> None:
    """A party's name is the users' data: "القيادة العسكرية الروسية" is feminine, "فصائل
    حلب" plural. A sentence about one has a verb, but one that agrees with a word of the
    catalogue ("صدرت عن … موافقة على …", "وصل من … ردّ", "ورد من … تأكيد"), never with the
    name."""
    listed = subject_messages(_catalog(AR, "ar"))
    assert len(listed) >= 30  # the guarantees, proposals, routes, mandates, referrals…
    assert {text: verbs for text, verbs in listed.items() if verbs} == {}


def test_the_agreement_check_finds_the_verbs_it_is_for() -> None:
    said = {
        "اقترح %(party)s الطريق «%(name)s»": ["اقترح"],
        "رفضه %(party)s: %(reasons)s": ["رفضه"],
        "وافق عليه: %(parties)s": ["وافق"],
        "%(sentence)s (سجّله: %(organisation)s)": ["(سجّله:"],
        "قدّم %(guarantor)s ضماناً إلى %(to)s": ["قدّم"],
        "%(party)s وافقت على الطريق": ["وافقت"],
        "رفض من %(party)s للطريق «%(name)s»": [],
        "موافقة %(party)s على الطريق «%(name)s»": [],
        "نُقض ضمان %(guarantor)s: %(what)s": [],
        "ردّ %(party)s على الإحالة: %(text)s": [],
    }
    assert {text: agreeing_verbs(text) for text in said} == said
