"""Benchmark: bookings under contention, the resource-layout table over a large licence
register, and the compliance search over a large guide, on PostgreSQL.

Run: .venv/bin/python bench/enterprise_services.py [--threads 8] [--bookings 2000]
     [--licences 200000] [--violations 20000] [--keep]

Creates its own database `bench_h20_services` (never `bench_yiwang`), migrates it, loads the
demo data, and then:
1. books `--bookings` places through `booking_create` from `--threads` threads, half of them
   aimed at one hot slot per day (capacity 4) and the rest spread over the other slots of the
   next working days; reports bookings per second, p50/p95 latency, refusals, and checks that
   no slot holds more active bookings than its capacity and that `booked` equals the count;
2. inserts `--licences` practice licences (one INSERT … SELECT generate_series) spread over
   the demo's institutions, and times `layout_table()` and one `region_layout()`;
3. inserts `--violations` violations into a new guide edition and times five searches.
Every part is bounded by its counts; the database is dropped at the end (unless --keep).
Results: var/bench/enterprise_services.json and docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DATABASE = "bench_h20_services"

LICENCES = """
INSERT INTO licences_licence (
    number, licence_type, licence_type_code, holder_id, item_id, department_id, scope,
    valid_from, valid_until, validity_years, status, version, elicence_id, signed_content,
    signature, signing_key_id, document, document_sha256, issued_at, imported
)
SELECT
    'BL' || lpad(i::text, 9, '0'), '医疗机构执业许可证', 'PDY',
    (%(holders)s)[1 + i %% cardinality(%(holders)s)], %(item)s, %(department)s,
    CASE i %% 5 WHEN 0 THEN '["口腔科"]' WHEN 1 THEN '["内科", "外科"]' WHEN 2 THEN '["妇产科"]'
         WHEN 3 THEN '["眼科"]' ELSE '["中医科", "内科"]' END::jsonb,
    DATE '2024-01-01', DATE '2029-01-01', 5, 'valid', 1, '', '', '', '', '', '', now(), true
FROM generate_series(1, %(count)s) AS i
"""


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.3f} s", flush=True)
    return result, seconds


def bench_bookings(threads: int, total: int) -> dict:
    from django.db import connection

    from yiwang import clock
    from yiwang.appointments import services
    from yiwang.appointments.models import Booking, Hall, Slot
    from yiwang.errors import DomainError
    from yiwang.regions.models import Staff

    clerk = Staff.objects.get(user__username="clerk").user
    hall = Hall.objects.get(code="DL")
    tomorrow = clock.today() + datetime.timedelta(days=1)
    slots = list(
        Slot.objects.filter(hall=hall, date__gte=tomorrow, group__name="医疗机构设置与执业")
        .order_by("date", "starts_at")
        .values_list("pk", "date")
    )
    hot = {}
    for pk, day in slots:
        hot.setdefault(day, pk)
    spread = [pk for pk, _day in slots if pk not in hot.values()]
    hot_ids = list(hot.values())
    latencies: list[float] = []
    outcomes = {"booked": 0}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            slot_id = hot_ids[number % len(hot_ids)] if number % 2 else spread[number % len(spread)]
            start = time.perf_counter()
            try:
                services.booking_create(
                    actor=clerk,
                    slot_id=slot_id,
                    item_code="010010010000",
                    channel="phone",
                    visitor_name=f"来访者{number}",
                    phone=f"139{number:08d}",
                )
                result = "booked"
            except DomainError as error:
                result = error.code
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                outcomes[result] = outcomes.get(result, 0) + 1
        connection.close()

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - start
    overfilled = common.psql(
        "SELECT count(*) FROM appointments_slot s WHERE s.booked > s.capacity OR s.booked <> "
        "(SELECT count(*) FROM appointments_booking b WHERE b.slot_id = s.id "
        "AND b.status IN ('booked', 'checked_in'))",
        DATABASE,
    )
    result = {
        "threads": threads,
        "attempts": total,
        "slots": len(slots),
        "outcomes": outcomes,
        "wall_s": round(wall, 2),
        "attempts_per_s": round(total / wall, 1),
        "p50_ms": round(common.percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(common.percentile(latencies, 95) * 1000, 1),
        "slots_inconsistent": int(overfilled),
        "bookings_stored": Booking.objects.count(),
    }
    print(result, flush=True)
    assert result["slots_inconsistent"] == 0, "a slot holds more than its capacity"
    return result


def bench_layout(count: int) -> dict:
    from django.db import connection

    from yiwang.catalog.models import Item
    from yiwang.guidance import layout
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department, Region

    holders = list(
        Applicant.objects.filter(kind="medical_institution").values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        _, insert_s = timed(
            f"insert {count} practice licences",
            lambda: cursor.execute(
                LICENCES,
                {
                    "holders": holders,
                    "item": Item.objects.get(code="010010020000").pk,
                    "department": Department.objects.get(name="大连市卫生健康委员会").pk,
                    "count": count,
                },
            ),
        )
        cursor.execute("ANALYZE licences_licence")
    rows, table_s = timed("layout_table() (all regions, specialties)", layout.layout_table)
    region = Region.objects.get(code="210202003002")
    _, region_s = timed("region_layout(community)", lambda: layout.region_layout(region))
    return {
        "licences": count,
        "insert_s": round(insert_s, 2),
        "rows": len(rows),
        "layout_table_s": round(table_s, 3),
        "region_layout_s": round(region_s, 3),
    }


def bench_search(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from yiwang import clock
    from yiwang.guidance import compliance
    from yiwang.guidance.models import GuideVersion, Violation

    version = GuideVersion.objects.create(
        number=99,
        title="基准测试版",
        imported_at=clock.now(),
        imported_by=get_user_model().objects.get(username="admin"),
    )
    topics = ["医保基金", "医疗广告", "执业许可", "医疗废物", "放射诊疗", "人员资质", "病历书写"]
    Violation.objects.bulk_create(
        (
            Violation(
                version=version,
                code=f"B{i:06d}",
                title=f"{topics[i % 7]}违法情形第{i}号",
                category=topics[i % 7],
                legal_responsibility="责令改正，给予警告，并处罚款。",
                advice="建立制度，定期自查，依法执业。",
                search_text=f"{topics[i % 7]}违法情形第{i}号 {topics[(i + 3) % 7]} 责令改正 罚款",
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE guidance_violation")
    timings = {}
    for query in ["医保", "医疗广告 罚款", "第12345号", "放射 病历", "不存在"]:
        found, seconds = timed(
            f"search {query!r}", lambda q=query: list(compliance.violations_search(query=q)[:50])
        )
        timings[query] = {"s": round(seconds, 4), "first_page": len(found)}
    return {"violations": count, "searches": timings}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--licences", type=int, default=200_000)
    parser.add_argument("--violations", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    with common.bench_database(DATABASE, keep=options.keep):
        common.django_setup(DATABASE)
        result = {
            "bookings": bench_bookings(options.threads, options.bookings),
            "layout": bench_layout(options.licences),
            "search": bench_search(options.violations),
        }
        print(common.write_result("enterprise_services", result), flush=True)


if __name__ == "__main__":
    main()
