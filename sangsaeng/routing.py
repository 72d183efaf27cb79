from django.urls import path

from sangsaeng.core.consumers import NotificationsConsumer
from sangsaeng.messaging.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
]
