from django.urls import path

from sangsaeng.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="page"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<uuid:group_id>/delete", views.synonym_delete, name="synonym_delete"),
]
