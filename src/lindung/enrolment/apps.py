from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "lindung.enrolment"
    label = "enrolment"

    def ready(self) -> None:
        # The registry announces deaths and moves; enrolment ends coverage in reaction. The
        # registry never imports enrolment (its arrows point one way), so the link is a signal.
        from lindung.audit.labels import register_actions, register_fields

        from . import receivers  # noqa: F401

        register_actions(
            {
                "enrolment.enrol": _("Participants enrolled from ready lists"),
                "enrolment.end": _("Participation ended"),
                "enrolment.merge": _("Participation moved to the kept record of a merge"),
                "enrolment.kpj_set": _("KPJ number entered or corrected"),
                "enrolment.kpj_import": _("KPJ numbers imported from BPJS's answer"),
                "enrolment.renew": _("Participants renewed into the next period"),
            }
        )
        register_fields(
            {
                "enrolled": _("Enrolled"),
                "already": _("Already enrolled"),
                "assigned": _("Assigned"),
                "renewed": _("Renewed"),
                "lists": _("Lists"),
                "batch": _("Batch"),
                "other_participations": _("Other periods corrected too"),
            }
        )
