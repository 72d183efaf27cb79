from django.urls import path

from sangsaeng.business_cards import views

app_name = "business_cards"

urlpatterns = [
    path("", views.card_list, name="list"),
    path("new/", views.card_new, name="new"),
    path("<uuid:card_id>/", views.card_edit, name="edit"),
    path("<uuid:card_id>/delete", views.card_delete, name="delete"),
    path("<uuid:card_id>/company", views.company_verify, name="company"),
    path("p/<uuid:card_id>/", views.public_card, name="public"),
    path("p/<uuid:card_id>/qr.svg", views.public_qr, name="qr"),
    path("p/<uuid:card_id>/card.vcf", views.public_vcard, name="public_vcard"),
    path("p/<uuid:card_id>/photo", views.public_photo, name="photo"),
    path("p/<uuid:card_id>/signed", views.public_signed, name="signed"),
    path("p/<uuid:card_id>/save", views.book_save, name="save"),
    path("book/", views.book, name="book"),
    path("book/export.vcf", views.book_export_vcard, name="book_vcard"),
    path("book/export.csv", views.book_export_csv, name="book_csv"),
    path("book/<uuid:entry_id>/", views.book_entry, name="entry"),
    path("book/<uuid:entry_id>/delete", views.book_entry_delete, name="entry_delete"),
]
