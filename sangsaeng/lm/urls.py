from django.urls import path

from sangsaeng.lm import views

app_name = "lm"

urlpatterns = [
    path("", views.playground, name="playground"),
    path("generate", views.playground_generate, name="generate"),
    path("keys/", views.console, name="console"),
    path("keys/new", views.key_new, name="key_new"),
    path("keys/<uuid:key_id>/revoke", views.key_revoke, name="key_revoke"),
    path("usage/", views.usage, name="usage"),
]
