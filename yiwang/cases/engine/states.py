"""The states a case can be in, and every set of states the code asks about, defined once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    CORRECTION_REQUESTED = "correction_requested", _("Waiting for corrections")
    ACCEPTED = "accepted", _("Accepted, under review")
    SUSPENDED = "suspended", _("Suspended")
    REVIEWED = "reviewed", _("Reviewed, awaiting decision")
    APPROVED = "approved", _("Approved, licence being issued")
    DENIED = "denied", _("Denied")
    ISSUED = "issued", _("Licence issued")
    REFUSED = "refused", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Ended: promised materials not supplied in time")


S = Status
# Still with the administration: a deadline runs (or waits on the applicant's corrections).
OPEN = frozenset({S.RECEIVED, S.CORRECTION_REQUESTED, S.ACCEPTED, S.SUSPENDED, S.REVIEWED})
# Under review by the back office: the committed and statutory clocks run.
IN_REVIEW = frozenset({S.ACCEPTED, S.REVIEWED})
# Ended: nothing more happens to the case itself.
FINAL = frozenset({S.DENIED, S.ISSUED, S.REFUSED, S.WITHDRAWN, S.LAPSED})
# Decided for a one-thing bundle's overall result; granted ones count as approvals.
DECIDED = frozenset({S.APPROVED, *FINAL})
GRANTED = frozenset({S.APPROVED, S.ISSUED})
# No clock of the administration runs: ended, or waiting for the applicant's corrections.
CLOCK_AT_REST = frozenset({*FINAL, S.CORRECTION_REQUESTED})
