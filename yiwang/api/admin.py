from django.contrib import admin

from yiwang.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at"]
    readonly_fields = ["user", "digest", "created_at", "expires_at"]
