"""Benchmark: the public disclosure search, its open-data export and the rating figures at scale.

Run: .venv/bin/python bench/disclosure.py --records 1000000 --ratings 500000
     [--server postgres://postgres@127.0.0.1:5432/] [--keep]

Creates a throwaway database `yiwang_bench_disclosure`, migrates it, inserts N published
records (licensing decisions, decision dates spread over 2023–2026, one organisation code per
100 records) and M ratings (levels spread 1..5, a rectification for every 1 or 2) each in one
`INSERT … SELECT generate_series`, then times through the selectors the pages a visitor asks
for: the first page of the newest records (with its count), a search by code, a search by a
name fragment, one month exported as JSON and as CSV, and the figures by department and by
month. Every query runs under a 60-second statement timeout, so the run ends by itself; the
database is dropped at the end (unless --keep). Results: docs/performance.md.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

DATABASE = "yiwang_bench_disclosure"

RECORDS = """
INSERT INTO disclosure_publication (
    kind, source_id, number, department_id, region_code, subject_name, subject_code,
    subject_is_person, item_code, item_name, decision, licence_number, legal_basis, summary,
    decided_on, publish_due, needs_review, status, queued_at, published_at, withdrawn_at,
    withdrawal_reason
)
SELECT
    'licensing', i, 'C' || lpad(i::text, 9, '0'), NULL, '210200000000',
    '大连第' || (i / 100) || '号诊所有限公司', '91210200MA' || lpad((i / 100)::text, 7, '0') || 'X',
    false, '010010020000', '医疗机构执业登记',
    CASE WHEN i %% 10 = 0 THEN 'denied' ELSE 'approved' END,
    'L' || lpad(i::text, 9, '0'), '《医疗机构管理条例》', '',
    DATE '2023-01-01' + (i %% 1460), DATE '2023-01-12' + (i %% 1460), false, 'published',
    now(), now(), NULL, ''
FROM generate_series(1, %(count)s) AS i
"""

INVITATIONS = """
INSERT INTO ratings_ratinginvitation (
    subject_kind, subject_id, number, applicant_id, department_id, region_code, item_code,
    item_name, service_channel, opened_on, rate_until, token_hash, token_used_at
)
SELECT 'case', i, 'C' || lpad(i::text, 9, '0'), NULL, NULL, '210200000000',
    CASE WHEN i %% 3 = 0 THEN '010010020000' ELSE '011100000000' END, '事项' || (i %% 3),
    CASE WHEN i %% 2 = 0 THEN 'online' ELSE 'window' END,
    DATE '2025-01-01' + (i %% 700), DATE '2025-02-01' + (i %% 700), NULL, NULL
FROM generate_series(1, %(count)s) AS i
"""

RATINGS = """
INSERT INTO ratings_rating (
    invitation_id, level, comment, channel, rated_at, rated_on, change_until, changed_at,
    callback_consent, callback_phone, rater_id, entered_by_id
)
SELECT id, 1 + (id %% 5), '', 'portal', now(), opened_on, opened_on + 14, NULL, false, '',
    NULL, NULL
FROM ratings_ratinginvitation
"""

RECTIFICATIONS = """
INSERT INTO ratings_rectification (
    rating_id, status, opened_on, due, genuine, verification_reason, verified_on, callback_note,
    called_back_on, fix_note, fixed_on, told_note, closed_on
)
SELECT id, 'closed', rated_on, rated_on + 21, true, '', rated_on, '', rated_on, '', rated_on,
    '', rated_on + (id %% 30)::int
FROM ratings_rating WHERE level <= 2
"""


def with_database(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds * 1000:10.1f} ms", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--ratings", type=int, default=500_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    options = parser.parse_args()

    admin = psycopg.connect(with_database(options.server, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    admin.execute(f'CREATE DATABASE "{DATABASE}"')
    url = with_database(options.server, DATABASE)
    try:
        run(url, options)
    finally:
        if not options.keep:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            print(f"dropped {DATABASE}")


def run(url: str, options) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yiwang.disclosure import opendata, selectors
    from yiwang.ratings.selectors import rating_figures

    call_command("migrate", verbosity=0)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, PostgreSQL", flush=True)
    with connection.cursor() as cursor:
        timed(
            f"insert {options.records:,} records",
            lambda: cursor.execute(RECORDS, {"count": options.records}),
        )
        timed(
            f"insert {options.ratings:,} ratings",
            lambda: (
                cursor.execute(INVITATIONS, {"count": options.ratings}),
                cursor.execute(RATINGS, {}),
                cursor.execute(RECTIFICATIONS, {}),
            ),
        )
        cursor.execute("ANALYZE")
        cursor.execute("SET statement_timeout = '60s'")

    def first_page():
        rows = selectors.public_records()
        return rows.count(), list(rows[:25])

    def by_code():
        return list(selectors.public_records(q="91210200MA0004321X")[:25])

    def by_name():
        return list(selectors.public_records(q="第4321号")[:25])

    month = {"date_from": datetime.date(2026, 3, 1), "date_to": datetime.date(2026, 3, 31)}

    (count, page), _ = timed("first page of newest (with count)", first_page)
    assert count == options.records and len(page) == 25
    found, _ = timed("search by code", by_code)
    assert len(found) == 25, len(found)
    found, _ = timed("search by name fragment", by_name)
    assert len(found) == 25, len(found)
    text, _ = timed(
        "export one month as JSON", lambda: opendata.export_json(selectors.public_records(**month))
    )
    print(f"  ({len(text) // 1024:,} KiB)")
    timed("export one month as CSV", lambda: opendata.export_csv(selectors.public_records(**month)))
    rows, _ = timed("rating figures by department", lambda: rating_figures(group_by="department"))
    assert rows[0].ratings == options.ratings
    timed("rating figures by month", lambda: rating_figures(group_by="month"))
    timed("rating figures by item", lambda: rating_figures(group_by="item"))


if __name__ == "__main__":
    main()
