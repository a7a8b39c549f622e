from django.contrib import admin

from yiwang.jobs.models import WorkerLease


@admin.register(WorkerLease)
class WorkerLeaseAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "beat_at"]
    readonly_fields = ["worker_id", "host", "pid", "started_at", "beat_at"]
