import axes.admin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from yiwang.security.throttling import login_unlock

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockedSignInAdmin(axes.admin.AccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(description=_("Unlock the selected accounts and addresses (audited)"))
    def unlock(self, request, queryset):
        pairs = set(queryset.values_list("username", "ip_address"))
        for username, ip_address in pairs:
            login_unlock(actor=request.user, username=username or "", ip_address=ip_address or "")
        messages.success(request, _("Unlocked."))
