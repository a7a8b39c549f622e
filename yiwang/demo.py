"""Demo data for `make run`: each app contributes a `demo.load(admin)` step, run in this order.

Everything goes through the services, so the demo has its audit record like real data.
"""

import importlib

from django.contrib.auth import get_user_model
from django.db import transaction

from yiwang.regions.demo import DEMO_PASSWORD

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load"]

STEPS = [
    "yiwang.regions.demo",
    "yiwang.parties.demo",
    "yiwang.catalog.demo",
    "yiwang.licences.demo",
    "yiwang.cases.demo",
    "yiwang.credit.demo",
    "yiwang.appointments.demo",
    "yiwang.enterprise.demo",
    "yiwang.guidance.demo",
    "yiwang.supervision.demo",
    "yiwang.disclosure.demo",
    "yiwang.complaints.demo",
    "yiwang.indicators.demo",
]


def is_loaded() -> bool:
    return get_user_model().objects.filter(username="admin").exists()


def load(*, sample_cases: bool = True) -> None:
    """Load every step; tests leave out the sample cases so that they start from an empty desk."""
    with transaction.atomic():
        admin = get_user_model().objects.create_superuser(
            username="admin", password=DEMO_PASSWORD, email="admin@example.invalid"
        )
        for step in STEPS:
            module = importlib.import_module(step)
            if hasattr(module, "load"):
                module.load(admin)
            if sample_cases and hasattr(module, "load_samples"):
                module.load_samples(admin)


DEMO_ACCOUNTS = [
    ("applicant", "an enterprise applicant (portal)"),
    ("clerk", "single-window clerk, Dalian service hall"),
    ("reviewer", "reviewer, Dalian health commission"),
    ("approver", "approver, Dalian health commission"),
    ("inspector1", "inspector, Dalian health commission"),
    ("inspector2", "inspector, Dalian health commission"),
    ("admin", "administrator (superuser)"),
    ("leader", "leader, Dalian health commission (green channel, credit grades)"),
    ("catalogue", "catalogue administrator"),
    ("secretary", "service secretary, Dalian service hall"),
    ("auditor", "auditor"),
    ("zs_reviewer", "reviewer, Zhongshan district health bureau"),
    ("xg_reviewer", "reviewer, Xigang district health bureau"),
    ("zs_approver", "approver, Zhongshan district health bureau"),
    ("xg_approver", "approver, Xigang district health bureau"),
    ("expert", "expert of the front-service pool"),
    ("inspector3", "inspector, Dalian health commission"),
    ("yb_inspector", "inspector, Dalian medical security bureau (joint inspections)"),
    ("sc_inspector", "inspector, Dalian market supervision administration (joint inspections)"),
    ("operator", "12345 hotline operator, Dalian service hall (complaints)"),
]
