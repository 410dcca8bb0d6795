from django.contrib import admin

from .models import Occupation


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    """Workers and heirs are edited only through the pages and API (services write the audit);
    the admin manages the occupation list, recording each save in the audit trail."""

    audits_its_writes = True  # so the read-only admin site leaves it editable

    list_display = ("code", "registry_code", "name_id", "name_en", "work_class", "is_active")
    list_filter = ("work_class", "group", "is_active")
    search_fields = ("code", "name_id", "name_en")
    # The registry code comes from the shipped SIAK/Dukcapil list; `is_informal` follows the class.
    readonly_fields = ("registry_code",)
    exclude = ("is_informal",)

    def save_model(self, request, obj, form, change):
        from lindung.audit.services import record, snapshot

        fields = ("code", "name_id", "name_en", "group", "work_class", "is_active", "sort_order")
        before = snapshot(Occupation.objects.get(pk=obj.pk), fields) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="occupation.update" if change else "occupation.create",
            obj=obj,
            before=before,
            after=snapshot(obj, fields),
        )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: workers point at it
