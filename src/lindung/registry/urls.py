from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.worker_list, name="list"),
    path("baru/", views.worker_create, name="create"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/ubah/", views.worker_edit, name="edit"),
    path("<int:pk>/hapus/", views.worker_delete, name="delete"),
    path("<int:pk>/status/", views.worker_mark, name="mark"),
]
