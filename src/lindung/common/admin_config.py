"""django.contrib.admin with Lindung's read-only site as the default `admin.site` (see
admin_site.py). Kept apart from the site so that loading apps imports no admin code."""

from django.contrib.admin.apps import AdminConfig


class LindungAdminConfig(AdminConfig):
    default_site = "lindung.common.admin_site.LindungAdminSite"
