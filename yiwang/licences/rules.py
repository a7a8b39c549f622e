"""Where the law leaves room, as data: the items that act on licences, renewal windows and the
reminder schedule. Read from `data/items.json` (the same file that loads the items) and the
`LicenceTypeRule` table.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from yiwang.licences.models import LicenceTypeRule

DATA_FILE = Path(__file__).parent / "data" / "items.json"
DEFAULT_RENEWAL_WINDOW_DAYS = 30  # "usually 30 days before expiry" (Art. 50)
RENEWAL_REMINDER_DAYS = (90, 30, 7)
VERIFICATION_REMINDER_DAYS = 30


@cache
def _data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def purpose_items() -> dict[str, str]:
    """purpose → item code of the case that carries it out."""
    return dict(_data()["purposes"])


def purpose_of_item(item_code: str) -> str | None:
    for purpose, code in purpose_items().items():
        if code == item_code:
            return purpose
    return None


def verified_item_codes() -> frozenset[str]:
    """Items whose licences (medical institution practice licences) are verified periodically."""
    return frozenset(_data()["verification"]["licensed_items"])


def verification_item_code() -> str:
    return _data()["verification"]["item"]


def renewal_window_days(licence_type_code: str) -> int:
    found = (
        LicenceTypeRule.objects.filter(licence_type_code=licence_type_code)
        .values_list("renewal_window_days", flat=True)
        .first()
    )
    return DEFAULT_RENEWAL_WINDOW_DAYS if found is None else found


def renewal_opens_on(licence) -> datetime.date | None:
    if licence.valid_until is None:
        return None
    return licence.valid_until - datetime.timedelta(
        days=renewal_window_days(licence.licence_type_code)
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
