from django.contrib import admin
from django.urls import include, path

from sangsaeng.api import api
from sangsaeng.core import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("sangsaeng.accounts.urls")),
    path("chain/", include("sangsaeng.chain.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "sangsaeng.core.views.bad_request"
handler403 = "sangsaeng.core.views.permission_denied"
handler404 = "sangsaeng.core.views.page_not_found"
handler500 = "sangsaeng.core.views.server_error"
