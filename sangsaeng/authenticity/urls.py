from django.urls import path

from sangsaeng.authenticity import views, views_public

app_name = "authenticity"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("claim", views.claim_by_secret, name="claim_by_secret"),
    path("claim/<int:token_id>", views.claim, name="claim"),
    path("mine/<int:token_id>/<str:action>", views.owner_action, name="owner_action"),
    path("t/<str:code>.svg", views_public.tag_qr_svg, name="tag_qr"),
    path("t/<str:code>", views_public.verify_qr, name="verify_qr"),
    path("n/<str:code>", views_public.verify_nfc, name="verify_nfc"),
    path("p/<int:token_id>.json", views_public.passport_json, name="passport_json"),
    path("p/<int:token_id>", views_public.passport_page, name="passport"),
    path("brands/", views.brands, name="brands"),
    path("brands/<slug:slug>/", views.console, name="console"),
    path("brands/<slug:slug>/issue", views.console_issue, name="issue"),
    path("brands/<slug:slug>/batch", views.console_batch, name="batch"),
    path("brands/<slug:slug>/tags", views.console_tags, name="tags"),
    path("brands/<slug:slug>/attach", views.console_attach, name="attach"),
    path("brands/<slug:slug>/recover/<int:token_id>", views.console_recover, name="recover"),
    path("brands/<slug:slug>/label/<int:token_id>", views.label, name="label"),
    path("operator/brands", views.operator, name="operator"),
]
