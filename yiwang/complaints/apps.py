from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ComplaintsConfig(AppConfig):
    name = "yiwang.complaints"
    verbose_name = _("Complaints and hotline tickets")


# The role this app adds to `regions.Role`; its label is translated in this app's catalogue.
HOTLINE_OPERATOR_LABEL = gettext_noop("Hotline operator")
