"""Benchmark: audit writes under concurrency — many streams against one stream.

Run alone:  .venv/bin/python bench/audit_load.py --seconds 15 --writers 8

The audit chain is one hash chain per object (`case:<id>`, `licence:<id>`, …): a write locks
only its own stream's head row (`AuditStream`, SELECT … FOR UPDATE), so writers on different
cases never wait for each other. A periodic anchor (`audit_anchor`, every 10 minutes) chains
the heads that moved into one global chain, so removing or rewriting a whole stream is also
caught. This benchmark measures, with `--writers` threads (each its own connection), each
writing one audit record per transaction (as a service does, plus a small row of its own):

  * per-object streams: each writer appends to its own streams (the design);
  * one global stream: every writer appends to the same stream (what a single global chain
    would do): the head row's lock serialises all writers.

Then it anchors, checks the chains and anchors (`first_breach`), rewrites one record's
`after` in SQL and checks that verification names that record, and times the anchor and the
verification walk.

Results: var/bench/audit_load.json, and docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common


def run_writers(*, writers: int, seconds: float, one_stream: bool, tag: str) -> dict:
    from django.db import connections, transaction

    from yiwang.audit.services import audit_record

    counts = [0] * writers
    latencies: list[list[float]] = [[] for _ in range(writers)]
    errors: list[str] = []
    barrier = threading.Barrier(writers + 1)
    stop_at = [0.0]

    def writer(index: int) -> None:
        try:
            barrier.wait()
            n = 0
            while time.perf_counter() < stop_at[0]:
                stream = f"bench:{tag}" if one_stream else f"bench:{tag}:{index}:{n % 50}"
                began = time.perf_counter()
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action="bench.write",
                        object_type="bench",
                        object_id=f"{index}-{n}",
                        after={"writer": index, "n": n, "status": "accepted"},
                        stream=stream,
                    )
                latencies[index].append((time.perf_counter() - began) * 1000)
                n += 1
            counts[index] = n
        except Exception as error:  # reported in the result; the run fails on any
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [value for values in latencies for value in values]
    total = sum(counts)
    return {
        "writers": writers,
        "seconds": round(elapsed, 2),
        "records": total,
        "records_per_second": round(total / elapsed, 1),
        "p50_ms": round(common.percentile(flat, 50), 2),
        "p95_ms": round(common.percentile(flat, 95), 2),
        "p99_ms": round(common.percentile(flat, 99), 2),
        "errors": errors[:5],
    }


def check_tamper() -> dict:
    from django.db import connection

    from yiwang.audit.models import AuditRecord
    from yiwang.audit.services import audit_anchor
    from yiwang.audit.verification import first_breach

    began = time.perf_counter()
    anchor = audit_anchor()
    anchor_seconds = time.perf_counter() - began
    records = AuditRecord.objects.count()
    began = time.perf_counter()
    clean = first_breach()
    verify_seconds = time.perf_counter() - began
    written = AuditRecord.objects.filter(stream__startswith="bench:").order_by("pk")
    victim = written[written.count() // 3]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditrecord SET after = jsonb_set(after, '{status}', '\"refused\"') "
            "WHERE id = %s",
            [victim.pk],
        )
    breach = first_breach()
    caught = breach is not None and breach.record_id == victim.pk
    return {
        "records": records,
        "anchor_entries": len(anchor.entries) if anchor else 0,
        "anchor_seconds": round(anchor_seconds, 3),
        "verify_seconds": round(verify_seconds, 2),
        "verify_records_per_second": round(records / verify_seconds) if verify_seconds else 0,
        "clean_before_edit": clean is None,
        "edited_record": f"{victim.stream}#{victim.seq}",
        "breach_found": str(breach) if breach else None,
        "edit_caught": caught,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--database", default=common.DEFAULT_DB)
    args = parser.parse_args()
    if args.seconds > 60:
        raise SystemExit("the load is bounded: at most 60 s")
    with common.bench_database(args.database) as database:
        common.django_setup(database)
        tag = str(int(time.time()))
        many = run_writers(writers=args.writers, seconds=args.seconds, one_stream=False, tag=tag)
        one = run_writers(writers=args.writers, seconds=args.seconds, one_stream=True, tag=tag)
        single = run_writers(writers=1, seconds=args.seconds / 2, one_stream=False, tag=tag + "s")
        tamper = check_tamper()
    result = {
        "command": " ".join(sys.argv),
        "per_object_streams": many,
        "one_global_stream": one,
        "one_writer": single,
        "speedup_many_over_one": round(
            many["records_per_second"] / max(one["records_per_second"], 0.1), 2
        ),
        "verification": tamper,
    }
    path = common.write_result("audit_load", result)
    print(
        f"audit: {args.writers} writers, per-object streams {many['records_per_second']} rec/s "
        f"(p95 {many['p95_ms']} ms), one global stream {one['records_per_second']} rec/s "
        f"(p95 {one['p95_ms']} ms), one writer {single['records_per_second']} rec/s; "
        f"edit caught: {tamper['edit_caught']} ({tamper['breach_found']})"
    )
    print(f"results: {path}")
    if many["errors"] or one["errors"] or not tamper["edit_caught"]:
        raise SystemExit("audit benchmark failed: " + repr(many["errors"] or one["errors"]))


if __name__ == "__main__":
    main()
