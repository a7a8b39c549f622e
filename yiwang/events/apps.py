from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "yiwang.events"
    verbose_name = _("Domain events")

    def ready(self):
        # Each app declares its event types in `events.py` and its subscribers in
        # `subscribers.py`; both are found here, so no app has to import another to react to it.
        autodiscover_modules("events")
        autodiscover_modules("subscribers")
