from django.urls import path

from sangsaeng.drops import views

app_name = "drops"

urlpatterns = [
    path("", views.home, name="home"),
    path("d/<uuid:drop_id>/", views.drop_page, name="drop"),
    path("d/<uuid:drop_id>/buy", views.drop_buy, name="buy"),
    path("d/<uuid:drop_id>/bid", views.drop_bid, name="bid"),
    path("e/<uuid:edition_id>/", views.edition_page, name="edition"),
    path("e/<uuid:edition_id>/list", views.edition_list, name="list"),
    path("e/<uuid:edition_id>/withdraw", views.edition_withdraw, name="withdraw"),
    path("l/<uuid:listing_id>/buy", views.listing_buy, name="listing_buy"),
    path("l/<uuid:listing_id>/cancel", views.listing_cancel, name="listing_cancel"),
    path("artworks/<uuid:artwork_id>/preview", views.artwork_preview, name="preview"),
    path("artworks/<uuid:artwork_id>/original", views.artwork_original, name="original"),
    path("c/<uuid:creator_id>/", views.creator_page, name="creator"),
    path("me/", views.collection, name="collection"),
    path("market/", views.market, name="market"),
    path("studio/", views.studio, name="studio"),
    path("curation/", views.curation, name="curation"),
]
