"""好差评 against the real 2026 calendar (Mid-Autumn 9-25..27, National Day 10-1..7, make-up
Saturday 10-10; Spring Festival 2-15..23 with the make-up Saturdays 2-14 and 2-28)."""

import datetime
import re

import pytest

from yiwang.audit.models import AuditRecord
from yiwang.cases.models import Notification
from yiwang.errors import Conflict, InvalidInput, NotFound, PermissionRefused
from yiwang.events.models import Event
from yiwang.events.testing import deliver_pending
from yiwang.ratings import rectifications as steps
from yiwang.ratings import selectors, services
from yiwang.ratings.models import Rating, RatingInvitation, Rectification, RectificationAlert
from yiwang.ratings.subscribers import count_hotline_rating, invite_case_rating
from yiwang.ratings.tests import casework

pytestmark = pytest.mark.django_db
D = datetime.date


def token_of(case) -> str:
    notice = Notification.objects.filter(case=case, kind="rating_invitation").first()
    return re.search(r"/rate/([^/]+)/", notice.body).group(1)


def test_a_decided_case_opens_one_invitation_with_a_notice_link(decided):
    case = decided("2026-09-28")
    invitation = RatingInvitation.objects.get(subject_kind="case", subject_id=case.pk)
    # 20 working days after Monday 28 Sep: 29, 30 Sep, 8, 9, 10 (make-up Saturday) … 30 Oct.
    assert invitation.opened_on == D(2026, 9, 28)
    assert invitation.rate_until == D(2026, 10, 30)
    token = token_of(case)
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    # The subscriber is idempotent: a second delivery opens nothing new and sends no new notice.
    invite_case_rating(casework.decided_event(case))
    assert RatingInvitation.objects.filter(subject_id=case.pk).count() == 1
    assert Notification.objects.filter(case=case, kind="rating_invitation").count() == 1


def test_the_link_rates_once_without_login(decided):
    case = decided()
    token = token_of(case)
    invitation = services.invitation_for_token(token)
    rating = services.rating_give(
        actor=None, invitation=invitation, level=5, channel="link", token=token
    )
    assert rating.level == 5 and rating.channel == "link" and rating.rater_id is None
    assert rating.change_until == D(2026, 10, 16)  # 10 working days after 28 Sep
    assert RatingInvitation.objects.get(pk=invitation.pk).token_used_at is not None
    with pytest.raises(Conflict) as used:
        services.invitation_for_token(token)
    assert used.value.code == "rating_link_used"
    assert Event.objects.filter(name="rating.given", payload__level=5).count() == 1


def test_the_link_expires_with_the_rating_window(decided, freeze):
    case = decided("2026-09-28")
    token = token_of(case)
    freeze("2026-10-30")
    assert services.invitation_for_token(token).pk
    freeze("2026-10-31")
    with pytest.raises(Conflict) as expired:
        services.invitation_for_token(token)
    assert expired.value.code == "rating_link_expired"
    assert "2026-10-30" in str(expired.value.message)


def test_a_wrong_token_is_not_found(decided):
    decided()
    with pytest.raises(NotFound):
        services.invitation_for_token("not-a-token")


def test_the_applicant_rates_its_own_case_once_in_the_portal(decided, user_named):
    case = decided()
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    rating = services.rating_give(
        actor=user_named("applicant"), invitation=invitation, level=4, channel="portal"
    )
    assert rating.rater == user_named("applicant")
    with pytest.raises(Conflict) as twice:
        services.rating_give(
            actor=user_named("applicant"), invitation=invitation, level=3, channel="portal"
        )
    assert twice.value.code == "already_rated"
    assert Rating.objects.get().level == 4


def test_a_rating_for_someone_elses_case_is_refused(decided, user_named, django_user_model):
    case = decided()
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    stranger = django_user_model.objects.create_user("stranger", password="x")
    with pytest.raises(PermissionRefused) as refused:
        services.rating_give(actor=stranger, invitation=invitation, level=5, channel="portal")
    assert refused.value.code == "not_your_case"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("level", [0, 6, -1, "5", True, None])
def test_a_level_outside_one_to_five_is_refused(decided, user_named, level):
    case = decided()
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    with pytest.raises(InvalidInput) as refused:
        services.rating_give(
            actor=user_named("applicant"), invitation=invitation, level=level, channel="portal"
        )
    assert "level" in refused.value.fields
    assert not Rating.objects.exists()


def test_a_rating_after_the_window_is_refused(decided, user_named, freeze):
    case = decided("2026-09-28")
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    freeze("2026-10-31")
    with pytest.raises(Conflict) as late:
        services.rating_give(
            actor=user_named("applicant"), invitation=invitation, level=5, channel="portal"
        )
    assert late.value.code == "rating_window_closed"
    assert not Rating.objects.exists()


def test_a_rating_changes_within_ten_working_days_only(decided, user_named, freeze):
    case = decided("2026-09-28")
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    applicant = user_named("applicant")
    rating = services.rating_give(actor=applicant, invitation=invitation, level=4, channel="portal")
    freeze("2026-10-16")
    rating = services.rating_change(actor=applicant, rating=rating, level=2, comment="等了很久")
    assert rating.level == 2
    # A change to a bad level opens the rectification, due 15 working days after that day.
    assert rating.rectification.due == D(2026, 11, 6)
    freeze("2026-10-19")
    with pytest.raises(Conflict) as late:
        services.rating_change(actor=applicant, rating=rating, level=5)
    assert late.value.code == "change_window_closed"
    assert Rating.objects.get().level == 2


def test_only_the_rater_changes_a_rating(decided, user_named):
    case = decided()
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    rating = services.rating_give(
        actor=user_named("applicant"), invitation=invitation, level=4, channel="portal"
    )
    with pytest.raises(PermissionRefused):
        services.rating_change(actor=user_named("clerk"), rating=rating, level=1)


def test_the_window_and_the_phone_operator_enter_ratings(decided, user_named):
    first, second = decided(), decided()
    pad = services.rating_give(
        actor=user_named("clerk"),
        invitation=RatingInvitation.objects.get(subject_id=first.pk),
        level=5,
        channel="window",
    )
    phone = services.rating_give(
        actor=user_named("clerk"),
        invitation=RatingInvitation.objects.get(subject_id=second.pk),
        level=3,
        channel="phone",
    )
    assert (pad.channel, pad.entered_by, pad.rater) == ("window", user_named("clerk"), None)
    assert phone.channel == "phone"
    with pytest.raises(PermissionRefused):
        services.rating_give(
            actor=user_named("inspector1"),
            invitation=RatingInvitation.objects.get(subject_id=second.pk),
            level=3,
            channel="phone",
        )


def _bad_rating(decided, user_named, day="2026-09-28", consent=False):
    case = decided(day)
    invitation = RatingInvitation.objects.get(subject_id=case.pk)
    return services.rating_give(
        actor=user_named("applicant"),
        invitation=invitation,
        level=1,
        channel="portal",
        comment="窗口态度差",
        callback_consent=consent,
        callback_phone="13800000000" if consent else "",
    )


def test_a_bad_rating_opens_a_rectification_due_in_fifteen_working_days(decided, user_named):
    rating = _bad_rating(decided, user_named, "2026-09-21")
    rectification = rating.rectification
    # 15 working days after Monday 21 Sep across Mid-Autumn and National Day: 22–24, 28–30 Sep,
    # 8, 9, 10 (make-up Saturday), 12–16, 19 Oct.
    assert (rectification.opened_on, rectification.due) == (D(2026, 9, 21), D(2026, 10, 19))
    assert rectification.status == "open"


def test_the_rectification_clock_warns_then_goes_overdue(decided, user_named, freeze):
    rating = _bad_rating(decided, user_named, "2026-09-21")
    rectification = rating.rectification
    assert steps.rectification_reading(rectification, D(2026, 9, 22)).level == "normal"
    assert steps.rectification_reading(rectification, D(2026, 10, 14)).level == "warning"
    assert steps.rectification_reading(rectification, D(2026, 10, 19)).level == "warning"
    assert steps.rectification_reading(rectification, D(2026, 10, 20)).level == "overdue"
    freeze("2026-10-20")
    assert steps.rectifications_alert() == 1  # the department's one leader
    alert = RectificationAlert.objects.get()
    assert (alert.level, alert.user.username) == ("overdue", "leader")
    assert steps.rectifications_alert() == 0  # once a day


def test_the_rectification_runs_verify_call_back_fix_tell(decided, user_named, freeze):
    rating = _bad_rating(decided, user_named, "2026-09-21")
    rectification = rating.rectification
    leader = user_named("leader")
    with pytest.raises(Conflict) as early:
        steps.rectification_record_fix(actor=leader, rectification=rectification, note="x")
    assert early.value.code == "rectification_step"
    with pytest.raises(InvalidInput) as no_reason:
        steps.rectification_verify(
            actor=leader, rectification=rectification, genuine=True, reason=""
        )
    assert "reason" in no_reason.value.fields
    freeze("2026-09-22")
    rectification = steps.rectification_verify(
        actor=leader, rectification=rectification, genuine=True, reason="查看录像属实"
    )
    rectification = steps.rectification_record_callback(
        actor=leader, rectification=rectification, note="已致电致歉"
    )
    with pytest.raises(Conflict):
        steps.rectification_close(actor=leader, rectification=rectification, note="告知")
    rectification = steps.rectification_record_fix(
        actor=leader, rectification=rectification, note="窗口人员培训"
    )
    freeze("2026-10-19")
    rectification = steps.rectification_close(
        actor=leader, rectification=rectification, note="已告知整改结果"
    )
    assert rectification.status == "closed" and rectification.on_time is True
    assert steps.rectification_reading(rectification, D(2026, 12, 1)).state == "stopped"
    assert AuditRecord.objects.filter(action__startswith="rectification.").count() == 4


def test_a_bad_rating_found_not_genuine_closes_without_a_fix(decided, user_named):
    rectification = _bad_rating(decided, user_named).rectification
    leader = user_named("leader")
    rectification = steps.rectification_verify(
        actor=leader, rectification=rectification, genuine=False, reason="系申请人误评"
    )
    rectification = steps.rectification_record_callback(
        actor=leader, rectification=rectification, note="已回访"
    )
    rectification = steps.rectification_close(
        actor=leader, rectification=rectification, note="已告知核实结果"
    )
    assert rectification.status == "closed"


def test_other_departments_cannot_touch_a_rectification(decided, user_named):
    rectification = _bad_rating(decided, user_named).rectification
    with pytest.raises((PermissionRefused, NotFound)):
        steps.rectification_verify(
            actor=user_named("zs_reviewer"), rectification=rectification, genuine=True, reason="x"
        )
    assert Rectification.objects.get().status == "open"


def test_staff_see_the_rater_only_with_consent(decided, user_named):
    hidden = _bad_rating(decided, user_named)
    shown = _bad_rating(decided, user_named, consent=True)
    assert selectors.rater_shown(hidden) is None
    assert selectors.rater_shown(shown) == {"name": casework.CLINIC, "phone": "13800000000"}


def test_a_hotline_rating_is_counted_and_rectified(db, demo, freeze):
    freeze("2026-02-12")
    event = Event(
        name="ticket.rated",
        payload={
            "ticket_id": 77,
            "number": "12345-20260212-0001",
            "level": 2,
            "comment": "答复敷衍",
            "department_id": None,
            "rated_on": "2026-02-12",
        },
    )
    count_hotline_rating(event)
    count_hotline_rating(event)
    rating = Rating.objects.get()
    assert (rating.channel, rating.level) == ("hotline", 2)
    # 15 working days after 12 Feb across the Spring Festival: 13, 14 (make-up), 24–28 Feb (28 a
    # make-up Saturday), 2–6, 9–11 Mar.
    assert rating.rectification.due == D(2026, 3, 11)


def test_figures_by_department_item_window_and_month(decided, user_named, freeze):
    applicant = user_named("applicant")
    for level, day in [(5, "2026-09-28"), (4, "2026-09-29"), (1, "2026-10-09")]:
        case = decided(day)
        services.rating_give(
            actor=applicant,
            invitation=RatingInvitation.objects.get(subject_id=case.pk),
            level=level,
            channel="portal",
        )
    by_department = selectors.rating_figures(group_by="department", today=D(2026, 10, 9))
    assert len(by_department) == 1
    row = by_department[0]
    assert (row.ratings, row.satisfied, row.bad, row.rectifications) == (3, 2, 1, 1)
    assert row.satisfaction == 0.6667
    assert row.on_time_rate is None  # the one rectification is neither closed nor late yet
    late = selectors.rating_figures(group_by="department", today=D(2026, 11, 30))[0]
    assert (late.rectifications_due, late.rectified_on_time, late.on_time_rate) == (1, 0, 0.0)
    months = selectors.rating_figures(group_by="month")
    assert [(m.key, m.ratings) for m in months] == [("2026-09", 2), ("2026-10", 1)]
    assert [r.key for r in selectors.rating_figures(group_by="item")] == [
        casework.PRACTICE_REGISTRATION
    ]
    assert [r.key for r in selectors.rating_figures(group_by="window")] == ["online"]
    assert selectors.satisfaction()["satisfaction"] == 0.6667
    with pytest.raises(InvalidInput):
        selectors.rating_figures(group_by="colour")


def test_the_invitation_notice_goes_to_the_senders(decided, settings, tmp_path):
    settings.NOTIFY_SENDERS = ["file"]
    settings.VAR_DIR = tmp_path
    case = decided()
    deliver_pending()
    sent = (tmp_path / "notifications.log").read_text(encoding="utf-8")
    assert f"请对办件 {case.number} 的办理情况进行评价" in sent and "/rate/" in sent
