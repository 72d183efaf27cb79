from django.urls import path

from sangsaeng.drawer import tus

urlpatterns = [
    path("", tus.collection, name="tus"),
    path("<str:upload_id>", tus.resource, name="tus_upload"),
]
