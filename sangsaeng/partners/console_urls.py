from django.urls import path

from sangsaeng.partners import console_views as views

app_name = "partners_console"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("<uuid:channel_id>/", views.channel_settings, name="settings"),
    path("<uuid:channel_id>/staff/", views.staff, name="staff"),
    path("<uuid:channel_id>/staff/<uuid:staff_id>/remove", views.staff_remove, name="staff_remove"),
    path("<uuid:channel_id>/broadcasts/", views.broadcasts, name="broadcasts"),
    path("<uuid:channel_id>/broadcasts/<uuid:broadcast_id>/", views.broadcast, name="broadcast"),
    path("<uuid:channel_id>/broadcasts/<uuid:broadcast_id>/cancel", views.broadcast_cancel, name="cancel"),
    path("<uuid:channel_id>/inbox/", views.inbox, name="inbox"),
    path("<uuid:channel_id>/inbox/<uuid:thread_id>/", views.thread, name="thread"),
]
