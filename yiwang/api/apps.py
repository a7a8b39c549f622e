from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "yiwang.api"
    label = "yiwang_api"
    verbose_name = _("API")
