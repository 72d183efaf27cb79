from django.urls import path

from sangsaeng.chain import views

app_name = "chain"

urlpatterns = [
    path("", views.chain_home, name="home"),
    path("tx/<str:tx_id>", views.transaction_detail, name="transaction"),
    path("tokens/<str:contract>/<int:token_id>", views.token_detail, name="token"),
]
