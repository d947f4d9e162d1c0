"""schemathesis against the OpenAPI schema: generated requests to every operation, no 5xx, no schema violation.

Bounded for `make test`: ORGKG_API_FUZZ_EXAMPLES examples per operation (default 8; the Makefile sets it).
Cases are drawn with hypothesis from each operation's strategy (schemathesis' pytest plugin cannot take a
fixture-built app under pytest 9), derandomized so a failure reproduces.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from api.settings import Settings
from orgkg.stores.embedded import EmbeddedStore

EXAMPLES = int(os.environ.get("ORGKG_API_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_api_conforms_to_its_schema(seed_store: EmbeddedStore) -> None:
    app = create_app(seed_store, Settings(query_timeout=30))
    with TestClient(app):  # starts the worker pool once for all cases
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 30  # every route, one per named query included
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
            def conforms(case: Any) -> None:
                case.call_and_validate(checks=CHECKS)

            conforms()
