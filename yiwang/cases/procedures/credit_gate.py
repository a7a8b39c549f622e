"""Credit gates at filing, for every procedure (seed 004): the black list and D grades lose
notification-commitment and tolerance; parallel approval runs only through a bundle."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.hooks import hook
from yiwang.cases.models import Procedure
from yiwang.credit import gates
from yiwang.errors import invalid_field


@hook("check_filing", order=10)
def require_credit(*, procedure: str, applicant, **_context) -> None:
    gates.require_allowed(applicant, procedure)


@hook("check_filing", order=20)
def refuse_parallel_outside_a_bundle(*, procedure: str, **_context) -> None:
    if procedure == Procedure.PARALLEL:
        raise invalid_field(
            "procedure",
            _("Parallel approval runs through a one-thing bundle: apply for the bundle."),
        )
