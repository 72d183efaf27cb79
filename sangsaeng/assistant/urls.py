from django.urls import path

from sangsaeng.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("forget", views.forget, name="forget"),
    path("retention", views.retention, name="retention"),
    path("chat", views.open_chat, name="open_chat"),
    path("actions/<uuid:action_id>/confirm", views.action_decide, {"decision": "confirm"}, name="action_confirm"),
    path("actions/<uuid:action_id>/cancel", views.action_decide, {"decision": "cancel"}, name="action_cancel"),
]
