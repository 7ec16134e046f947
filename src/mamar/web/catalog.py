"""The messages the product uses, extracted from templates and Python (for the completeness test).

The whole ``mamar`` package is read: pages, API messages, CLI output, reports.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

PACKAGE = Path(__file__).parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "t": None,
    "tr": (2,),
    "ptr": ((2, "c"), 3),
    "ntr": (2, 3),
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]


def used_messages() -> set[str]:
    """Every message id (singular and plural) the code and templates ask for."""
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=METHODS,
        keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if isinstance(text, str) and text:
                found.add(text)
    return found
