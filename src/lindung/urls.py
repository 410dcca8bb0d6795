from django.contrib import admin
from django.urls import include, path

from lindung.api import api
from lindung.coverage import publiccheck_views
from lindung.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("akun/", include("lindung.accounts.urls")),
    path("wilayah/", include("lindung.regions.urls")),
    path("pekerja/", include("lindung.registry.urls")),
    path("audit/", include("lindung.audit.urls")),
    path("unggah/", include("lindung.intake.urls")),
    # The review queue keeps the address it had under verification.
    path("verifikasi/duplikat/", include("lindung.duplicates.urls")),
    path("verifikasi/", include("lindung.programs.urls")),
    path("anggaran/", include("lindung.billing.urls")),
    path("peserta/", include("lindung.enrolment.urls")),
    path("klaim/", include("lindung.claims.urls")),
    path("cakupan/", include("lindung.coverage.urls")),
    # The public status check: no log-in; a membership card's QR code points here.
    path("cek/", include((publiccheck_views.urlpatterns, "public"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "lindung.site.views.not_found"
handler403 = "lindung.site.views.forbidden"
