from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    # `path` like the program page: any stored program code has an address.
    path("sumber-dana/<int:pk>/potongan/", views.funder_discounts_view, name="funder_discounts"),
    path("tagihan/<int:pk>/", views.invoice_page, name="invoice"),
    path(
        "tagihan/<int:pk>/rekap.<str:kind>",
        views.invoice_export,
        name="invoice_export",
    ),
    path("tagihan/program/<path:code>/", views.program_invoices_page, name="program_invoices"),
    path(
        "tunggakan/program/<path:code>/tunggakan.xlsx",
        views.program_arrears_export,
        name="program_arrears_export",
    ),
    path("tunggakan/program/<path:code>/", views.program_arrears_page, name="program_arrears"),
    path("program/<path:code>/", views.program_budget_page, name="program_budget"),
]
