from django.urls import path

from . import calculator_views

app_name = "claims"
urlpatterns: list = [
    path("kalkulator/", calculator_views.calculator_page, name="calculator"),
]
