from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "yiwang.security"
    verbose_name = _("Security")

    def ready(self):
        from yiwang.security import throttling  # noqa: F401, PLC0415  (connects the lockout receiver)
