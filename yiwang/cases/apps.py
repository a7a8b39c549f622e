from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    verbose_name = _("Applications")

    def ready(self):
        # The plug-ins of the engine, registered once here: their hooks and actions.
        from yiwang.cases import bundles  # noqa: F401
