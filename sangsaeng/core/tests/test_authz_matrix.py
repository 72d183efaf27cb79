"""The authorization matrix: every route on every interface, enumerated from the URL resolver and
the OpenAPI document, is either an object route or an exemption with its reason. For each object
route, user B calls every method with user A's ids and gets a 404 (or its protocol's not-found),
and no table changes. A route without an entry fails `test_every_route_has_an_entry`."""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import cache

import pytest

from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node  # noqa: F401  (A's passports)
from sangsaeng.core.tests.authz import bodies
from sangsaeng.core.tests.authz.entries import Exempt, Obj, resolve
from sangsaeng.core.tests.authz.matrix import MATRIX, call, client_for
from sangsaeng.core.tests.authz.routes import all_routes, openapi_operations, rest_paths_from_resolver
from sangsaeng.core.tests.authz.snapshot import changed, snapshot
from sangsaeng.core.tests.authz.world import World
from sangsaeng.payments.tests.toss_fake import toss  # noqa: F401  (A's card payment)

# titanoboa's plugin anchors its in-process EVM around every fixture; the chain fixtures these tests
# ask for while running (request.getfixturevalue) would unwind those anchors out of order.
pytestmark = [pytest.mark.ignore_isolation] if importlib.util.find_spec("boa") else []


@cache
def _routes():
    return all_routes()


def test_every_route_has_an_entry():
    enumerated = {r.key for r in _routes()}
    missing = sorted(enumerated - MATRIX.keys())
    stale = sorted(MATRIX.keys() - enumerated)
    assert not missing, "routes without an authorization-matrix entry (add one to core/tests/authz/): " + ", ".join(
        missing
    )
    assert not stale, "matrix entries for routes that no longer exist: " + ", ".join(stale)


def test_every_rest_route_is_in_the_openapi_document():
    documented = {op.split(" ", 1)[1] for op in openapi_operations()}
    served = rest_paths_from_resolver() - {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/"}
    assert served <= documented, sorted(served - documented)


def test_coverage_by_interface_is_complete(capsys):
    kinds: Counter[tuple[str, str]] = Counter()
    reasons: Counter[str] = Counter()
    for route in _routes():
        entry = MATRIX[route.key]
        kinds[(route.interface, "object" if isinstance(entry, Obj) else "exempt")] += 1
        if isinstance(entry, Exempt):
            reasons[entry.reason.split(":")[0]] += 1
    covered = sum(kinds.values())
    with capsys.disabled():
        print("\nauthorization matrix:", covered, "routes, 100% covered")
        for interface in sorted({i for i, _ in kinds}):
            print(f"  {interface:8} object {kinds[(interface, 'object')]:4}  exempt {kinds[(interface, 'exempt')]:4}")
        print("  exemptions by reason:", dict(reasons))
    assert covered == len(_routes()) == len(MATRIX)
    assert sum(n for (_, kind), n in kinds.items() if kind == "object") >= 150


def _cases():
    cases = []
    for route in all_routes():
        entry = MATRIX.get(route.key)
        if not isinstance(entry, Obj):
            continue
        if route.interface == "rest":
            method, _path = route.key.split(" ", 1)
            cases.append(pytest.param(route, method, id=route.key))
        else:
            cases.extend(pytest.param(route, m, id=f"{m} {route.key}") for m in entry.methods)
    return cases


@cache
def _spec():
    from sangsaeng.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), _cases())
def test_user_b_cannot_reach_user_a_s_object(route, method, tmp_path, settings, request):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""
    world = World(tmp_path, request.getfixturevalue)
    entry: Obj = MATRIX[route.key]
    # given: A's object, and B signed in on this interface
    params = {
        name: attr[1:] if attr.startswith("=") else str(resolve(world, "@" + attr))
        for name, attr in entry.params.items()
    }
    body = resolve(world, entry.body) if entry.body is not None else None
    if body is None and route.interface == "rest":
        path = route.key.split(" ", 1)[1]
        body = bodies.json_body(_spec()["paths"][path][method.lower()], _spec())
    for name in entry.prepare:
        getattr(world, name)
    client = client_for(world, route.interface)
    before = snapshot()
    # when: B calls with A's ids
    response = call(client, route, method, params, body, entry)
    # then: not found, and nothing stored changed
    assert response.status_code in entry.expect, (
        f"{method} {route.key} answered {response.status_code} to user B: "
        f"{getattr(response, 'content', b'')[:300]!r} {response.get('Location', '')}"
    )
    assert changed(before, snapshot()) == [], f"{method} {route.key} changed tables for user B"


@pytest.mark.django_db
def test_admin_refuses_user_b(tmp_path):
    """Every admin route, A's user id in its path, sends B (not staff) to the admin sign-in."""
    import re

    from sangsaeng.core.tests.authz.matrix import admin_routes

    world = World(tmp_path)
    client, a_id = world.page_b, world.a.pk
    before = snapshot()
    open_to_all = {"admin/login/", "admin/logout/", "admin/jsi18n/"}  # the sign-in itself and its script
    for route in admin_routes():
        if route in open_to_all:
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", str(a_id), route)
        path = re.sub(r"\^?\(\?P<(\w+)>[^)]*\)\$?", lambda m: "accounts" if m.group(1) == "app_label" else "x", path)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (method, path)
    assert changed(before, snapshot()) == []
