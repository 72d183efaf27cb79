from django.urls import path

from sangsaeng.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.wallet, name="wallet"),
    path("topup", views.wallet_topup, name="topup"),
    path("checkout/<uuid:payment_id>/", views.checkout, name="checkout"),
    path("checkout/<uuid:payment_id>/test", views.checkout_confirm_test, name="checkout_test"),
    path("toss/success", views.toss_success, name="toss_success"),
    path("toss/fail", views.toss_fail, name="toss_fail"),
    path("settlements/", views.settlements, name="settlements"),
    path("settlements/<uuid:statement_id>/", views.settlement_detail, name="statement"),
    path("operator/", views.operator_desk, name="operator"),
    path("operator/deposits/<uuid:deposit_id>/assign", views.operator_assign, name="assign"),
    path("operator/payouts.csv", views.payouts_csv, name="payouts_csv"),
]
