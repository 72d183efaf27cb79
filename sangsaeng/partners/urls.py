from django.urls import path

from sangsaeng.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("<str:handle>/", views.channel_page, name="channel"),
    path("<str:handle>/logo", views.channel_logo, name="logo"),
    path("<str:handle>/cover", views.channel_cover, name="cover"),
    path("<str:handle>/follow", views.follow, name="follow"),
    path("<str:handle>/consents", views.consents, name="consents"),
    path("<str:handle>/chat", views.chat_open, name="chat"),
    path("<str:handle>/verify", views.verify, name="verify"),
    path("<str:handle>/p/<uuid:post_id>/", views.post_page, name="post"),
    path("<str:handle>/p/<uuid:post_id>/image/<int:position>", views.post_image, name="post_image"),
    path("<str:handle>/p/<uuid:post_id>/go/<int:index>", views.post_click, name="click"),
]
