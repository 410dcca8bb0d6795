from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lindung.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Audit events of this app in words (see lindung.audit.labels).
        from lindung.audit.labels import register_actions, register_fields

        register_actions(
            {
                "user.create": _("User created"),
                "user.scope": _("User's regions changed"),
                "user.password": _("Password changed"),
                "user.role": _("User's role changed"),
                "user.activate": _("User activated"),
                "user.deactivate": _("User deactivated"),
                "apitoken.create": _("API token created"),
                "apitoken.revoke": _("API token revoked"),
            }
        )
        register_fields({"regions": _("Regions"), "user": _("User")})
