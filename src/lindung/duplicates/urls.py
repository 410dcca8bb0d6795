from django.urls import path

from . import views

app_name = "duplicates"
urlpatterns = [
    path("", views.duplicate_list, name="list"),
    path("pindai/", views.duplicate_scan_view, name="scan"),
    path("<int:pk>/", views.duplicate_detail, name="detail"),
]
