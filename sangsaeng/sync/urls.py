from django.urls import path

from sangsaeng.sync import views

app_name = "sync"

urlpatterns = [
    path("", views.connections, name="connections"),
    path("<uuid:link_id>/withdraw", views.consent_withdraw, name="withdraw"),
    path("<uuid:link_id>/unlink", views.unlink, name="unlink"),
    path("apps/", views.apps, name="apps"),
    path("apps/<uuid:partner_id>/", views.app, name="app"),
    path("apps/<uuid:partner_id>/terms", views.term_add, name="term_add"),
    path("apps/<uuid:partner_id>/terms/<uuid:term_id>/delete", views.term_delete, name="term_delete"),
    path("apps/<uuid:partner_id>/webhook", views.webhook_set, name="webhook_set"),
]
