from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The whole site put together: `setup`, `serve` and `worker`, the home and error pages, and
    the helpers that start a real server for tests. It stands above every app (it is listed last
    in INSTALLED_APPS), so `common` stays a ground floor that imports no Lindung app."""

    name = "lindung.site"
    label = "site"
