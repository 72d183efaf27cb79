"""The operators' report queue in the Django admin too (the product page is /chat/reports/)."""

from django.contrib import admin

from sangsaeng.messaging.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reporter", "reason", "status"]
    list_filter = ["status"]
    raw_id_fields = ["message", "reporter"]
    readonly_fields = ["message", "reporter", "reason", "created_at"]
