"""Property-based API tests from the published OpenAPI schema, as each role (bounded).

Zero server errors and zero responses outside the schema (status, content type, body).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mamar.domain.visibility import Role
from mamar.system import Mamar
from tests.api_support import load_compartments, make_api

EXAMPLES = int(os.environ.get("MAMAR_SCHEMATHESIS_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("role", list(Role))
def test_schema_holds_for_every_role(sqlite_system: Mamar, role: Role) -> None:
    api = make_api(sqlite_system)
    load_compartments(api)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api.app)
    headers = api.headers(role)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures: list[str] = []
    for operation in operations:
        if operation.path == "/api/v1/auth/logout":
            continue  # signing out is harmless but would end nothing here (tokens)

        @given(case=operation.as_strategy(), data=st.data())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case, data: st.DataObject) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert failures == []
