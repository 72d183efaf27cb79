"""Which partners a user may see: other apps (partners) register where partners come from.

insights depends on no app for this: the channel app registers a source in its ready(), so a
partner's staff see their own channel's data and nobody else's. A ref is an opaque string such as
`channel:<uuid>`; every query is confined to one ref.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sangsaeng.core.errors import Problem, not_found

REF = re.compile(r"^[a-z_]{1,20}:[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class PartnerSource:
    prefix: str
    # user -> {ref: display name} of the partners whose data that user may see
    visible_to: Callable[[Any], dict[str, str]]
    # ref -> display name, or None when there is no such partner
    name_of: Callable[[str], str | None]
    # ref -> e-mail addresses of the staff who get the weekly report
    recipients: Callable[[str], list[str]]
    # every ref, for the weekly report job
    all_refs: Callable[[], list[str]]


_SOURCES: dict[str, PartnerSource] = {}


def partner_source_register(source: PartnerSource) -> None:
    _SOURCES[source.prefix] = source


def partner_source_unregister(prefix: str) -> None:
    _SOURCES.pop(prefix, None)


def ref_clean(ref: str) -> str:
    if not isinstance(ref, str) or not REF.match(ref):
        raise Problem(
            code="partner_ref_invalid",
            ko="파트너 식별자가 올바르지 않습니다.",
            en="Malformed partner id.",
            field="partner",
        )
    return ref


def _source(ref: str) -> PartnerSource | None:
    return _SOURCES.get(ref.split(":", 1)[0])


def partner_name(ref: str) -> str | None:
    source = _source(ref)
    return source.name_of(ref) if source else None


def partners_for(user: Any) -> dict[str, str]:
    if not getattr(user, "is_authenticated", False):
        return {}
    visible: dict[str, str] = {}
    for source in _SOURCES.values():
        visible.update(source.visible_to(user))
    return visible


def access_partner(*, actor: Any, ref: str) -> str:
    """The partner's name if `actor` is on its staff; the same 404 for missing and not yours."""
    if not isinstance(ref, str) or not REF.match(ref):
        raise not_found("partner")
    name = partners_for(actor).get(ref)
    if name is None:
        raise not_found("partner")
    return name


def partner_recipients(ref: str) -> list[str]:
    source = _source(ref)
    return source.recipients(ref) if source else []


def all_partner_refs() -> list[str]:
    refs: list[str] = []
    for source in _SOURCES.values():
        refs.extend(source.all_refs())
    return refs
