from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view; nobody edits or deletes audit events."""

    list_display = ("occurred_at", "actor_username", "channel", "action", "object_repr")
    list_filter = ("channel", "action")
    search_fields = ("object_id", "actor_username", "request_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
