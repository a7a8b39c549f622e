"""Benchmark: building a signed audit head (Merkle root over every stream's head) at scale.

Run alone (its own database `bench_audit_heads`, created, migrated and dropped here):
    .venv/bin/python bench/audit_heads.py                         (10,000 / 100,000 / 1,000,000)
    .venv/bin/python bench/audit_heads.py --streams 10000 100000  (quick)

`audit_anchor` runs every minute in which anything was recorded: it locks the streams that
moved, reads the anchored head of *every* stream, builds the Merkle root over them in Python,
signs the head with the Ed25519 key and saves it. Its cost grows with the number of streams
(one per case, licence, ticket, … ever audited), not with the records written in the minute.
For each size this fills `AuditStream` in SQL (`generate_series`: every stream anchored once),
moves `--moved` streams as a minute's writes would, and times `audit_anchor()` (`--samples`
times, moving the streams again before each), plus `chain.merkle_root` alone over the same
leaves. The audit records behind the streams are not written: the head build never reads them
(so `verify_audit` is not run here; `bench/audit_load.py` times the verification walk).
Results: var/bench/audit_heads.json, and docs/security.md / docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

DATABASE = "bench_audit_heads"

FILL_SQL = """
INSERT INTO audit_auditstream (name, last_seq, last_hash, anchored_seq, anchored_hash)
SELECT 'case:' || g, 3, md5(g::text) || md5((g + 1)::text), 3, md5(g::text) || md5((g + 1)::text)
FROM generate_series(%s, %s) AS g
"""
MOVE_SQL = """
UPDATE audit_auditstream SET last_seq = last_seq + 1, last_hash = md5(random()::text) ||
    md5(random()::text)
WHERE id IN (SELECT id FROM audit_auditstream ORDER BY random() LIMIT %s)
"""


def prepare(name: str) -> None:
    """An empty migrated database: the head build needs the audit tables only, no demo."""
    common.create_database(name)
    subprocess.run(
        [common.PY, str(common.ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=common.bench_env(name),
        check=True,
        cwd=common.ROOT,
    )


def fill(total: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditstream")
        have = cursor.fetchone()[0]
        if have < total:
            cursor.execute(FILL_SQL, [have + 1, total])
        cursor.execute("VACUUM ANALYZE audit_auditstream")
    return round(time.perf_counter() - started, 1)


def measure(total: int, *, moved: int, samples: int) -> dict:
    from django.db import connection

    from yiwang.audit import chain
    from yiwang.audit.models import AuditStream
    from yiwang.audit.services import audit_anchor

    anchor_ms = []
    for _ in range(samples):
        with connection.cursor() as cursor:
            cursor.execute(MOVE_SQL, [moved])
        started = time.perf_counter()
        anchor = audit_anchor()
        anchor_ms.append((time.perf_counter() - started) * 1000)
        assert anchor is not None and anchor.tree_size == total, anchor
    leaves = list(
        AuditStream.objects.filter(anchored_seq__gt=0).values_list(
            "name", "anchored_seq", "anchored_hash"
        )
    )
    started = time.perf_counter()
    chain.merkle_root(leaves)
    merkle_ms = (time.perf_counter() - started) * 1000
    return {
        "streams": total,
        "moved_per_head": moved,
        "anchor_p50_ms": round(common.percentile(anchor_ms, 50), 1),
        "anchor_p95_ms": round(common.percentile(anchor_ms, 95), 1),
        "anchor_samples": samples,
        "merkle_root_only_ms": round(merkle_ms, 1),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--moved", type=int, default=100, help="streams moved per head")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    prepare(args.database)
    out = {"command": " ".join(sys.argv), "steps": []}
    try:
        common.django_setup(args.database)
        for total in args.streams:
            print(f"audit heads: {total:,} streams …", flush=True)
            filled = fill(total)
            measured = measure(total, moved=args.moved, samples=args.samples)
            step = {"fill_seconds": filled, **measured}
            out["steps"].append(step)
            print(step, flush=True)
            common.write_result("audit_heads", out)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            common.drop_database(args.database)
    print(f"results: {common.RESULTS / 'audit_heads.json'}")


if __name__ == "__main__":
    main()
