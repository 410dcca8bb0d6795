from django.urls import path

from . import cards_views, dashboard_views

app_name = "coverage"
urlpatterns: list = [
    path("", dashboard_views.dashboard_home, name="dashboard_home"),
    # Region codes dotted (`16.12`) or not (`1612`); `ID` is Indonesia.
    path("wilayah/<str:code>/", dashboard_views.dashboard_page, name="dashboard"),
    path("wilayah/<str:code>/laporan.xlsx", dashboard_views.report_xlsx, name="report_xlsx"),
    path("wilayah/<str:code>/laporan.pdf", dashboard_views.report_pdf, name="report_pdf"),
    path("wilayah/<str:code>/ringkasan.pdf", dashboard_views.summary_pdf, name="summary_pdf"),
    path(
        "wilayah/<str:code>/peserta.<str:fmt>",
        dashboard_views.participants_file,
        name="participants_file",
    ),
    path("kartu-peserta/<int:pk>/tarik/", cards_views.card_revoke, name="card_revoke"),
    # `path`: program codes may hold dots (see programs.urls).
    path("kartu/<path:code>/", cards_views.cards_print, name="cards"),
]
