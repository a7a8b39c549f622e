import datetime

import pytest
from django.utils import translation

from yiwang.audit.models import AuditRecord
from yiwang.complaints import services
from yiwang.complaints.models import DuplicateProposal, Rating, Ticket, TimelineEntry
from yiwang.complaints.tests.factories import (
    MARKET,
    department,
    dispatched,
    entity,
    ticket,
    user,
)
from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.events.models import Event

pytestmark = pytest.mark.django_db


def test_normal_ticket_received_before_national_day_is_due_after_it(demo, freeze):
    # 2026-10-01..07 are holidays; Saturday 10-10 is a make-up working day.
    freeze("2026-09-30T09:00")
    received = ticket(urgency="normal")
    assert received.created
    assert received.ticket.due_on == datetime.date(2026, 10, 13)
    assert received.ticket.status == "received"
    assert received.ticket.number == "T2026093000001"
    assert len(received.lookup_code) == 8


def test_urgent_ticket_is_due_the_next_working_day(demo, freeze):
    freeze("2026-09-30T22:00")
    assert ticket(urgency="urgent").ticket.due_on == datetime.date(2026, 10, 8)


def test_report_has_an_inspection_decision_due_in_15_working_days(demo, freeze):
    freeze("2026-09-30")
    report = ticket(kind="report").ticket
    assert report.due_on == datetime.date(2026, 10, 13)
    # 15 working days after 09-30: 10-08, 09, 10, 12..16, 19..23, 26, 27 → 10-27
    assert report.decision_due == datetime.date(2026, 10, 27)


def test_deadline_rules_are_data(demo, freeze):
    from yiwang.complaints.models import DeadlineRule

    DeadlineRule.objects.filter(kind="suggestion", urgency="normal").update(reply_days=10)
    freeze("2026-09-30")
    assert ticket(kind="suggestion").ticket.due_on == datetime.date(2026, 10, 20)


def test_hotline_ticket_number_makes_intake_idempotent(demo, freeze):
    freeze("2026-06-01")
    first = ticket(external_number="DL12345-0001")
    again = ticket(external_number="DL12345-0001", content="重复推送")
    assert first.created and not again.created
    assert again.ticket.pk == first.ticket.pk
    assert again.lookup_code is None
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"content": "   "}, "content"),
        ({"kind": "praise"}, "kind"),
        ({"urgency": "high"}, "urgency"),
        ({"channel": "fax"}, "channel"),
        ({"reporter_phone": ""}, "reporter.phone"),
        ({"reporter_phone": "12ab"}, "reporter.phone"),
        ({"subject_code": "91210202MA01DL0799"}, "subject_code"),
        ({"channel": "phone", "external_number": "X1"}, "external_number"),
    ],
)
def test_bad_intake_names_the_field_and_changes_nothing(demo, freeze, overrides, field):
    freeze("2026-06-01")
    with pytest.raises(InvalidInput) as refused:
        ticket(**overrides)
    assert field in refused.value.fields
    assert Ticket.objects.count() == 0


def test_anonymous_report_keeps_no_identity(demo, freeze):
    freeze("2026-06-01")
    received = ticket(anonymous=True, reporter_name="王小明", reporter_phone="")
    assert received.ticket.reporter_name == "" and received.ticket.reporter_phone == ""


def test_subject_is_found_by_name_too(demo, freeze):
    freeze("2026-06-01")
    received = ticket(subject_code="", subject_name="大连星海游泳馆有限公司")
    assert received.ticket.subject_entity == entity()


def test_reviewer_cannot_take_tickets(demo, freeze):
    freeze("2026-06-01")
    with pytest.raises(PermissionRefused):
        ticket(actor=user("reviewer"))


def test_public_web_complaint_goes_to_the_service_hall(demo, freeze):
    from django.contrib.auth.models import AnonymousUser

    freeze("2026-06-01")
    received = ticket(actor=AnonymousUser(), channel="web", anonymous=True, reporter_phone="")
    assert received.ticket.intake_department.runs_service_hall


def test_full_path_intake_dispatch_return_dispatch_reply_rate_reopen_reply_close(demo, freeze):
    operator, reviewer, approver = user("operator"), user("reviewer"), user("approver")
    freeze("2026-09-28T09:00")
    received = ticket()
    pk = received.ticket.pk
    # Misrouted first to market supervision, which returns it; the clock keeps running.
    services.ticket_dispatch(actor=operator, ticket_id=pk, department_id=department(MARKET).pk)
    freeze("2026-09-29T09:00")
    from yiwang.regions.services import staff_create

    market_reviewer = staff_create(
        actor=user("admin"),
        username="market_reviewer",
        password="demo-pass-2026",
        display_name="市场",
        department=department(MARKET),
        roles=["reviewer"],
    ).user
    returned = services.ticket_return(
        actor=market_reviewer, ticket_id=pk, reason="属卫生健康部门职责"
    )
    assert returned.status == "returned" and returned.lead_department is None
    # 5 working days after 09-28: 09-29, 09-30, 10-08, 10-09 and the make-up Saturday 10-10.
    assert returned.due_on == datetime.date(2026, 10, 10)  # unchanged: the clock kept running
    services.ticket_dispatch(actor=operator, ticket_id=pk, department_id=department().pk)
    freeze("2026-09-30T15:00")
    replied = services.ticket_reply(actor=reviewer, ticket_id=pk, text="已现场检查，责令整改。")
    assert replied.status == "replied" and replied.replied_on == datetime.date(2026, 9, 30)
    assert replied.first_reply_on_time is True
    rating = services.ticket_rate(
        actor=None, ticket_id=pk, level=2, comment="没解决", code=received.lookup_code
    )
    assert rating.round == 1
    freeze("2026-10-09T10:00")  # 2 working days after the reply (10-08, 10-09)
    reopened = services.ticket_reopen(
        actor=None, ticket_id=pk, reason="水仍然浑浊", code=received.lookup_code
    )
    assert reopened.status == "dispatched" and reopened.round == 2
    assert reopened.lead_department == department()
    # 5 working days from the reopening: 10-10 (make-up), 10-12, 13, 14, 15.
    assert reopened.due_on == datetime.date(2026, 10, 15)
    freeze("2026-10-12T10:00")
    services.ticket_reply(actor=reviewer, ticket_id=pk, text="复查合格。")
    services.ticket_rate(actor=operator, ticket_id=pk, level=5)  # taken by phone
    closed = services.ticket_close(actor=approver, ticket_id=pk, upheld=True)
    assert closed.status == "closed" and closed.closed_on == datetime.date(2026, 10, 12)
    actions = list(TimelineEntry.objects.filter(ticket_id=pk).values_list("action", flat=True))
    assert actions == [
        "receive",
        "dispatch",
        "return",
        "dispatch",
        "reply",
        "rate",
        "reopen",
        "reply",
        "rate",
        "close",
    ]
    assert list(Rating.objects.filter(ticket_id=pk).values_list("round", "level")) == [
        (1, 2),
        (2, 5),
    ]
    assert AuditRecord.objects.filter(stream=f"ticket:{pk}").count() == 10
    mine = Event.objects.filter(subject_type="complaints.ticket", subject_id=str(pk))
    names = list(mine.values_list("name", flat=True))
    assert names == [
        "ticket.replied",
        "ticket.rated",
        "ticket.replied",
        "ticket.rated",
        "ticket.closed",
    ]
    closed_event = mine.get(name="ticket.closed")
    assert closed_event.payload == {
        "ticket_id": pk,
        "number": closed.number,
        "kind": "complaint",
        "department_id": department().pk,
        "subject_entity_id": entity().pk,
        "upheld": True,
        "closed_on": "2026-10-12",
    }
    rated = mine.filter(name="ticket.rated").first()
    assert rated.payload["level"] == 2 and rated.payload["rated_on"] == "2026-09-30"


def test_a_second_reopen_is_refused(demo, freeze):
    freeze("2026-06-01")
    received = dispatched()
    pk = received.ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    services.ticket_reopen(actor=None, ticket_id=pk, reason="不满意", code=received.lookup_code)
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="再答复")
    with pytest.raises(Conflict):
        services.ticket_reopen(
            actor=None, ticket_id=pk, reason="仍不满意", code=received.lookup_code
        )
    assert Ticket.objects.get(pk=pk).status == "replied"


def test_reopen_after_the_window_is_refused(demo, freeze):
    freeze("2026-09-29")
    received = dispatched()
    pk = received.ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    # 10 working days after 09-29: 09-30, 10-08, 09, 10, 12, 13, 14, 15, 16, 19 → 10-19 is the last.
    freeze("2026-10-20")
    with pytest.raises(Conflict) as refused:
        services.ticket_reopen(actor=None, ticket_id=pk, reason="晚了", code=received.lookup_code)
    assert "10" in str(refused.value.message)
    assert Ticket.objects.get(pk=pk).reopen_count == 0


def test_reopen_on_the_last_day_of_the_window_is_allowed(demo, freeze):
    freeze("2026-09-29")
    received = dispatched()
    pk = received.ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    freeze("2026-10-19")
    assert (
        services.ticket_reopen(
            actor=None, ticket_id=pk, reason="不满意", code=received.lookup_code
        ).reopen_count
        == 1
    )


def test_wrong_code_cannot_rate_or_reopen(demo, freeze):
    freeze("2026-06-01")
    received = dispatched()
    services.ticket_reply(actor=user("reviewer"), ticket_id=received.ticket.pk, text="答复")
    with pytest.raises(PermissionRefused):
        services.ticket_rate(actor=None, ticket_id=received.ticket.pk, level=5, code="WRONG123")
    assert Rating.objects.count() == 0


def test_reply_round_is_rated_once_and_level_is_1_to_5(demo, freeze):
    freeze("2026-06-01")
    received = dispatched()
    pk = received.ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    with pytest.raises(InvalidInput) as refused:
        services.ticket_rate(actor=user("operator"), ticket_id=pk, level=6)
    assert "level" in refused.value.fields
    services.ticket_rate(actor=user("operator"), ticket_id=pk, level=4)
    with pytest.raises(Conflict):
        services.ticket_rate(actor=user("operator"), ticket_id=pk, level=1)
    assert list(Rating.objects.values_list("level", flat=True)) == [4]


def test_reply_on_a_closed_ticket_is_refused(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    services.ticket_close(actor=user("operator"), ticket_id=pk)
    with pytest.raises(Conflict) as refused:
        services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="补充")
    assert str(refused.value.message) == "已办结的工单不能答复，请先重办。"
    assert Ticket.objects.get(pk=pk).replies.count() == 1


def test_reply_needs_text(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    with pytest.raises(InvalidInput) as refused:
        services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text=" ")
    assert "text" in refused.value.fields
    assert Ticket.objects.get(pk=pk).status == "dispatched"


def test_one_extension_of_five_working_days_then_a_second_is_refused(demo, freeze):
    freeze("2026-09-30")
    pk = dispatched().ticket.pk
    extended = services.ticket_extend(actor=user("approver"), ticket_id=pk, reason="需现场检测")
    assert extended.due_on == datetime.date(2026, 10, 20)
    with pytest.raises(Conflict) as refused:
        services.ticket_extend(actor=user("approver"), ticket_id=pk, reason="再延")
    with translation.override("en"):
        assert "second extension is not allowed" in str(refused.value.message)
    assert str(refused.value.message) == "该工单已延期一次，不得再次延期。"
    assert Ticket.objects.get(pk=pk).due_on == datetime.date(2026, 10, 20)


def test_extension_needs_a_reason(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    with pytest.raises(InvalidInput) as refused:
        services.ticket_extend(actor=user("approver"), ticket_id=pk, reason="")
    assert "reason" in refused.value.fields


def test_unknown_department_is_refused(demo, freeze):
    freeze("2026-06-01")
    pk = ticket().ticket.pk
    with pytest.raises(InvalidInput) as refused:
        services.ticket_dispatch(actor=user("operator"), ticket_id=pk, department_id=99999)
    assert "department" in refused.value.fields
    assert Ticket.objects.get(pk=pk).status == "received"


def test_a_second_dispatch_of_a_dispatched_ticket_is_409(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    with pytest.raises(Conflict):
        services.ticket_dispatch(
            actor=user("operator"), ticket_id=pk, department_id=department(MARKET).pk
        )
    assert Ticket.objects.get(pk=pk).lead_department == department()


def test_stale_version_dispatch_is_409(demo, freeze):
    freeze("2026-06-01")
    received = ticket().ticket
    with pytest.raises(Conflict):
        services.ticket_dispatch(
            actor=user("operator"),
            ticket_id=received.pk,
            department_id=department().pk,
            expected_version=received.version + 1,
        )


def test_dispatch_with_assisting_departments_one_lead(demo, freeze):
    freeze("2026-06-01")
    pk = ticket().ticket.pk
    services.ticket_dispatch(
        actor=user("operator"),
        ticket_id=pk,
        department_id=department().pk,
        assisting_ids=[department(MARKET).pk],
    )
    rows = list(Ticket.objects.get(pk=pk).assignments.values_list("department__name", "lead"))
    assert rows == [("大连市卫生健康委员会", True), (MARKET, False)]


def test_other_departments_cannot_reply(demo, freeze):
    freeze("2026-06-01")
    pk = dispatched().ticket.pk
    with pytest.raises(Exception) as refused:
        services.ticket_reply(actor=user("zs_reviewer"), ticket_id=pk, text="答复")
    assert refused.value.status in (403, 404)


def test_duplicates_within_30_days_are_proposed_and_merged(demo, freeze):
    freeze("2026-06-01")
    first = ticket(content="泳池水浑浊，有刺鼻气味！").ticket
    freeze("2026-06-20")
    second = ticket(content="泳池水浑浊 有刺鼻气味").ticket
    assert DuplicateProposal.objects.filter(ticket=second, original=first).exists()
    merged = services.ticket_merge(actor=user("operator"), ticket_id=second.pk, into_id=first.pk)
    assert merged.status == "merged" and merged.merged_into == first


def test_no_duplicate_after_30_days_or_other_content(demo, freeze):
    freeze("2026-06-01")
    ticket(content="泳池水浑浊，有刺鼻气味。")
    freeze("2026-07-02")
    late = ticket(content="泳池水浑浊，有刺鼻气味。").ticket
    other = ticket(content="前台收费不开发票，态度恶劣。").ticket
    assert not DuplicateProposal.objects.filter(ticket__in=[late, other]).exists()


def test_merge_into_a_ticket_not_proposed_is_refused(demo, freeze):
    freeze("2026-06-01")
    first = ticket(content="甲").ticket
    second = ticket(content="完全不同的内容").ticket
    with pytest.raises(InvalidInput):
        services.ticket_merge(actor=user("operator"), ticket_id=second.pk, into_id=first.pk)


def test_report_opens_an_inspection_and_publishes_the_request(demo, freeze):
    freeze("2026-06-01")
    received = dispatched(kind="report")
    pk = received.ticket.pk
    decided = services.ticket_decide_inspection(
        actor=user("approver"), ticket_id=pk, open_inspection=True, reason="举报具体，需专项检查"
    )
    assert decided.decision == "inspection" and decided.decided_on == datetime.date(2026, 6, 1)
    event = Event.objects.get(name="ticket.inspection_requested")
    assert event.payload == {
        "ticket_id": pk,
        "number": decided.number,
        "entity_id": entity().pk,
        "entity_code": entity().uscc,
        "department_id": department().pk,
        "reason": "举报具体，需专项检查",
    }
    with pytest.raises(Conflict):
        services.ticket_decide_inspection(
            actor=user("approver"), ticket_id=pk, open_inspection=False, reason="再次"
        )


def test_only_reports_with_a_known_subject_open_inspections(demo, freeze):
    freeze("2026-06-01")
    complaint = dispatched().ticket
    with pytest.raises(Conflict):
        services.ticket_decide_inspection(
            actor=user("approver"), ticket_id=complaint.pk, open_inspection=True, reason="x"
        )
    unknown = dispatched(kind="report", subject_code="", subject_name="某无名小店").ticket
    with pytest.raises(InvalidInput) as refused:
        services.ticket_decide_inspection(
            actor=user("approver"), ticket_id=unknown.pk, open_inspection=True, reason="x"
        )
    assert "subject" in refused.value.fields
    assert not Event.objects.filter(name="ticket.inspection_requested").exists()


def test_concluded_inspection_is_linked_back_to_the_report(demo, freeze):
    from yiwang.complaints.subscribers import link_inspection_outcome
    from yiwang.events.models import Event as EventRow

    freeze("2026-06-01")
    pk = dispatched(kind="report").ticket.pk
    services.ticket_decide_inspection(
        actor=user("approver"), ticket_id=pk, open_inspection=True, reason="专项检查"
    )
    concluded = EventRow(
        name="inspection.concluded",
        payload={
            "inspection_id": 77,
            "entity_id": entity().pk,
            "entity_code": entity().uscc,
            "entity_name": entity().name,
            "department_id": department().pk,
            "region_code": "210200000000",
            "outcome": "rectify",
            "concluded_on": "2026-06-10",
            "findings_summary": "余氯超标，限期整改",
            "source_ticket_id": pk,
        },
    )
    link_inspection_outcome(concluded)
    link_inspection_outcome(concluded)  # at least once: a second delivery changes nothing
    linked = Ticket.objects.get(pk=pk)
    assert (linked.inspection_id, linked.inspection_outcome) == (77, "rectify")
    assert linked.inspection_concluded_on == datetime.date(2026, 6, 10)
    assert linked.timeline.filter(action="inspection_concluded").count() == 1


def test_inspection_without_source_ticket_is_ignored(demo, freeze):
    from yiwang.complaints.subscribers import link_inspection_outcome
    from yiwang.events.models import Event as EventRow

    freeze("2026-06-01")
    pk = dispatched(kind="report").ticket.pk
    link_inspection_outcome(
        EventRow(name="inspection.concluded", payload={"inspection_id": 1, "outcome": "compliant"})
    )
    assert Ticket.objects.get(pk=pk).inspection_id is None


def test_published_events_are_delivered_to_the_linking_subscriber(demo, freeze):
    from django.db import transaction

    from yiwang.events import publish
    from yiwang.events.testing import deliver_pending

    freeze("2026-06-01")
    pk = dispatched(kind="report").ticket.pk
    services.ticket_decide_inspection(
        actor=user("approver"), ticket_id=pk, open_inspection=True, reason="专项检查"
    )
    with transaction.atomic():
        publish(
            "inspection.concluded",
            payload={
                "inspection_id": 5,
                "task_id": 5,
                "kind": "complaint",
                "entity_id": entity().pk,
                "entity_code": entity().uscc,
                "entity_name": entity().name,
                "department_id": department().pk,
                "departments": [department().pk],
                "region_code": "210200000000",
                "outcome": "compliant",
                "concluded_on": "2026-06-05",
                "findings_summary": "",
                "publish_due": "2026-07-03",
                "source_ticket_id": pk,
            },
        )
    deliver_pending()
    assert Ticket.objects.get(pk=pk).inspection_outcome == "compliant"


def test_daily_refresh_flags_warning_then_overdue_and_alerts_the_department(demo, freeze):
    from yiwang.complaints.models import Alert
    from yiwang.complaints.tasks import refresh_ticket_levels

    freeze("2026-09-30")
    pk = dispatched().ticket.pk  # due 2026-10-13
    freeze("2026-10-09")  # 2 of 5 used (10-08, 10-09): 3 left
    assert refresh_ticket_levels.call() == {"warning": 0, "overdue": 0}
    freeze("2026-10-12")  # 4 used, 1 left
    assert refresh_ticket_levels.call() == {"warning": 1, "overdue": 0}
    assert Ticket.objects.get(pk=pk).level == "warning"
    freeze("2026-10-14")
    assert refresh_ticket_levels.call() == {"warning": 0, "overdue": 1}
    alerted = set(Alert.objects.filter(level="overdue").values_list("user__username", flat=True))
    assert alerted == {"reviewer", "approver", "leader"}
    assert refresh_ticket_levels.call() == {"warning": 0, "overdue": 0}  # told once


def test_a_missing_rule_row_is_made_from_the_defaults(demo, freeze):
    from yiwang.complaints.models import DeadlineRule

    DeadlineRule.objects.all().delete()
    freeze("2026-09-30")
    assert ticket(urgency="urgent").ticket.due_on == datetime.date(2026, 10, 8)
    rule = DeadlineRule.objects.get(kind="complaint", urgency="urgent")
    assert (rule.reply_days, rule.extension_days, rule.reopen_days) == (1, 5, 10)


def test_reopen_after_a_return_to_the_same_department_keeps_one_lead(demo, freeze):
    from yiwang.complaints.models import Assignment

    freeze("2026-06-01")
    received = dispatched()
    pk = received.ticket.pk
    services.ticket_return(actor=user("reviewer"), ticket_id=pk, reason="请核实主办")
    services.ticket_dispatch(actor=user("operator"), ticket_id=pk, department_id=department().pk)
    services.ticket_reply(actor=user("reviewer"), ticket_id=pk, text="答复")
    services.ticket_reopen(actor=None, ticket_id=pk, reason="不满意", code=received.lookup_code)
    active = Assignment.objects.filter(ticket_id=pk, lead=True, ended_at__isnull=True)
    assert list(active.values_list("department__name", flat=True)) == ["大连市卫生健康委员会"]
