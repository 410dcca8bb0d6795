from django.urls import path

from . import calculator_views, scholarship_views, views

app_name = "claims"
urlpatterns = [
    path("kalkulator/", calculator_views.calculator_page, name="calculator"),
    path("", views.claim_list, name="list"),
    path("register.xlsx", views.register_export, name="export"),
    path("baru/", views.claim_new, name="new"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/dokumen/", views.document_upload, name="document_upload"),
    path("<int:pk>/dokumen/<int:doc>/", views.document_download, name="document"),
    path("<int:pk>/ahli-waris/", views.heirs_view, name="heirs"),
    path("<int:pk>/status/", views.move_view, name="move"),
    path("<int:pk>/bayar/", views.payment_view, name="payment"),
    path("beasiswa/<int:participant>/", scholarship_views.page, name="scholarships"),
    path("beasiswa/<int:participant>/tempat/", scholarship_views.place_add, name="place_add"),
    path("beasiswa/tempat/<int:place>/pindah/", scholarship_views.place_move, name="place_move"),
    path("beasiswa/tempat/<int:place>/tahun/", scholarship_views.year_record, name="year_record"),
    path("beasiswa/tempat/<int:place>/klaim/", scholarship_views.year_claim, name="year_claim"),
]
