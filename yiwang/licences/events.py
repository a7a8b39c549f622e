"""The events a licence publishes (discovered by the events app).

`licence.issued` and `licence.ended` are what other apps react to (the supervised directory,
disclosure, credit); `licence.changed` covers every other change; `licence.signed` asks for the
PDF of a newly signed version.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel

from yiwang.events import event_type


class LicencePayload(BaseModel):
    licence_id: int
    number: str
    action: str
    status: str
    holder_id: int
    holder_code: str | None = None
    holder_name: str
    licence_type: str
    item_code: str | None = None
    region_code: str
    department_id: int
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    case_id: int | None = None
    reason: str | None = None  # for licence.ended: expired | cancelled | revoked | withdrawn
    ended_on: datetime.date | None = None
    note: str = ""


class SignedPayload(BaseModel):
    licence_id: int
    version: int


ISSUED = event_type("licence.issued", LicencePayload)
ENDED = event_type("licence.ended", LicencePayload)
CHANGED = event_type("licence.changed", LicencePayload)
SIGNED = event_type("licence.signed", SignedPayload)

# The history action → why a licence ended, for licence.ended.
ENDING = {"expire": "expired", "cancel": "cancelled", "revoke": "revoked", "withdraw": "withdrawn"}
STARTING = {"issue", "import"}


def event_for(action: str):
    if action in STARTING:
        return ISSUED
    if action in ENDING:
        return ENDED
    return CHANGED
