"""Past one machine: public verification served by a streaming replica, the primary's load drops.

    .venv/bin/python bench/replica.py [--seconds 20] [--users 8] [--keep]

Builds its own small cluster pair on this machine, so the system's PostgreSQL and its pg_hba
are left alone: `initdb` a bench primary on a free port (`wal_level=replica`), migrate and load
the demo into it, `pg_basebackup -R -X stream` it into a hot standby on another free port. Then
gunicorn serves the app twice under the same load of public licence verifications (API and the
QR page): once on the primary alone, once with `DATABASE_REPLICA_URL` pointing at the standby.
For each run it reports requests/s, p50/p95, and per cluster the CPU seconds of its processes and
the transactions committed in the bench database, so the drop on the primary is a measured
figure; it checks that both runs answered every licence identically, and reads the standby's
replay lag from `pg_stat_replication`. Bounded: at most 60 s per run; every process it starts is
stopped and the clusters are removed at the end (unless `--keep`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, lifecycle

DATABASE = "bench_replica"


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's tools refuse root: run them as the postgres account when we are root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, root: Path, name: str, port: int):
        self.data = root / name
        self.port = port
        self.socket_dir = root
        self.log = root / f"{name}.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def start(self, *settings: str) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.socket_dir}",
                *(f"-c {setting}" for setting in settings),
            ]
        )
        as_postgres(
            [
                str(common.PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ]
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            as_postgres([str(common.PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])

    def sql(self, statement: str, database: str = DATABASE) -> str:
        done = subprocess.run(
            [str(common.PG_BIN / "psql"), f"{self.url}/{database}", "-Atqc", statement],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def cpu_seconds(self) -> float:
        """User + system CPU of the postmaster and its children, ended children included."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry.name) == postmaster:
                total += sum(int(value) for value in fields[11:15]) / tick
            elif int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def commits(self) -> int:
        return int(
            self.sql(
                f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DATABASE}'",
                database="postgres",
            )
        )


def build_pair(root: Path) -> tuple[Cluster, Cluster]:
    primary = Cluster(root, "primary", lifecycle.free_port())
    as_postgres(
        [
            str(common.PG_BIN / "initdb"),
            "-D",
            str(primary.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    primary.start("wal_level=replica", "max_wal_senders=4", "shared_buffers=128MB")
    replica = Cluster(root, "replica", lifecycle.free_port())
    return primary, replica


def load_demo(primary: Cluster) -> dict[str, str]:
    primary.sql(f'CREATE DATABASE "{DATABASE}"', database="postgres")
    (common.RESULTS / "site" / "static").mkdir(parents=True, exist_ok=True)
    env = common.bench_env(DATABASE)
    env["DATABASE_URL"] = f"{primary.url}/{DATABASE}"
    manage = [common.PY, str(common.ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=common.ROOT)
    subprocess.run(
        [*manage, "load_demo", "--if-new"],
        env=env,
        check=True,
        cwd=common.ROOT,
        stdout=subprocess.DEVNULL,
    )
    return env


def start_standby(primary: Cluster, replica: Cluster) -> None:
    as_postgres(
        [
            str(common.PG_BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(replica.data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]
    )
    replica.start("hot_standby=on", "shared_buffers=128MB")
    if replica.sql("SELECT pg_is_in_recovery()") != "t":
        raise RuntimeError("the standby is not in recovery: it is not a replica")


def verify_load(url: str, numbers: list[str], seconds: float, users: int) -> dict:
    """`users` threads alternate the verification API and the QR page over the licences."""
    import httpx

    latencies: list[float] = []
    answers: dict[str, str] = {}
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def one_user(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            turn = offset
            while time.perf_counter() < stop_at:
                number = numbers[turn % len(numbers)]
                path = f"/api/v1/licences/{number}/verify" if turn % 2 else f"/verify/{number}/"
                began = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors[0] += 1
                    elif turn % 2:
                        answers[number] = response.text
                turn += 1

    threads = [threading.Thread(target=one_user, args=(offset,)) for offset in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(common.percentile(latencies, 50), 1),
        "p95_ms": round(common.percentile(latencies, 95), 1),
        "errors": errors[0],
        "answers": answers,
    }


def measured_run(env, primary, replica, numbers, args) -> dict:
    port = lifecycle.free_port()
    server = lifecycle.start_gunicorn(port, args.workers, args.threads, env)
    try:
        verify_load(f"http://127.0.0.1:{port}", numbers, 2, args.users)  # warm the connections
        before = {
            "primary": (primary.cpu_seconds(), primary.commits()),
            "replica": (replica.cpu_seconds(), replica.commits()),
        }
        figures = verify_load(f"http://127.0.0.1:{port}", numbers, args.seconds, args.users)
        for name, cluster in (("primary", primary), ("replica", replica)):
            cpu, commits = before[name]
            figures[name] = {
                "cpu_seconds": round(cluster.cpu_seconds() - cpu, 2),
                "transactions": cluster.commits() - commits,
            }
        figures["replay_lag"] = primary.sql(
            "SELECT coalesce(max(replay_lag)::text, '0') FROM pg_stat_replication",
            database="postgres",
        )
        return figures
    finally:
        lifecycle.stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="leave the clusters in place")
    args = parser.parse_args()
    if args.seconds > 60:
        raise SystemExit("the load is bounded: at most 60 s per run")
    root = Path(tempfile.mkdtemp(prefix="yiwang-replica-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    primary = replica = None
    try:
        primary, replica = build_pair(root)
        env = load_demo(primary)
        start_standby(primary, replica)
        numbers = primary.sql("SELECT number FROM licences_licence ORDER BY number").split()
        if not numbers:
            raise RuntimeError("the demo has no licence to verify")
        alone = measured_run(env, primary, replica, numbers, args)
        env = {**env, "DATABASE_REPLICA_URL": f"{replica.url}/{DATABASE}"}
        replicated = measured_run(env, primary, replica, numbers, args)
    finally:
        for cluster in (replica, primary):
            if cluster is not None:
                with contextlib.suppress(subprocess.CalledProcessError):
                    cluster.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    same = alone.pop("answers") == replicated.pop("answers")
    result = {
        "command": " ".join(sys.argv),
        "licences": len(numbers),
        "users": args.users,
        "seconds": args.seconds,
        "primary_alone": alone,
        "with_replica": replicated,
        "same_answers": same,
        "load_average_at_end": os.getloadavg()[0],
    }
    path = common.write_result("replica", result)
    report(result)
    print(f"results: {path}")
    if not same or alone["errors"] or replicated["errors"]:
        raise SystemExit("the replica answered differently or a request failed")


def report(result: dict) -> None:
    for label, key in (("primary alone", "primary_alone"), ("with replica", "with_replica")):
        run = result[key]
        print(
            f"{label}: {run['requests_per_second']} verifications/s, p50 {run['p50_ms']} ms, "
            f"p95 {run['p95_ms']} ms, errors {run['errors']}; primary CPU "
            f"{run['primary']['cpu_seconds']} s, {run['primary']['transactions']} transactions; "
            f"replica CPU {run['replica']['cpu_seconds']} s, "
            f"{run['replica']['transactions']} transactions; replay lag {run['replay_lag']}"
        )
    print(f"same answers from both: {result['same_answers']}")


if __name__ == "__main__":
    main()
