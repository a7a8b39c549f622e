"""Benchmark: the standard lifecycle over HTTP against gunicorn, and PostgreSQL's own limit.

Run alone:  .venv/bin/python bench/lifecycle.py --seconds 60
            (--users 16 --workers 3 --threads 4 --pgbench-seconds 30 --profile)

1. Counts the SQL statements of one lifecycle with Django's query log (in-process test client
   on the same database): per request, reads (SELECT) and writes (INSERT/UPDATE/DELETE).
2. Serves the app with gunicorn on 127.0.0.1 (workers × threads as given) and runs the load
   generator in a separate process (`--generate`, httpx, one thread per virtual user): each
   user files online with one uploaded material (applicant), then accept (clerk), approve and
   issue (approver), and reads the case (applicant), for a bounded time. Issuing enqueues the
   e-licence PDF task; no worker runs, the tasks just queue in the database.
3. Runs pgbench with a custom script holding the same number of reads and writes per
   lifecycle, in the same transactions, with as many clients as virtual users: PostgreSQL's
   own limit for that work on this machine. The app's rate is reported as a share of it.

Results: var/bench/lifecycle.json, and docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

PASSWORD = "demo-pass-2026"
ITEM = "010010020000"
APPLICANT_NAME = "大连海滨口腔诊所"
# The item's example answers (the load generator runs without Django, so read the file).
EXAMPLE_ANSWERS = json.loads(
    (Path(__file__).resolve().parent.parent / "yiwang/catalog/data/forms.json").read_text("utf-8")
)["examples"][ITEM]
MATERIAL = b"%PDF-1.4\n% Yiwang benchmark material\n" + b"0" * 20_000 + b"\n%%EOF\n"
STEPS = ["upload", "submit", "accept", "approve", "issue", "read"]
# A statement starting WITH is one of the app's writes sent together (yiwang/statements.py):
# it counts as one write, as pgbench replays it.
WRITE_WORDS = {"INSERT", "UPDATE", "DELETE", "WITH"}


# 1. The query log of one lifecycle ---------------------------------------------------------


def count_queries() -> dict:
    """Run one lifecycle in-process and count its statements per request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yiwang.parties.models import Applicant

    client = Client(HTTP_HOST="127.0.0.1")
    tokens = {
        user: client.post(
            "/api/v1/auth/token",
            {"username": user, "password": PASSWORD},
            content_type="application/json",
        ).json()["token"]
        for user in ("applicant", "clerk", "approver")
    }
    applicant_id = Applicant.objects.get(name=APPLICANT_NAME).pk
    per_step: dict[str, dict] = {}

    def call(step, method, path, user, **kwargs):
        with CaptureQueriesContext(connection) as log:
            response = getattr(client, method)(
                path, HTTP_AUTHORIZATION=f"Bearer {tokens[user]}", **kwargs
            )
        assert response.status_code < 400, (step, response.status_code, response.content[:300])
        kinds = collections.Counter(q["sql"].split()[0].upper() for q in log.captured_queries)
        per_step[step] = {
            "statements": len(log.captured_queries),
            "reads": kinds["SELECT"],
            "writes": sum(kinds[w] for w in WRITE_WORDS),
            "transactions": kinds["BEGIN"],
            "kinds": dict(kinds),
        }
        return response.json()

    upload = io.BytesIO(MATERIAL)
    upload.name = "m01.pdf"
    file_id = call("upload", "post", "/api/v1/files", "applicant", data={"file": upload})["file_id"]
    case_id = call(
        "submit",
        "post",
        "/api/v1/applications",
        "applicant",
        data=json.dumps(application_body(applicant_id, file_id)),
        content_type="application/json",
    )["id"]
    for step, user in (("accept", "clerk"), ("approve", "approver"), ("issue", "approver")):
        call(
            step,
            "post",
            f"/api/v1/applications/{case_id}/actions/{step}",
            user,
            data="{}",
            content_type="application/json",
        )
    call("read", "get", f"/api/v1/applications/{case_id}", "applicant")
    total = {
        key: sum(step[key] for step in per_step.values())
        for key in ("statements", "reads", "writes")
    }
    return {"per_step": per_step, "total": total, "applicant_id": applicant_id}


def application_body(applicant_id: int, file_id: int) -> dict:
    return {
        "item_code": ITEM,
        "channel": "online",
        "applicant": {"id": applicant_id},
        "form": {
            "contact_name": "王医生",
            "contact_phone": "13800000000",
            **EXAMPLE_ANSWERS,
        },
        "materials": [{"code": "M01", "file_id": file_id}],
    }


# 2. gunicorn and the load generator ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    command = [
        str(Path(common.PY).parent / "gunicorn"),
        "yiwang.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--keep-alive",
        "30",
        "--backlog",
        "512",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=common.ROOT, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def generate(url: str, seconds: float, users: int, applicant_id: int) -> dict:
    """The load generator (its own process): `users` threads, each running lifecycles."""
    import httpx

    with httpx.Client(base_url=url, timeout=30) as client:
        tokens = {}
        for user in ("applicant", "clerk", "approver"):
            answer = client.post(
                "/api/v1/auth/token", json={"username": user, "password": PASSWORD}
            )
            answer.raise_for_status()
            tokens[user] = {"Authorization": f"Bearer {answer.json()['token']}"}
    latencies: dict[str, list[float]] = {step: [] for step in STEPS}
    errors: collections.Counter = collections.Counter()
    error_samples: list[str] = []
    done = [0]
    lock = threading.Lock()
    start_line = threading.Barrier(users + 1)
    stop_at = [0.0]

    def timed(step, send):
        began = time.perf_counter()
        try:
            response = send()
        except Exception as error:  # a transport error is an error of the run: count, go on
            elapsed = time.perf_counter() - began
            with lock:
                errors[step] += 1
                if len(error_samples) < 5:
                    error_samples.append(f"{step}: {error!r}")
            return None
        elapsed = time.perf_counter() - began
        with lock:
            latencies[step].append(elapsed * 1000)
            if response.status_code >= 400:
                errors[step] += 1
                if len(error_samples) < 5:
                    error_samples.append(f"{step}: {response.status_code} {response.text[:200]}")
                return None
        return response

    def one_user():
        with httpx.Client(base_url=url, timeout=30) as client:
            start_line.wait()
            while time.perf_counter() < stop_at[0]:
                files = {"file": ("m01.pdf", MATERIAL, "application/pdf")}
                answer = timed(
                    "upload",
                    lambda files=files: client.post(
                        "/api/v1/files", files=files, headers=tokens["applicant"]
                    ),
                )
                if answer is None:
                    continue
                body = application_body(applicant_id, answer.json()["file_id"])
                answer = timed(
                    "submit",
                    lambda body=body: client.post(
                        "/api/v1/applications", json=body, headers=tokens["applicant"]
                    ),
                )
                if answer is None:
                    continue
                case_id = answer.json()["id"]
                ok = True
                for step, user in (
                    ("accept", "clerk"),
                    ("approve", "approver"),
                    ("issue", "approver"),
                ):
                    path = f"/api/v1/applications/{case_id}/actions/{step}"
                    answer = timed(
                        step,
                        lambda path=path, user=user: client.post(
                            path, json={}, headers=tokens[user]
                        ),
                    )
                    if answer is None:
                        ok = False
                        break
                if not ok:
                    continue
                answer = timed(
                    "read",
                    lambda case_id=case_id: client.get(
                        f"/api/v1/applications/{case_id}", headers=tokens["applicant"]
                    ),
                )
                if answer is not None:
                    with lock:
                        done[0] += 1

    threads = [threading.Thread(target=one_user, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    requests = sum(len(values) for values in latencies.values())
    return {
        "seconds": round(elapsed, 2),
        "users": users,
        "lifecycles": done[0],
        "lifecycles_per_second": round(done[0] / elapsed, 2),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "errors": sum(errors.values()),
        "errors_by_step": dict(errors),
        "error_samples": error_samples,
        "generator_cpu_seconds": round(
            cpu_after.ru_utime - cpu_before.ru_utime + cpu_after.ru_stime - cpu_before.ru_stime, 1
        ),
        "per_step": {
            step: {
                "count": len(values),
                "p50_ms": round(common.percentile(values, 50), 1),
                "p95_ms": round(common.percentile(values, 95), 1),
                "p99_ms": round(common.percentile(values, 99), 1),
            }
            for step, values in latencies.items()
        },
    }


def run_load(args, applicant_id: int, env: dict) -> tuple[dict, dict]:
    port = free_port()
    server = start_gunicorn(port, args.workers, args.threads, env)
    profiler = None
    try:
        url = f"http://127.0.0.1:{port}"
        # Warm up: one short round so each worker has imported, connected and built its calendar.
        subprocess.run(
            [
                common.PY,
                __file__,
                "--generate",
                url,
                "--seconds",
                "3",
                "--users",
                "2",
                "--applicant",
                str(applicant_id),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        if args.profile:
            profiler = start_profiler(server)
        load_cpu = pg_cpu_seconds()
        app_cpu = process_tree_cpu(server.pid)
        done = subprocess.run(
            [
                common.PY,
                __file__,
                "--generate",
                url,
                "--seconds",
                str(args.seconds),
                "--users",
                str(args.users),
                "--applicant",
                str(applicant_id),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout)
        result["app_cpu_seconds"] = round(process_tree_cpu(server.pid) - app_cpu, 1)
        result["postgres_cpu_seconds"] = round(pg_cpu_seconds() - load_cpu, 1)
    finally:
        profile = stop_profiler(profiler) if profiler else {}
        stop(server)
    return result, profile


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds of gunicorn's master and workers, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid or int(entry.name) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pg_cpu_seconds() -> float:
    """CPU seconds of every postgres process (the whole server: other users' work included)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_profiler(server: subprocess.Popen):
    """py-spy on one gunicorn worker, for the whole load; a flat top-of-profile summary."""
    spy = Path(common.PY).parent / "py-spy"
    workers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent(int(p.name)) == server.pid
    ]
    if not spy.exists() or not workers:
        return None
    out = common.RESULTS / "lifecycle-profile.txt"
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(workers[0]),
            "--format",
            "raw",
            "--rate",
            "200",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, out


def _parent(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return -1


def stop_profiler(profiler) -> dict:
    process, out = profiler
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    return summarise_profile(out) if out.exists() else {}


def summarise_profile(path: Path, top: int = 15) -> dict:
    """From py-spy's collapsed stacks: the share of samples under each of our own functions."""
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _sep, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        count = int(count)
        total += count
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (", 1)[0]
            where = frame.split(" (", 1)[1] if " (" in frame else ""
            path = where.split(":")[0].split("/site-packages/")[-1]
            label = f"{name} ({path.split(str(common.ROOT) + '/')[-1]})"
            if label not in seen:
                seen.add(label)
                inclusive[label] += count
    return {
        "samples": total,
        "top_inclusive": [
            {"frame": label, "share": round(count / total, 3)}
            for label, count in inclusive.most_common(top * 4)
            if "yiwang/" in label
            or "psycopg" in label
            or "django/db" in label
            or "django/template" in label
            or "ninja" in label
            or "hashlib" in label
        ][:top],
        "raw": str(path),
    }


# 3. pgbench with the same reads and writes ------------------------------------------------

PGBENCH_SETUP = """
DROP TABLE IF EXISTS pgb_case, pgb_log;
CREATE TABLE pgb_case (id bigserial PRIMARY KEY, number text, status text, form jsonb,
                       version int NOT NULL DEFAULT 1, due_on date, payload text);
CREATE TABLE pgb_log (id bigserial PRIMARY KEY, case_id bigint NOT NULL, action text,
                      data jsonb, payload text);
CREATE INDEX pgb_log_case ON pgb_log (case_id);
INSERT INTO pgb_case (number, status, form, payload)
  SELECT 'N' || g, 'issued', '{"contact_name": "王医生", "contact_phone": "13800000000"}',
         repeat('x', 300) FROM generate_series(1, 100000) g;
INSERT INTO pgb_log (case_id, action, data, payload)
  SELECT (g % 100000) + 1, 'receive', '{"channel": "online"}', repeat('y', 300)
  FROM generate_series(1, 500000) g;
"""


def pgbench_script(per_step: dict) -> str:
    """One pgbench transaction = one lifecycle: per request, its reads and writes, with the
    request's own BEGIN/COMMIT when the app opens one. Reads are primary-key or indexed
    lookups of a random row, as the app's are; writes insert a log row or update a case row,
    as the app's INSERT/UPDATE mix, and a write sent together inserts two rows and updates one
    in one statement."""
    lines = ["\\set id random(1, 100000)"]
    for step, counts in per_step.items():
        kinds = counts["kinds"]
        inserts, updates = kinds.get("INSERT", 0), kinds.get("UPDATE", 0)
        together = kinds.get("WITH", 0)
        reads = counts["reads"]
        lines.append(
            f"-- {step}: {reads} reads, {inserts} inserts, {updates} updates, "
            f"{together} writes sent together"
        )
        in_transaction = counts["transactions"] > 0
        if in_transaction:
            lines.append("BEGIN;")
        for index in range(reads):
            if index % 2:
                lines.append("SELECT id, action, data FROM pgb_log WHERE case_id = :id;")
            else:
                lines.append("SELECT * FROM pgb_case WHERE id = :id;")
        for _ in range(inserts):
            lines.append(
                "INSERT INTO pgb_log (case_id, action, data, payload) VALUES "
                "(:id, 'step', '{\"k\": 1}', repeat('z', 300));"
            )
        for _ in range(updates):
            lines.append(
                "UPDATE pgb_case SET version = version + 1, status = 'accepted' WHERE id = :id;"
            )
        for _ in range(together):
            # As the app's: rows inserted and a head updated in one statement.
            lines.append(
                "WITH w0 AS (INSERT INTO pgb_log (case_id, action, data, payload) VALUES "
                "(:id, 'step', '{\"k\": 1}', repeat('z', 300)), "
                "(:id, 'audit', '{\"k\": 2}', repeat('z', 300))) "
                "UPDATE pgb_case SET version = version + 1 WHERE id = :id;"
            )
        if in_transaction:
            lines.append("END;")
    return "\n".join(lines) + "\n"


def run_pgbench(per_step: dict, clients: int, seconds: int, database: str) -> dict:
    common.psql(PGBENCH_SETUP, database)
    common.psql("VACUUM ANALYZE pgb_case", database)
    common.psql("VACUUM ANALYZE pgb_log", database)
    script = pgbench_script(per_step)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    (common.RESULTS / "lifecycle-pgbench.sql").write_text(script)
    command = [
        str(common.PG_BIN / "pgbench"),
        "-n",
        "-f",
        handle.name,
        "-c",
        str(clients),
        "-j",
        "2",
        "-T",
        str(seconds),
        "-h",
        "127.0.0.1",
        "-p",
        "5432",
        "-U",
        "postgres",
        database,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    os.unlink(handle.name)
    tps = 0.0
    latency = 0.0
    for line in done.stdout.splitlines():
        if line.startswith("tps ="):
            tps = float(line.split()[2])
        if line.startswith("latency average"):
            latency = float(line.split()[3])
    common.psql("DROP TABLE IF EXISTS pgb_case, pgb_log;", database)
    return {
        "command": " ".join([*command[:-1], database]).replace(
            handle.name, "var/bench/lifecycle-pgbench.sql"
        ),
        "seconds": seconds,
        "clients": clients,
        "lifecycles_per_second": round(tps, 1),
        "latency_ms": latency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pgbench-seconds", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="py-spy one worker under load")
    parser.add_argument("--database", default=common.DEFAULT_DB)
    parser.add_argument("--generate", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--applicant", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate, args.seconds, args.users, args.applicant)))
        return
    if args.seconds > 60:
        raise SystemExit("the load is bounded: at most 60 s")
    with common.bench_database(args.database) as database:
        common.django_setup(database)
        queries = count_queries()
        from django.db import connections

        connections.close_all()
        env = common.bench_env(database)
        load, profile = run_load(args, queries["applicant_id"], env)
        pgbench = run_pgbench(queries["per_step"], args.users, args.pgbench_seconds, database)
    share = load["lifecycles_per_second"] / pgbench["lifecycles_per_second"]
    result = {
        "command": " ".join(sys.argv),
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "queries": queries,
        "load": load,
        "pgbench": pgbench,
        "share_of_pgbench": round(share, 3),
        "profile": profile,
        "targets": {
            "lifecycles_per_second>=100": load["lifecycles_per_second"] >= 100,
            "share_of_pgbench>=0.30": share >= 0.30,
            "errors==0": load["errors"] == 0,
        },
    }
    path = common.write_result("lifecycle", result)
    report(result)
    print(f"results: {path}")


def report(result: dict) -> None:
    load, pgbench = result["load"], result["pgbench"]
    print(
        f"lifecycle: {load['lifecycles_per_second']} lifecycles/s, "
        f"{load['requests_per_second']} requests/s, errors {load['errors']}; "
        f"pgbench same work {pgbench['lifecycles_per_second']} /s; "
        f"share {result['share_of_pgbench']:.1%}"
    )
    for step, figures in load["per_step"].items():
        queries = result["queries"]["per_step"][step]
        print(
            f"  {step:8} n={figures['count']:6} p50 {figures['p50_ms']:7.1f} ms  "
            f"p95 {figures['p95_ms']:7.1f} ms  p99 {figures['p99_ms']:7.1f} ms  "
            f"queries {queries['statements']} ({queries['reads']} r / {queries['writes']} w)"
        )


if __name__ == "__main__":
    main()
