"""Schemathesis over /api/v1/openapi.json: every operation, no server errors, every response matches
its schema (status code documented, content type, body).

CI runs a bounded number of examples per operation (FUZZ_EXAMPLES, default 4, without schemathesis'
coverage phase); `make fuzz` runs a long one (FUZZ_EXAMPLES=300 and FUZZ_LONG=1, which adds the
coverage phase's boundary values).

The run fuzzes a seeded world: the demo builders that need no external service create channels,
stores, products, conversations, drops, cards..., and a crawl of the API's own GET operations as the
demo user collects the ids it can see. Every other example of an operation with path parameters
takes those known ids, so the operation reaches its real code and not only its 404; one example in
four goes without credentials. The last test proves that every operation in the document ran, and
how.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter, defaultdict
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sangsaeng.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
# The coverage phase sends every boundary value of every parameter: many times the fuzzing phase's
# examples, so only the long run takes it.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_LONG", "") == "1"

# Demo builders that run in a few seconds with no chain node, model or search index; the others
# (vault, sync, lm, insights, search) add time but no object that a /api/v1 path parameter names.
SEED_BUILDERS = (
    "accounts",
    "identity",
    "business_cards",
    "drawer",
    "partners",
    "authenticity",
    "drops",
    "messaging",
    "payments",
    "commerce",
    "contributions",
    "assistant",
)
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]

# operation label -> what the run did to it (filled by the parametrized test, read by the last one)
EXERCISED: dict[str, Counter[str]] = defaultdict(Counter)


def _operations() -> list[tuple[str, str, str]]:
    raw = schema.raw_schema
    return [
        (method.upper(), path, f"{method.upper()} {path}")
        for path, item in raw["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client keeps the test transaction's connection open across requests; calling the
    WSGI app directly (as schemathesis does) must too, or request_finished closes it mid-test. Per
    test, because the test client reconnects the handlers after each of its own requests (the
    world's crawl), and on PostgreSQL a closed connection ends the module's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _resource_param(path: str) -> str | None:
    """`/api/v1/partners/channels/{channel_id}/broadcasts` lists broadcasts: their `id` is a
    `broadcast_id`."""
    last = [part for part in path.split("/") if part and not part.startswith("{")][-1]
    singular = re.sub(r"(ss|sh|ch|x)es$", r"\1", last)
    singular = singular[:-1] if singular.endswith("s") and not singular.endswith("ss") else singular
    name = singular.replace("-", "_") + "_id"
    return ALIASES.get(name, name)


# lists whose items are another resource than their path says
ALIASES = {"storefront_id": "store_id", "feed_id": "broadcast_id", "collection_id": "edition_id"}


def _harvest(value: Any, resource_param: str | None, wanted: set[str], into: dict[str, set[str]]) -> None:
    if isinstance(value, list):
        for item in value[:20]:
            _harvest(item, resource_param, wanted, into)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                if key in wanted:
                    into[key].add(str(item))
                elif key == "id" and resource_param in wanted:
                    into[resource_param].add(str(item))
            else:
                _harvest(
                    item,
                    _resource_param("/" + key) if key not in {"items", "results"} else resource_param,
                    wanted,
                    into,
                )


def _crawl(client: Any, headers: dict[str, str]) -> dict[str, list[str]]:
    """Collect the ids the demo user can see, by calling every GET operation whose path parameters
    are already known, three rounds deep (stores -> products -> variants)."""
    operations = [(path) for method, path, _ in _operations() if method == "GET"]
    wanted = {name for _, path, _ in _operations() for name in re.findall(r"{(\w+)}", path)}
    known: dict[str, set[str]] = defaultdict(set)
    done: set[str] = set()
    for _round in range(3):
        for path in operations:
            names = re.findall(r"{(\w+)}", path)
            if any(not known.get(name) for name in names):
                continue
            url = path
            for name in names:
                url = url.replace("{" + name + "}", sorted(known[name])[0])
            if url in done:
                continue
            done.add(url)
            response = client.get(url, headers=headers)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
                _harvest(response.json(), _resource_param(path), wanted, known)
    return {name: sorted(values)[:5] for name, values in known.items()}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded world, created once for the module inside a transaction that is rolled back at the
    end; each test's own transaction is a savepoint inside it."""
    from django.db import transaction
    from django.test import Client

    from sangsaeng.accounts.demo import DEMO_EMAIL
    from sangsaeng.accounts.selectors import user_get_by_email
    from sangsaeng.accounts.services import token_create
    from sangsaeng.core.demo import builders

    with django_db_blocker.unblock(), transaction.atomic():
        for builder in builders():
            if builder.name in SEED_BUILDERS:
                builder.build(lambda line: None)
        user = user_get_by_email(email=DEMO_EMAIL)
        assert user is not None
        _token, secret = token_create(user=user, label="fuzz")
        headers = {"Authorization": f"Bearer {secret}"}
        ids = _crawl(Client(), headers)
        yield {"headers": headers, "ids": ids}
        transaction.set_rollback(True)


def no_server_error_but_documented_unavailability(ctx, response, case):
    """Every 5xx is a failure, except the documented 503 `upstream_unavailable`: this run has no
    chain node, so chain operations must say so cleanly (with Retry-After) rather than crash."""
    if response.status_code == 503:
        body = response.json()
        assert body["code"] == "upstream_unavailable", body
        assert response.headers.get("retry-after") or response.headers.get("Retry-After")
        return True
    return not_a_server_error(ctx, response, case)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_conforms_and_never_fails(case, world):
    record = EXERCISED[f"{case.method.upper()} {case.path}"]
    turn = record["examples"]
    record["examples"] += 1
    if case.path == "/api/v1/me/delete" and isinstance(case.body, dict):
        # deleting the fuzz account would turn every later example into a 401
        case.body = {**case.body, "password": "wrong"}
    if case.path_parameters and all(name in world["ids"] for name in case.path_parameters):
        record["ids_known_when_run"] += 1
    if turn % 2 == 1 and case.path_parameters:
        substituted = {
            name: world["ids"][name][turn // 2 % len(world["ids"][name])]
            for name in case.path_parameters
            if name in world["ids"]
        }
        if len(substituted) == len(case.path_parameters):
            case.path_parameters = {**case.path_parameters, **substituted}
            record["known_ids"] += 1
    anonymous = turn % 4 == 3
    record["anonymous" if anonymous else "authenticated"] += 1
    started = time.perf_counter()
    response = case.call(headers=None if anonymous else world["headers"])
    record["ms"] += round((time.perf_counter() - started) * 1000)
    record[f"status_{response.status_code}"] += 1
    case.validate_response(response, checks=[no_server_error_but_documented_unavailability, *CHECKS])


def test_every_operation_was_exercised(world):
    """Coverage is shown, not assumed: every operation of the document ran, authenticated; those that
    take credentials also ran without them; those whose path ids the seeded world has also ran with
    ids that exist. The table is printed (`-s`) for the record."""
    raw = schema.raw_schema["paths"]
    operations = {label: raw[path][method.lower()] for method, path, label in _operations()}
    print(f"\n{len(operations)} operations in the document, {len(set(EXERCISED) & set(operations))} exercised")
    for label in sorted(operations):
        print(f"  {label}: {dict(EXERCISED.get(label, {}))}")
    missing = sorted(set(operations) - set(EXERCISED))
    assert missing == [], "operations the fuzz run never reached"
    problems = []
    for label, operation in operations.items():
        record = EXERCISED[label]
        if record["authenticated"] < 1:
            problems.append(f"{label}: never authenticated")
        if operation.get("security") and EXAMPLES >= 4 and record["anonymous"] < 1:
            problems.append(f"{label}: never without credentials")
        names = re.findall(r"{(\w+)}", label)
        # judged on the ids the seeded world had when the operation ran
        if names and record["ids_known_when_run"] >= 2 and record["known_ids"] < 1:
            problems.append(f"{label}: never with known ids")
    with_ids = [label for label in operations if "{" in label]
    reached = [label for label in with_ids if EXERCISED[label]["known_ids"]]
    unknown = sorted({name for label in with_ids for name in re.findall(r"{(\w+)}", label)} - set(world["ids"]))
    unavailable = sorted(label for label in operations if EXERCISED[label]["status_503"])
    print(f"{len(reached)}/{len(with_ids)} operations with path ids ran with known ids")
    slowest = sorted(operations, key=lambda label: -EXERCISED[label]["ms"])[:8]
    print("slowest:", [(label, EXERCISED[label]["ms"]) for label in slowest])
    print("path parameters the seeded world has no id for:", unknown)
    print("operations that answered 503 upstream_unavailable (no chain node in this run):", unavailable)
    assert problems == []
