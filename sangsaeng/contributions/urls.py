from django.urls import path

from sangsaeng.contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:contribution_id>/", views.detail, name="detail"),
]
