from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "yiwang.complaints"
    verbose_name = _("Complaints and hotline tickets")
