from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    verbose_name = _("Applications")

    def ready(self):
        # The engine's plug-ins, registered once, here: their hooks and actions. The engine
        # itself imports none of them.
        from yiwang.cases import (  # noqa: F401, PLC0415
            bundles,
            licence_cases,
            prereviews,
            procedures,
        )
