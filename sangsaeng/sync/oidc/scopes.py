"""Scopes a partner app may request: `openid` plus the scopes of the consent items it asks for."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import SettingsScopes

from sangsaeng.sync import selectors
from sangsaeng.sync.claims import ITEMS


class PartnerScopes(SettingsScopes):
    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return super().get_available_scopes(application, request, *args, **kwargs)
        partner = selectors.partner_get_by_client_id(client_id=application.client_id)
        scopes = {"openid"}
        if partner is not None:
            scopes |= {ITEMS[item].scope for item in partner.consent_items if item in ITEMS}
        return sorted(scopes)

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list[str]:
        return ["openid"]
