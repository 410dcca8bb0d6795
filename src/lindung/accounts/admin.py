from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ScopeAssignment, User


class ScopeInline(admin.TabularInline):
    model = ScopeAssignment
    extra = 0
    autocomplete_fields = ("region",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Lindung", {"fields": ("role",)}))
    inlines = (ScopeInline,)
