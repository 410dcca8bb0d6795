"""Django admin is for looking, not for changing.

Every write in Lindung goes through a service that checks it and records it in the audit trail.
Django admin writes straight to the tables, so this site makes every model registered on it
read-only (Lindung's own and third-party ones: groups, axes, task results), with no bulk
actions, unless its ModelAdmin declares `audits_its_writes = True` and records an audit event
for each save itself (the occupation list). Roles, staff flag, regions, activation and
passwords change through `lindung user …` (accounts services), never here.
"""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Actions run on the selected rows without a change permission check of their own.
        return {}


def _read_only(cls: type) -> type:
    return type(cls.__name__, (ReadOnlyAdminMixin, cls), {"__module__": cls.__module__})


class LindungAdminSite(admin.AdminSite):
    site_header = "Lindung"
    site_title = "Lindung admin"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not getattr(admin_class, "audits_its_writes", False):
            admin_class = type(
                admin_class.__name__,
                (ReadOnlyAdminMixin, admin_class),
                {
                    "__module__": admin_class.__module__,
                    "inlines": [_read_only(inline) for inline in admin_class.inlines],
                },
            )
        return super().register(model_or_iterable, admin_class, **options)

    def password_change(self, request, extra_context=None):
        # One place to change one's password: the audited page that also revokes API tokens.
        return redirect("accounts:password_change")
