from django.contrib import admin
from django.urls import include, path

from sangsaeng.api import api
from sangsaeng.core import health, views
from sangsaeng.identity import views as identity_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("sangsaeng.accounts.urls")),
    path("", include("sangsaeng.sync.oauth_urls")),
    path("sync/", include("sangsaeng.sync.urls")),
    path("vault/", include("sangsaeng.vault.urls")),
    path("files/", include("sangsaeng.drawer.tus_urls")),
    path("drawer/", include("sangsaeng.drawer.urls")),
    path("dav", include("sangsaeng.drawer.dav_urls")),
    path("identity/", include("sangsaeng.identity.urls")),
    path(".well-known/jwt-vc-issuer", identity_views.jwt_vc_issuer, name="jwt_vc_issuer"),
    path("cards/", include("sangsaeng.business_cards.urls")),
    path("chain/", include("sangsaeng.chain.urls")),
    path("store/", include("sangsaeng.commerce.urls")),
    path("c/", include("sangsaeng.partners.urls")),
    path("partners/", include("sangsaeng.partners.console_urls")),
    path("chat/", include("sangsaeng.messaging.urls")),
    path("pay/", include("sangsaeng.payments.urls")),
    path("search/", include("sangsaeng.search.urls")),
    path("authenticity/", include("sangsaeng.authenticity.urls")),
    path("drops/", include("sangsaeng.drops.urls")),
    path("assistant/", include("sangsaeng.assistant.urls")),
    path("v1/", include("sangsaeng.lm.openai.urls")),
    path("lm/", include("sangsaeng.lm.urls")),
    path("commons/", include("sangsaeng.contributions.urls")),
    path("insights/", include("sangsaeng.insights.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "sangsaeng.core.views.bad_request"
handler403 = "sangsaeng.core.views.permission_denied"
handler404 = "sangsaeng.core.views.page_not_found"
handler500 = "sangsaeng.core.views.server_error"
