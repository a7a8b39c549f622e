from django.contrib import admin

from yiwang.regions.models import Department, Region, Staff, StaffRole


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "runs_service_hall"]
    list_filter = ["kind"]
    search_fields = ["name"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "department", "region", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["display_name", "user__username"]
    inlines = [StaffRoleInline]
