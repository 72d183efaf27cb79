"""What the consent screen shows: the partner, its asked items, its terms and the channel opt-in."""

from __future__ import annotations

from typing import Any

from sangsaeng.sync import selectors
from sangsaeng.sync.claims import ITEMS
from sangsaeng.sync.models import ConsentItem, Link, Partner, Requirement


def consent_context(*, partner: Partner, scopes: set[str], link: Link | None, data: Any) -> dict[str, Any]:
    """Checkbox state comes from the posted form when re-shown, else from earlier consents."""
    posted = bool(data)
    granted = selectors.granted_items(link=link)
    agreed = selectors.agreed_tags(link=link)
    items = [
        {
            "item": item,
            "label": ConsentItem(item).label,
            "required": requirement == Requirement.REQUIRED,
            "checked": item in data.getlist("items") if posted else item in granted,
        }
        for item, requirement in partner.consent_items.items()
        if item in ITEMS and ITEMS[item].scope in scopes
    ]
    order = list(ConsentItem.values)
    items.sort(key=lambda entry: (not entry["required"], order.index(entry["item"])))
    terms = [
        {
            "term": term,
            "checked": term.tag in data.getlist("terms") if posted else term.tag in agreed,
        }
        for term in selectors.term_list(partner=partner)
    ]
    return {
        "partner": partner,
        "consent_items": items,
        "consent_terms": terms,
        "channel_checked": (data.get("follow_channel") == "on") if posted else bool(link and link.channel_followed),
        "is_first_link": link is None,
    }
