"""Who may call each route: one rule per (method, path), checked on every request.

The authorisation matrix test walks the application's route table and fails
for any route without a rule here.
"""

from __future__ import annotations

from dataclasses import dataclass

from mamar.accounts.tokens import Scope
from mamar.domain.visibility import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class RouteRule:
    """``roles`` None: public (no sign-in). ``compartmented``: output filtered by the viewer."""

    roles: frozenset[Role] | None
    scope: Scope = Scope.READ
    compartmented: bool = False


PUBLIC = RouteRule(roles=None)
READ_ANY = RouteRule(roles=ALL_ROLES, compartmented=True)
SIGNED_IN = RouteRule(roles=ALL_ROLES)
#: Situation reports: any signed-in account, each report holding only what its viewer sees.
SITREP = RouteRule(roles=ALL_ROLES, compartmented=True)
#: Exports in the field's formats (GeoJSON, HXL, ACLED, CAP, GPX, KML): the same.
EXPORTS = RouteRule(roles=ALL_ROLES, compartmented=True)


class RuleBook:
    """The rules of one application, keyed by (method, path template)."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, str], RouteRule] = {}

    def set(self, method: str, path: str, rule: RouteRule) -> None:
        self.rules[(method.upper(), path)] = rule

    def get(self, method: str, path: str) -> RouteRule | None:
        return self.rules.get((method.upper(), path))


def command_rule(*names: str) -> RouteRule:
    """The rule of a route that carries out the commands ``names``: the roles any of them
    allows, with a writing scope (the record itself is checked when it is carried out)."""
    from mamar.domain.model import command_type

    roles = frozenset(role for name in names for role in command_type(name).roles)
    return RouteRule(roles=roles, scope=Scope.WRITE)
