from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "lindung.enrolment"
    label = "enrolment"

    def ready(self) -> None:
        # The registry announces deaths and moves; enrolment ends coverage in reaction. The
        # registry never imports enrolment (its arrows point one way), so the link is a signal.
        from . import receivers  # noqa: F401
