"""Background jobs of the calendar."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from yiwang import clock
from yiwang.workdays.calendar import is_provisional_year

logger = logging.getLogger(__name__)

WARN_FROM_MONTH = 11  # the State Council usually publishes next year's holidays in November


@task()
def warn_if_next_year_provisional() -> bool:
    """Daily from 1 November: tell the administrators while next year has no published calendar.

    Deadlines running into that year are marked provisional until the year is loaded
    (admin → working-day calendar → load a year, or `manage.py import_calendar FILE`).
    """
    today = clock.today()
    next_year = today.year + 1
    if today.month < WARN_FROM_MONTH or not is_provisional_year(next_year):
        return False
    logger.warning("The working-day calendar of %s is not published yet (provisional).", next_year)
    recipients = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        with override("zh-hans"):
            subject = _("The working-day calendar of %(year)s is not loaded yet") % {
                "year": next_year
            }
            body = _(
                "Deadlines that run into %(year)s are provisional: they follow the weekend rule "
                "until the State Council's holidays for %(year)s are loaded. Load them in the "
                "admin (working-day calendar, load a year) or with `manage.py import_calendar`."
            ) % {"year": next_year}
        send_mail(subject, body, None, recipients)
    return True
