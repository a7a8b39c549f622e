"""Benchmark: hotline ticket intake through the service, then the department queue, the figures
and intake again with N tickets in the table (PostgreSQL).

Run: .venv/bin/python bench/complaints.py --tickets 200000 --seconds 20 [--keep]

Creates its own database `bench_complaints_h14` (migrated, demo loaded), times intake through
`ticket_receive` (+ dispatch) for at most `--seconds`, inserts N tickets in one
`INSERT … SELECT generate_series` (kinds, urgencies, departments, subjects and receipt days
spread over 2026), then times the reviewer's queue (first page and count), the year's figures
for the leader and intake again (its duplicate check reads the subject's last 30 days). Drops
the database at the end (unless --keep). Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import time

import common  # bench/ is on the path when the script runs

DATABASE = "bench_complaints_h14"

INSERT = """
INSERT INTO complaints_ticket (
    number, channel, external_number, kind, urgency, content, subject_entity_id, subject_text,
    reporter_name, reporter_phone, anonymous, lookup_code_hash, region_id, intake_department_id,
    lead_department_id, status, received_at, received_on, clock_start, reply_days, decision_days,
    extension_days, extension_reason, due_on, level, round, reopen_count, decision,
    inspection_outcome, inspection_findings, version, replied_on, first_replied_on,
    first_reply_on_time
)
SELECT
    'B' || lpad(i::text, 12, '0'),
    (ARRAY['12345','12315','phone','web'])[1 + i %% 4],
    '',
    (ARRAY['complaint','report','consultation','suggestion'])[1 + i %% 4],
    CASE WHEN i %% 10 = 0 THEN 'urgent' ELSE 'normal' END,
    '批量工单内容 ' || i,
    (%(subjects)s)[1 + i %% %(subject_count)s],
    '',
    '张三', '13900000000', false, md5(i::text),
    %(region)s, %(intake)s,
    (%(departments)s)[1 + i %% %(department_count)s],
    (ARRAY['dispatched','replied','closed','closed'])[1 + i %% 4],
    TIMESTAMPTZ '2026-01-01 09:00+08' + ((i %% 330) || ' days')::interval,
    DATE '2026-01-01' + (i %% 330),
    DATE '2026-01-01' + (i %% 330),
    5, NULL, 0, '',
    DATE '2026-01-08' + (i %% 330),
    (ARRAY['normal','normal','warning','overdue'])[1 + i %% 4],
    1, 0, '', '', '', 1,
    CASE WHEN i %% 4 = 0 THEN NULL ELSE DATE '2026-01-04' + (i %% 330) END,
    CASE WHEN i %% 4 = 0 THEN NULL ELSE DATE '2026-01-04' + (i %% 330) END,
    CASE WHEN i %% 4 = 0 THEN NULL ELSE i %% 9 <> 0 END
FROM generate_series(1, %(count)s) AS i
"""


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.3f} s", flush=True)
    return result, seconds


def intake_loop(services, operator, department_id, subject_code, seconds: float) -> list[float]:
    """Receive and dispatch tickets one after another for at most `seconds`."""
    latencies = []
    stop = time.perf_counter() + seconds
    index = 0
    while time.perf_counter() < stop:
        index += 1
        start = time.perf_counter()
        received = services.ticket_receive(
            actor=operator,
            channel="12345",
            external_number=f"BENCH-{time.time_ns()}-{index}",
            kind="complaint",
            urgency="normal",
            content=f"基准测试工单 {index}：泳池水质浑浊，有异味。",
            subject_code=subject_code,
            reporter_name="王小明",
            reporter_phone="13940981234",
        )
        services.ticket_dispatch(
            actor=operator, ticket_id=received.ticket.pk, department_id=department_id
        )
        latencies.append(time.perf_counter() - start)
    return latencies


def summary(latencies: list[float]) -> str:
    total = sum(latencies)
    return (
        f"{len(latencies)} tickets, {len(latencies) / total:.1f}/s, "
        f"p50 {common.percentile(latencies, 50) * 1000:.1f} ms, "
        f"p95 {common.percentile(latencies, 95) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    options = parser.parse_args()
    with common.bench_database(DATABASE, keep=options.keep):
        common.django_setup(DATABASE)
        import datetime

        from django.contrib.auth import get_user_model
        from django.db import connection, transaction

        from yiwang.complaints import selectors, services
        from yiwang.parties.models import Applicant
        from yiwang.regions.models import Department

        users = get_user_model().objects
        operator = users.get(username="operator")
        commission = Department.objects.get(name="大连市卫生健康委员会")
        hall = Department.objects.get(name="大连市行政审批局")
        subject = Applicant.objects.get(name="大连星海游泳馆有限公司")
        empty = intake_loop(services, operator, commission.pk, subject.uscc, options.seconds / 2)
        print("intake + dispatch, empty table:".ljust(40), summary(empty), flush=True)

        subjects = list(Applicant.objects.order_by("pk").values_list("pk", flat=True))
        departments = list(
            Department.objects.filter(region__code__startswith="2102")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

        def insert():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    INSERT,
                    {
                        "subjects": subjects,
                        "subject_count": len(subjects),
                        "departments": departments,
                        "department_count": len(departments),
                        "region": hall.region_id,
                        "intake": hall.pk,
                        "count": options.tickets,
                    },
                )
                cursor.execute("ANALYZE complaints_ticket")

        timed(f"insert {options.tickets:,} tickets", insert)
        reviewer = users.get(username="reviewer")
        leader = users.get(username="leader")

        def queue_page():
            queue = selectors.ticket_queue_for(reviewer)
            return queue.count(), [t.number for t in queue[:25]]

        (count, _rows), _s = timed("reviewer queue: count + first page", queue_page)
        print(f"  open tickets in the reviewer's queue: {count:,}")
        timed("reviewer queue again (warm)", queue_page)
        figures, _s = timed(
            "figures for 2026 (leader)",
            lambda: selectors.ticket_figures(
                user=leader, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
            ),
        )
        print(f"  received {figures['received']:,}, on-time rate {figures['on_time_rate']}")
        full = intake_loop(services, operator, commission.pk, subject.uscc, options.seconds / 2)
        print(f"intake + dispatch, {options.tickets:,} rows:".ljust(40), summary(full), flush=True)


if __name__ == "__main__":
    main()
