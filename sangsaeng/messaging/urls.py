from django.urls import path

from sangsaeng.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/direct", views.direct_new, name="direct_new"),
    path("new/group", views.group_new, name="group_new"),
    path("c/<uuid:conversation_id>/", views.conversation, name="conversation"),
    path("c/<uuid:conversation_id>/invite", views.invite, name="invite"),
    path("c/<uuid:conversation_id>/leave", views.leave, name="leave"),
    path("m/<uuid:message_id>/media", views.media, name="media"),
    path("links/", views.links, name="links"),
    path("backup/", views.backup, name="backup"),
    path("blocks/", views.blocks, name="blocks"),
    path("reports/", views.reports, name="reports"),
]
