"""What "nothing changed" means: every row of every table, but for bookkeeping that any
authenticated request may touch (a token's last use, a session's last activity, a rate counter)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps

# Tables a refused request may legitimately write: who signed in when, not anyone's objects.
VOLATILE_MODELS = {
    "sessions.session",
    "usersessions.usersession",
    "core.auditevent",
    "django_tasks_database.dbtaskresult",
    "core.idempotencyrecord",  # the caller's own replay record of its own (refused) request
}
# Fields that record the caller's own activity on its credential.
VOLATILE_FIELDS = {"last_used_at", "last_used", "last_seen_at", "last_login", "updated"}


def snapshot() -> dict[str, str]:
    """A digest of every table's rows, keyed by model label."""
    state: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in VOLATILE_MODELS or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
        rows = sorted(repr(row) for row in model._base_manager.values_list(*fields))
        state[label] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return state


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
