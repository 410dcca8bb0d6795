from django.contrib import admin

from .models import HistoricalCode, Region, RegionDataset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read-only: the list changes only through `lindung setup` from a decree."""

    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("code", "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegionDataset)
class RegionDatasetAdmin(RegionAdmin):
    list_display = ("decree", "source", "source_version", "loaded_at")
    list_filter = ()
    search_fields = ()


@admin.register(HistoricalCode)
class HistoricalCodeAdmin(RegionAdmin):
    list_display = ("old_code", "name", "current", "change_year", "legal_basis")
    list_filter = ("level",)
    search_fields = ("old_code", "name")
