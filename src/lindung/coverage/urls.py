from django.urls import path

from . import cards_views

app_name = "coverage"
urlpatterns: list = [
    path("kartu-peserta/<int:pk>/tarik/", cards_views.card_revoke, name="card_revoke"),
    # `path`: program codes may hold dots (see programs.urls).
    path("kartu/<path:code>/", cards_views.cards_print, name="cards"),
]
