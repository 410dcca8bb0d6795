from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.upload_list, name="list"),
    path("templat/<str:code>/", views.template_download, name="template"),
    path("<uuid:pk>/", views.upload_detail, name="detail"),
    path("<uuid:pk>/simpan/", views.upload_commit_view, name="commit"),
    path("<uuid:pk>/batal/", views.upload_cancel_view, name="cancel"),
    path("<uuid:pk>/hasil/", views.annotated_download, name="annotated"),
    path("<uuid:pk>/periksa-ulang/", views.upload_recheck_view, name="recheck"),
]
