from django.contrib import admin
from django.urls import include, path

from lindung.api import api
from lindung.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("akun/", include("lindung.accounts.urls")),
    path("wilayah/", include("lindung.regions.urls")),
    path("pekerja/", include("lindung.registry.urls")),
    path("audit/", include("lindung.audit.urls")),
    path("unggah/", include("lindung.intake.urls")),
    path("verifikasi/", include("lindung.programs.urls")),
    path("peserta/", include("lindung.enrolment.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "lindung.common.views.not_found"
handler403 = "lindung.common.views.forbidden"
