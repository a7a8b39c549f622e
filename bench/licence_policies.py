"""Benchmark: previewing, applying and undoing a dated policy over N licences on PostgreSQL.

Run: .venv/bin/python bench/licence_policies.py --licences 1000000
     [--server postgres://postgres@127.0.0.1:5432/] [--keep]

Creates a throwaway database `yiwang_bench_licences` on the server, migrates it, loads the demo
(regions, applicants, items), inserts N licences in one `INSERT … SELECT generate_series` (two
licence types, expiry dates spread evenly over 2026–2029), then times, through the services:
the preview count, `policy_apply` (extend both types expiring in 2026 to 2027-06-30: about a
quarter of the licences) and `policy_undo`. Checks that apply changed exactly the previewed
count and that undo restored every one. Drops the database at the end (unless --keep).
Results: docs/performance.md.
"""

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

DATABASE = "yiwang_bench_licences"


def server_connection(server: str):
    return psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True)


def with_database(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


INSERT = """
INSERT INTO licences_licence (
    number, licence_type, licence_type_code, holder_id, item_id, department_id, scope,
    valid_from, valid_until, validity_years, status, version, elicence_id, signed_content,
    signature, signing_key_id, document, document_sha256, issued_at, imported
)
SELECT
    'B' || lpad(i::text, 9, '0'),
    CASE WHEN i %% 2 = 0 THEN '公共场所卫生许可证' ELSE '卫生许可证（供水单位）' END,
    CASE WHEN i %% 2 = 0 THEN '11100000000006' ELSE '11100000000007' END,
    %(holder)s, %(item)s, %(department)s, '[]'::jsonb,
    DATE '2022-01-01' + (i %% 1461),
    DATE '2026-01-01' + (i %% 1461),
    4, 'valid', 1, '', '', '', '', '', '', now(), true
FROM generate_series(1, %(count)s) AS i
"""


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<28} {seconds:8.2f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licences", type=int, default=1_000_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    options = parser.parse_args()

    with server_connection(options.server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        run(options)
    finally:
        if not options.keep:
            from django.db import connections

            connections.close_all()
            with server_connection(options.server) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def run(options) -> None:
    setup_django(with_database(options.server, DATABASE))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from yiwang.catalog.models import Item
    from yiwang.licences import policies
    from yiwang.licences.models import Licence, PolicyApplication
    from yiwang.parties.models import Applicant
    from yiwang.regions.models import Department

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        admin = get_user_model().objects.create_superuser(username="admin", password=None)
        for step in ("regions", "parties", "catalog", "licences"):  # what the licences need
            importlib.import_module(f"yiwang.{step}.demo").load(admin)
    values = {
        "holder": Applicant.objects.get(name="大连星海游泳馆有限公司").pk,
        "item": Item.objects.get(code="010040010000").pk,
        "department": Department.objects.get(name="大连市卫生健康委员会").pk,
        "count": options.licences,
    }
    with connection.cursor() as cursor:
        _inserted, insert_seconds = timed(
            f"insert {options.licences:,} licences", lambda: cursor.execute(INSERT, values)
        )
        cursor.execute("ANALYZE licences_licence")
    total = Licence.objects.count()

    policy = policies.policy_create(
        actor=admin,
        name="bench: extend 2026 expiries",
        kind="extend_validity",
        window_from=datetime.date(2026, 1, 1),
        window_to=datetime.date(2026, 12, 31),
        licence_type_codes=["11100000000006", "11100000000007"],
        new_valid_until=datetime.date(2027, 6, 30),
    )
    previewed, preview_seconds = timed(
        "preview count", lambda: policies.policy_preview(policy).count()
    )
    _page, page_seconds = timed(
        "preview first page (50)", lambda: list(policies.policy_preview(policy)[:50])
    )
    before = dict(
        Licence.objects.filter(valid_until__year=2026)
        .values_list("pk", "valid_until")
        .order_by("pk")[:1000]
    )
    already = Licence.objects.filter(valid_until=datetime.date(2027, 6, 30)).count()
    policy, apply_seconds = timed(
        "apply", lambda: policies.policy_apply(actor=admin, policy=policy)
    )
    changed = Licence.objects.filter(valid_until=datetime.date(2027, 6, 30)).count() - already
    assert policy.applied_count == previewed == changed, (policy.applied_count, previewed, changed)
    assert PolicyApplication.objects.filter(policy=policy).count() == previewed
    policy, undo_seconds = timed("undo", lambda: policies.policy_undo(actor=admin, policy=policy))
    assert policy.restored_count == previewed
    assert Licence.objects.filter(valid_until=datetime.date(2027, 6, 30)).count() == already
    after = dict(Licence.objects.filter(pk__in=list(before)).values_list("pk", "valid_until"))
    assert after == before

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print()
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, PostgreSQL {server_version}, {datetime.date.today()}"
    )
    print("| step | licences | seconds |")
    print("| --- | ---: | ---: |")
    print(f"| insert (generate_series) | {total:,} | {insert_seconds:.2f} |")
    print(f"| preview count | {previewed:,} of {total:,} | {preview_seconds:.2f} |")
    print(f"| preview first page (50 rows) | 50 | {page_seconds:.2f} |")
    print(f"| apply | {previewed:,} | {apply_seconds:.2f} |")
    print(f"| undo | {previewed:,} | {undo_seconds:.2f} |")


if __name__ == "__main__":
    main()
