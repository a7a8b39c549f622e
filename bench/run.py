"""`make bench`: every benchmark under bench/ against PostgreSQL, and one table of figures.

Run:  .venv/bin/python bench/run.py            (full: 60 s lifecycle load, 100k → 1M cases)
      .venv/bin/python bench/run.py --quick    (15 s load, 10k → 100k cases, smaller others)
      .venv/bin/python bench/run.py --only lifecycle scale
      .venv/bin/python bench/run.py --table    (the table of the last results, nothing run)

Creates the database `bench_yiwang` on 127.0.0.1:5432 (`BENCH_PG`, `BENCH_DB` override),
migrates it and loads the demo data; runs each benchmark in its own process on it (they find
`BENCH_DB_READY=1`); drops it at the end, whatever happened. The calendar and licence-policy
benchmarks (bench/workdays.py, bench/licence_policies.py) are run as they are (the second
makes and drops its own database). Each of ours writes var/bench/<name>.json; the table is
printed from those, and kept as var/bench/summary.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

HERE = Path(__file__).resolve().parent


def commands(quick: bool) -> dict[str, list[str]]:
    py = common.PY
    return {
        "lifecycle": [
            py,
            str(HERE / "lifecycle.py"),
            "--seconds",
            "15" if quick else "60",
            "--pgbench-seconds",
            "10" if quick else "30",
        ],
        "audit_load": [py, str(HERE / "audit_load.py"), "--seconds", "5" if quick else "15"],
        "scale": [
            py,
            str(HERE / "scale.py"),
            "--steps",
            *(["10000", "100000"] if quick else ["100000", "1000000"]),
            "--samples",
            "50" if quick else "200",
        ],
        "workdays": [
            py,
            str(HERE / "workdays.py"),
            *(["--calls", "50000", "--loop-calls", "5000"] if quick else []),
        ],
        "replica": [py, str(HERE / "replica.py"), "--seconds", "10" if quick else "20"],
        "licence_policies": [
            py,
            str(HERE / "licence_policies.py"),
            "--licences",
            "100000" if quick else "1000000",
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="+", help="run only these benchmarks")
    parser.add_argument("--database", default=common.DEFAULT_DB)
    parser.add_argument(
        "--table", action="store_true", help="print the table of the last results; run nothing"
    )
    args = parser.parse_args()
    todo = commands(args.quick)
    if args.only:
        todo = {name: command for name, command in todo.items() if name in args.only}
    if args.table:
        outputs = {
            name: (common.RESULTS / f"{name}.out").read_text()
            for name in todo
            if (common.RESULTS / f"{name}.out").exists()
        }
        print(summary(todo, outputs, [], 0))
        return
    try:
        common.psql("SELECT 1")
    except (RuntimeError, FileNotFoundError) as error:
        raise SystemExit(f"PostgreSQL does not answer at {common.PG}: {error}") from error
    env = common.bench_env(args.database) | {"BENCH_DB_READY": "1", "BENCH_DB": args.database}
    outputs: dict[str, str] = {}
    failed: list[str] = []
    started = time.time()
    print(f"== bench: preparing database {args.database}", flush=True)
    common.prepare_database(args.database)
    try:
        for name, command in todo.items():
            print(
                f"== bench: {name}: {' '.join(Path(c).name if '/' in c else c for c in command)}",
                flush=True,
            )
            run_env = env if name != "licence_policies" else dict(os.environ)
            done = subprocess.run(
                command,
                env=run_env,
                cwd=common.ROOT,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            outputs[name] = done.stdout
            (common.RESULTS / f"{name}.out").write_text(done.stdout)
            print(done.stdout, flush=True)
            if done.returncode:
                failed.append(name)
    finally:
        common.drop_database(args.database)
    table = summary(todo, outputs, failed, time.time() - started)
    print(table)
    (common.RESULTS / "summary.md").write_text(table)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


def summary(todo, outputs: dict[str, str], failed: list[str], seconds: float) -> str:
    m = common.machine()
    rows: list[tuple[str, str, str, str]] = []

    def add(benchmark, measure, figure, target="", met=None):
        mark = "" if met is None else ("met" if met else "MISSED")
        rows.append((benchmark, measure, figure, f"{target} {mark}".strip()))

    if (
        "lifecycle" in todo
        and (life := common.read_result("lifecycle"))
        and "lifecycle" not in failed
    ):
        load, pg = life["load"], life["pgbench"]
        gun = life["gunicorn"]
        add(
            "lifecycle",
            f"lifecycles/s ({load['users']} users, gunicorn {gun['workers']}×"
            f"{gun['threads']}, {load['seconds']:.0f} s)",
            f"{load['lifecycles_per_second']}",
            "≥ 100",
            load["lifecycles_per_second"] >= 100,
        )
        add("lifecycle", "requests/s", f"{load['requests_per_second']}")
        add("lifecycle", "errors", f"{load['errors']}", "0", load["errors"] == 0)
        add(
            "lifecycle",
            "pgbench, same reads and writes: lifecycles/s",
            f"{pg['lifecycles_per_second']}",
        )
        add(
            "lifecycle",
            "app rate / pgbench rate",
            f"{life['share_of_pgbench']:.1%}",
            "≥ 30%",
            life["share_of_pgbench"] >= 0.30,
        )
        for step, figures in load["per_step"].items():
            queries = life["queries"]["per_step"][step]
            add(
                "lifecycle",
                f"{step}: p50 / p95 / p99 ms (queries)",
                f"{figures['p50_ms']} / {figures['p95_ms']} / {figures['p99_ms']} "
                f"({queries['statements']})",
            )
    if (
        "audit_load" in todo
        and (audit := common.read_result("audit_load"))
        and "audit_load" not in failed
    ):
        many, one = audit["per_object_streams"], audit["one_global_stream"]
        add(
            "audit",
            f"records/s, {many['writers']} writers, per-object streams",
            f"{many['records_per_second']} (p95 {many['p95_ms']} ms)",
        )
        add(
            "audit",
            f"records/s, {one['writers']} writers, one global stream",
            f"{one['records_per_second']} (p95 {one['p95_ms']} ms)",
        )
        add(
            "audit",
            "edited record caught by verification",
            str(audit["verification"]["edit_caught"]),
            "yes",
            audit["verification"]["edit_caught"],
        )
    if "scale" in todo and (scale := common.read_result("scale")) and "scale" not in failed:
        targets = {
            "queue page, clerk": 50,
            "queue page, reviewer": 50,
            "queue API, clerk (50)": 50,
            "queue API, reviewer (200)": 50,
            "case page, reviewer": 30,
            "case API, reviewer": 30,
            "licence verification API": 20,
        }
        for step in scale["steps"]:
            add(
                "scale",
                f"fill to {step['cases']:,} cases (COPY + VACUUM ANALYZE)",
                f"{fill_seconds(step['fill']):.0f} s",
            )
        last = scale["steps"][-1]
        for name, figures in last["endpoints"].items():
            target = targets.get(name)
            growth = scale.get("growth_p95", {}).get(name)
            figure = f"{figures['p50_ms']} / {figures['p95_ms']} ms, {figures['queries']} q"
            if growth is not None:
                figure += f", growth ×{growth}"
            met = None
            if target is not None:
                met = figures["p95_ms"] < target and (growth is None or growth < 1.5)
            add(
                "scale",
                f"{name} at {last['cases']:,}: p50 / p95",
                figure,
                f"p95 < {target} ms, growth < 1.5×" if target else "",
                met,
            )
    if "replica" in todo and (replica := common.read_result("replica")) and "replica" not in failed:
        for label, key in (("primary alone", "primary_alone"), ("with a replica", "with_replica")):
            run = replica[key]
            add(
                "replica",
                f"public verification, {label}: primary / replica CPU s",
                f"{run['primary']['cpu_seconds']} / {run['replica']['cpu_seconds']} "
                f"({run['requests_per_second']} req/s, p95 {run['p95_ms']} ms)",
            )
        add(
            "replica",
            "same answers from both",
            str(replica["same_answers"]),
            "yes",
            replica["same_answers"],
        )
    if "workdays" in todo and "workdays" not in failed:
        found = re.search(
            r"WorkingCalendar\.add \(lookup\)\s+(\d+)\s+([\d,]+)", outputs.get("workdays", "")
        )
        if found:
            add(
                "workdays",
                "WorkingCalendar.add calls/s",
                found.group(2),
                "≥ 500,000",
                int(found.group(2).replace(",", "")) >= 500_000,
            )
    if "licence_policies" in todo and "licence_policies" not in failed:
        for line in outputs.get("licence_policies", "").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[0] not in ("step", "---") and cells[2][:1].isdigit():
                add("licence policies", f"{cells[0]} ({cells[1]})", f"{cells[2]} s")
    for name in failed:
        add(name, "FAILED", "see its output above")
    width = [
        max(len(r[i]) for r in [*rows, ("benchmark", "measure", "figure", "target")])
        for i in range(4)
    ]
    lines = [
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}, PostgreSQL "
        f"{m['postgres']}, Python {m['python']}; {m['date']}; load average now "
        f"{os.getloadavg()[0]:.2f}; run took {seconds / 60:.1f} min",
        "",
        "| "
        + " | ".join(
            h.ljust(w)
            for h, w in zip(("benchmark", "measure", "figure", "target"), width, strict=True)
        )
        + " |",
        "|" + "|".join("-" * (w + 2) for w in width) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, width, strict=True)) + " |")
    return "\n".join(lines) + "\n"


def fill_seconds(fill: dict) -> float:
    return fill.get("load_seconds", 0) + fill.get("vacuum_analyze_seconds", 0)


if __name__ == "__main__":
    main()
