"""Today and now in the service's time zone (Asia/Shanghai).

Every "today" in the code comes from here so that tests freeze it through one fixture.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localdate()


def localdate(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)
