from django.urls import path

from sangsaeng.contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:contribution_id>/", views.detail, name="detail"),
    path("<uuid:contribution_id>/report/", views.report, name="report"),
    path("operator/", views.operator, name="operator"),
    path("snapshots/<str:root>/", views.snapshot, name="snapshot"),
    path("snapshots/<str:root>/<str:fmt>", views.snapshot_download, name="snapshot_download"),
]
