from django.urls import path

from sangsaeng.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("forget", views.forget, name="forget"),
    path("retention", views.retention, name="retention"),
]
