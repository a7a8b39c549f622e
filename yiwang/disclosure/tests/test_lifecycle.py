"""The real case lifecycle: the engine's events queue the decision for publication and open
it for rating, after commit, through the event deliveries."""

import datetime

import pytest

from yiwang.cases.models import Notification
from yiwang.disclosure.models import Publication
from yiwang.events.testing import deliver_pending
from yiwang.ratings.models import RatingInvitation
from yiwang.ratings.tests import casework

pytestmark = pytest.mark.django_db


def test_an_approval_is_published_and_opened_for_rating(demo, user_named, freeze):
    freeze("2026-02-12")
    case = casework.decide_case(user_named, casework.file_case(user_named))
    deliver_pending()
    record = Publication.objects.get(kind="licensing", source_id=case.pk)
    assert (record.decision, record.status) == ("approved", "published")
    assert record.publish_due == datetime.date(2026, 2, 28)
    assert record.subject_name == casework.CLINIC and record.number == case.number
    invitation = RatingInvitation.objects.get(subject_kind="case", subject_id=case.pk)
    assert invitation.applicant_id == case.applicant_id
    assert Notification.objects.filter(case=case, kind="rating_invitation").count() == 1


def test_a_denial_waits_for_review(demo, user_named, freeze):
    freeze("2026-09-24")
    case = casework.decide_case(user_named, casework.file_case(user_named), approve=False)
    deliver_pending()
    record = Publication.objects.get(kind="licensing", source_id=case.pk)
    assert (record.decision, record.status) == ("denied", "queued")
    assert record.publish_due == datetime.date(2026, 10, 12)
