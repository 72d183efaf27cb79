from django.urls import path

from sangsaeng.contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:contribution_id>/", views.detail, name="detail"),
    path("<uuid:contribution_id>/report/", views.report, name="report"),
    path("operator/", views.operator, name="operator"),
    path("earnings/", views.earnings, name="earnings"),
    path("earnings/statements.csv", views.earnings_csv, name="earnings_csv"),
    path("earnings/<uuid:statement_id>/", views.statement, name="statement"),
    path("earnings/<uuid:statement_id>/statement.csv", views.statement_csv, name="statement_csv"),
    path("snapshots/<str:root>/", views.snapshot, name="snapshot"),
    path("snapshots/<str:root>/<str:fmt>", views.snapshot_download, name="snapshot_download"),
]
