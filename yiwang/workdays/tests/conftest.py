import pytest

from yiwang.workdays.calendar import WorkingCalendar, reset_calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the calendar of its own database state."""
    reset_calendar()
    yield
    reset_calendar()


@pytest.fixture(scope="session")
def published():
    """The calendar of `chinesecalendar` alone, without the database (pure tests)."""
    return WorkingCalendar()
