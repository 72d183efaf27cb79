"""`GET /api/config`: the server version and URLs clients read before anything else.

The version tells clients which features they may use; it tracks the Bitwarden server release
whose API this one follows (as Vaultwarden's does).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sangsaeng.vault.bitwarden.http import base_url, endpoint, json_response

SERVER_VERSION = "2026.6.0"


def _config(request: HttpRequest) -> HttpResponse:
    root = base_url(request)
    return json_response(
        {
            "version": SERVER_VERSION,
            "gitHash": None,
            "server": {"name": "sangsaeng", "url": "https://github.com/sangsaeng"},
            "settings": {"disableUserRegistration": False, "suppressOnboardingInterstitials": True},
            "environment": {
                "vault": root,
                "api": f"{root}/api",
                "identity": f"{root}/identity",
                "notifications": f"{root}/notifications",
                "sso": "",
                "cloudRegion": None,
            },
            "push": {"pushTechnology": 0, "vapidPublicKey": None},
            "featureStates": {},
            "communication": None,
            "object": "config",
        }
    )


config = endpoint({"GET": _config}, auth=False)
