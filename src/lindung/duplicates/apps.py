from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "lindung.duplicates"
    verbose_name = "Duplicates"
