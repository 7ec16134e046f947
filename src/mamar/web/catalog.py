"""The messages the pages and reports use, extracted from templates and Python (for the
completeness test)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

WEB = Path(__file__).parent
#: Every package whose words come from these catalogues: pages, reports, exchange files, CLI.
SOURCES = (WEB, WEB.parent / "reports", WEB.parent / "exchange", WEB.parent / "cli")
KEYWORDS = {"_": None, "gettext": None, "N_": None, "t": None, "tr": (2,)}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]


def used_messages() -> set[str]:
    found: set[str] = set()
    for source in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(source),
            method_map=METHODS,
            keywords=KEYWORDS,
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        ):
            if isinstance(message, str) and message:
                found.add(message)
    return found
