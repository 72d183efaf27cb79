from django.urls import path

from sangsaeng.identity import views

app_name = "identity"

urlpatterns = [
    path("", views.wallet, name="wallet"),
    path("credentials/issue", views.credential_issue, name="credential_issue"),
    path("credentials/<uuid:credential_id>/revoke", views.credential_revoke, name="credential_revoke"),
    path("document/", views.document_submit, name="document"),
    path("phone/", views.phone, name="phone"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<uuid:review_id>/", views.review_detail, name="review_detail"),
    path("review/<uuid:review_id>/document", views.review_document, name="review_document"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("status/1", views.status_list, name="status_list"),
]
