from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("program/", views.program_list, name="programs"),
    path("dtsen/", views.poverty_upload_view, name="poverty_upload"),
    path("program/baru/", views.program_create_view, name="program_create"),
    # `path`, not `slug`: a program code stored before codes were checked ("muba 2026 (final)")
    # must still have an address, or every page listing it fails to render.
    path("program/<path:code>/", views.program_detail, name="program"),
    path("usulan/<int:pk>/", views.submission_detail, name="submission"),
]
