from django.urls import path

from sangsaeng.drawer import share_views, views

app_name = "drawer"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("favourites/", views.favourites, name="favourites"),
    path("upload", views.upload, name="upload"),
    path("trash/", views.trash, name="trash"),
    path("albums/", views.albums, name="albums"),
    path("albums/<str:album_id>/", views.album_detail, name="album"),
    path("items/<str:item_id>/", views.item_detail, name="item"),
    path("items/<str:item_id>/file/<str:rendition>", views.item_file, name="item_file"),
    path("items/<str:item_id>/favourite", views.item_favourite, name="item_favourite"),
    path("items/<str:item_id>/trash", views.item_trash, name="item_trash"),
    path("items/<str:item_id>/restore", views.item_restore, name="item_restore"),
    path("items/<str:item_id>/purge", views.item_purge, name="item_purge"),
    path("items/<str:item_id>/album", views.album_add, name="album_add"),
    path("items/<str:item_id>/album/remove", views.album_remove, name="album_remove"),
    path("shares/", views.share_create, name="share_create"),
    path("shares/<str:share_id>/revoke", views.share_revoke, name="share_revoke"),
    path("devices/", views.devices, name="devices"),
    path("devices/<str:password_id>/revoke", views.device_revoke, name="device_revoke"),
    path("s/<str:token>/", share_views.share_page, name="share"),
    path("s/<str:token>/<str:item_id>/<str:rendition>", share_views.share_file, name="share_file"),
]
