"""`{% insights_beacon channel_id %}`: the first-party page-view beacon for a channel's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from sangsaeng.insights.bridge import ref_for, session_for_page

register = template.Library()


@register.simple_tag(takes_context=True)
def insights_beacon(context: dict[str, Any], channel_id: Any) -> str:
    request = context.get("request")
    if request is None:
        return ""
    ref = ref_for(channel_id)
    session = session_for_page(ref=ref, user=getattr(request, "user", None), session_key=request.session.session_key)
    return format_html(
        '<script src="{}" data-partner="{}" data-session="{}" defer></script>',
        static("insights/beacon.js"),
        ref,
        session,
    )
