from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PanelsConfig(AppConfig):
    name = "yiwang.panels"
    verbose_name = "Page panels"

    def ready(self):
        autodiscover_modules("panels")
