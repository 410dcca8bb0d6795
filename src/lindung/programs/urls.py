from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("duplikat/", views.duplicate_list, name="duplicates"),
    path("duplikat/pindai/", views.duplicate_scan_view, name="duplicate_scan"),
    path("duplikat/<int:pk>/", views.duplicate_detail, name="duplicate"),
]
