from django.urls import path

from . import views

app_name = "enrolment"
urlpatterns = [
    # `path`: program codes may hold dots (see programs.urls).
    path("program/<path:code>/berkas-bpjs/", views.registration_file, name="registration_file"),
    path("program/<path:code>/", views.participant_list, name="participants"),
    path("<int:pk>/", views.participant_detail, name="participant"),
    path("<int:pk>/kpj/", views.participant_kpj, name="participant_kpj"),
    path("<int:pk>/akhiri/", views.participant_end_view, name="participant_end"),
]
