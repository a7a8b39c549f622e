"""Pages and API lists answer in a constant number of queries, whatever the page size, the
user's scopes or the case's history (issue 8; the benchmark prints queries per request)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from yiwang.cases import services
from yiwang.catalog.demo import example_answers
from yiwang.workdays import calendar


@pytest.fixture(autouse=True)
def _calendar_checked_once(monkeypatch):
    """The calendar's version is looked up at most once a second: on a loaded machine a slow
    request would count that look-up in one measurement and not the next."""
    monkeypatch.setattr(calendar._cache, "recheck_seconds", 3600.0)


def queries_of(send) -> int:
    with CaptureQueriesContext(connection) as log:
        response = send()
    assert response.status_code == 200, response.content[:300]
    return len(log.captured_queries)


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo-pass-2026")
    return client


def test_queue_api_queries_do_not_grow_with_page_size(
    file_case, freeze, api_client, django_assert_max_num_queries
):
    freeze("2026-09-28")
    for _ in range(6):
        file_case()
    clerk = api_client.login_as("clerk")
    small = queries_of(lambda: clerk.get("/api/v1/applications?limit=1"))
    with django_assert_max_num_queries(6):
        large = clerk.get("/api/v1/applications?limit=200")
    assert len(large.json()["items"]) == 6
    assert queries_of(lambda: clerk.get("/api/v1/applications?limit=200")) == small


def test_queue_rows_read_only_the_columns_they_show(file_case, freeze, api_client, client):
    freeze("2026-09-28")
    file_case()
    clerk = api_client.login_as("clerk")
    with CaptureQueriesContext(connection) as log:
        body = clerk.get("/api/v1/applications?limit=200").json()
    assert body["items"][0]["item_name"] and body["items"][0]["department"]
    page = signed_in("clerk")
    with CaptureQueriesContext(connection) as page_log:
        assert page.get("/workbench/cases/").status_code == 200
    for query in [*log.captured_queries, *page_log.captured_queries]:
        if '"cases_case"."received_at"' in query["sql"]:  # the queue's rows
            # neither the version's form and guide texts nor the case's own answers
            for wide in ("application_form", "process_steps", '"cases_case"."form"'):
                assert wide not in query["sql"], query["sql"][:300]


def test_queue_filters_by_region_ids_the_queue_indexes_hold(file_case, freeze, api_client):
    # The staff member's subtree as region ids, the department without "OR … IS NULL" (a case
    # always has one): PostgreSQL then walks case_open_queue in order and stops at the page,
    # and counts from case_queue alone, instead of joining the regions and sorting every row
    # of the subtree (docs/performance.md, issue 19, "Reads at a million").
    freeze("2026-09-28")
    file_case()
    clerk = api_client.login_as("clerk")
    with CaptureQueriesContext(connection) as log:
        body = clerk.get("/api/v1/applications?limit=200").json()
    assert body["count"] == len(body["items"]) == 1
    reads = [q["sql"] for q in log.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert len(reads) == 2  # the rows and their count
    for sql in reads:
        assert '"cases_case"."region_id" IN (' in sql, sql[:400]
        assert '"regions_region"' not in sql and "IS NULL" not in sql, sql[:400]


def test_queue_page_queries_are_the_same_for_every_role(file_case, freeze, user_named):
    freeze("2026-09-28")
    for _ in range(4):
        case = file_case()
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    clients = {name: signed_in(name) for name in ("clerk", "reviewer", "approver", "zs_reviewer")}
    counts = {
        name: queries_of(lambda client=client: client.get("/workbench/cases/"))
        for name, client in clients.items()
    }
    # zs_reviewer's queue is empty, so its page has no rows to count.
    assert counts["clerk"] == counts["reviewer"] == counts["approver"], counts
    assert max(counts.values()) <= 14, counts


def test_case_page_and_api_queries_do_not_grow_with_the_history(
    file_case, freeze, user_named, api_client, django_assert_max_num_queries
):
    freeze("2026-09-28")
    case = file_case()
    page = signed_in("reviewer")
    reviewer = api_client.login_as("reviewer")
    before_page = queries_of(lambda: page.get(f"/workbench/cases/{case.pk}/"))
    before_api = queries_of(lambda: reviewer.get(f"/api/v1/applications/{case.pk}"))
    services.case_accept(actor=user_named("clerk"), case_id=case.pk)
    services.case_approve(actor=user_named("approver"), case_id=case.pk)
    assert queries_of(lambda: page.get(f"/workbench/cases/{case.pk}/")) == before_page
    assert queries_of(lambda: reviewer.get(f"/api/v1/applications/{case.pk}")) == before_api
    # 14 for the case and its actions, plus a fixed number for the panels other apps add to
    # the page (resource layout and compliance guide, front services, inspections, tickets),
    # plus 2 for the application form's answers (its dictionaries, the address's regions).
    with django_assert_max_num_queries(29):
        page.get(f"/workbench/cases/{case.pk}/")


def test_public_licence_verification_takes_a_few_queries(demo, django_assert_max_num_queries):
    from yiwang.licences.models import Licence

    client = Client()
    for licence in Licence.objects.all()[:3]:
        with django_assert_max_num_queries(3):
            response = client.get(f"/api/v1/licences/{licence.number}/verify")
        assert response.status_code == 200


# The benchmark's lifecycle (bench/lifecycle.py), statements per request: the bearer token,
# its user and scope are one statement; an action answers from the case its service locked,
# with the answer's lists in one statement beside it (compiled once per process); the
# applicant's inbox message is written from the step's event after commit. Filing reads the
# form's dictionaries once for the prefill and the check; issuing reads them once to put the
# answers on the licence (issue 17).
# On PostgreSQL the rows of a step that read nothing (its events with their deliveries, the
# timeline entry or history row, the audit record with its stream's head) go as one statement
# (`yiwang.statements`); SQLite runs them one after another.
LIFECYCLE_BUDGET = {
    "postgresql": {"upload": 7, "submit": 18, "accept": 9, "approve": 9, "issue": 20, "read": 3},
    "sqlite": {"upload": 8, "submit": 22, "accept": 13, "approve": 13, "issue": 32, "read": 3},
}


def test_lifecycle_statements_per_request_stay_within_the_budget(demo, clinic, freeze, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze("2026-09-28")
    clients = {name: api_client.__class__().login_as(name) for name in ("clerk", "approver")}
    applicant = api_client.login_as("applicant")
    counts = {}

    def step(name, send):
        with CaptureQueriesContext(connection) as log:
            response = send()
        assert response.status_code < 300, (name, response.content[:300])
        counts[name] = len(log.captured_queries)
        return response.json()

    upload = SimpleUploadedFile("m01.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    file_id = step("upload", lambda: applicant.post("/api/v1/files", {"file": upload}))["file_id"]
    body = {
        "item_code": "010010020000",
        "channel": "online",
        "applicant": {"id": clinic.pk},
        "form": {
            "contact_name": "王医生",
            "contact_phone": "13800000000",
            **example_answers("010010020000"),
        },
        "materials": [{"code": "M01", "file_id": file_id}],
    }
    case = step(
        "submit",
        lambda: applicant.post("/api/v1/applications", body, content_type="application/json"),
    )
    for action, user in (("accept", "clerk"), ("approve", "approver"), ("issue", "approver")):
        answer = step(
            action,
            lambda action=action, user=user: clients[user].post(
                f"/api/v1/applications/{case['id']}/actions/{action}",
                {},
                content_type="application/json",
            ),
        )
    assert answer["status"] == "issued" and answer["licence_number"]
    assert [entry["action"] for entry in answer["timeline"]] == [
        "receive",
        "accept",
        "approve",
        "issue",
    ]
    read = step("read", lambda: applicant.get(f"/api/v1/applications/{case['id']}"))
    assert read == answer
    over = {
        name: (counts[name], budget)
        for name, budget in LIFECYCLE_BUDGET[connection.vendor].items()
        if counts[name] > budget
    }
    assert not over, (over, counts)
