"""The provider's routes, in django-oauth-toolkit's namespace so its views reverse each other.

Included at the site root: `/oauth/...` plus `/.well-known/openid-configuration` and
`/.well-known/jwks.json`. The issuer is the site origin.
"""

from django.urls import path
from oauth2_provider import views as dot

from sangsaeng.core.jwks import jwks_view
from sangsaeng.sync import partner_api
from sangsaeng.sync.oidc import views
from sangsaeng.sync.oidc.views import refuse_nul

app_name = "oauth2_provider"

urlpatterns = [
    path(
        ".well-known/openid-configuration",
        refuse_nul(views.DiscoveryView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", jwks_view, name="jwks-info"),
    path("oauth/authorize/", refuse_nul(views.AuthorizeView.as_view()), name="authorize"),
    path("oauth/token/", refuse_nul(views.TokenView.as_view()), name="token"),
    path("oauth/revoke_token/", refuse_nul(dot.RevokeTokenView.as_view()), name="revoke-token"),
    path("oauth/introspect/", refuse_nul(views.IntrospectView.as_view()), name="introspect"),
    path("oauth/userinfo/", refuse_nul(views.UserInfoView.as_view()), name="user-info"),
    path("oauth/logout/", refuse_nul(dot.RPInitiatedLogoutView.as_view()), name="rp-initiated-logout"),
    path(
        "oauth/v1/user/shipping_addresses", refuse_nul(partner_api.shipping_addresses), name="sync-shipping-addresses"
    ),
    path(
        "oauth/v1/user/shipping_addresses/default",
        refuse_nul(partner_api.default_shipping_address),
        name="sync-default-shipping-address",
    ),
    path("oauth/v1/user/service_terms", refuse_nul(partner_api.service_terms), name="sync-service-terms"),
    path(
        "oauth/v1/user/service_terms/revoke",
        refuse_nul(partner_api.service_terms_revoke),
        name="sync-service-terms-revoke",
    ),
]
