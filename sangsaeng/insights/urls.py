from django.urls import path

from sangsaeng.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.partner_list, name="partners"),
    path("<str:ref>/", views.dashboard, name="dashboard"),
    path("<str:ref>/customers/", views.customers, name="customers"),
    path("<str:ref>/customers.csv", views.customers_csv, name="customers_csv"),
    path("<str:ref>/export.<str:fmt>", views.export, name="export"),
]
