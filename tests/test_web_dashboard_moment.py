"""The dashboard as of a past moment (``?at=``) says only what was known to have happened
by then: a ceasefire's last violation, and escalations not yet closed."""

from __future__ import annotations

import re

from mamar.system import Mamar
from tests.web_support import OP, make_web


def _last_violation(html: str) -> str | None:
    found = re.search(r"Last violation: (.*?) \(", html)
    return None if found is None else found[1]


def test_the_last_violation_as_of_a_moment_is_never_a_later_one(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    now = _last_violation(client.get(f"/ops/{OP}/dashboard?lang=en").text)
    assert now is not None and now.startswith("15 December 2016"), now
    for at in ("2016-12-14T12:00", "2016-12-14T23:59"):
        page = client.get(f"/ops/{OP}/dashboard", params={"lang": "en", "at": at}).text
        then = _last_violation(page)
        assert then is None or not then.startswith("15 December"), (at, then)
        counted = re.search(r"\); ([0-9]+) recorded", page)
        assert then is None or (counted is not None and int(counted[1]) >= 1), (at, page[-800:])
