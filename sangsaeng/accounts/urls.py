from django.urls import path

from sangsaeng.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_home, name="settings"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/<uuid:address_id>/default", views.address_default, name="address_default"),
    path("addresses/<uuid:address_id>/delete", views.address_delete, name="address_delete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke", views.token_revoke, name="token_revoke"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/revoke", views.session_revoke, name="session_revoke"),
    path("security/", views.security, name="security"),
    path("delete/", views.delete_account, name="delete"),
]
