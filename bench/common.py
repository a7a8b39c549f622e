"""Shared by the PostgreSQL benchmarks: the bench database, the environment, results, figures.

Every benchmark runs in a database of its own (`bench_yiwang` by default) on the PostgreSQL
at 127.0.0.1:5432 (`BENCH_PG` overrides host, port and user). Run alone, a benchmark creates
that database, migrates it, loads the demo data and drops it at the end; run by `run.py`,
it finds `BENCH_DB_READY=1` and uses the database that `run.py` prepared.

This module does not import Django: a benchmark sets the environment first, then sets Django
up with `django_setup()`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
RESULTS = ROOT / "var" / "bench"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
DEFAULT_DB = os.environ.get("BENCH_DB", "bench_yiwang")
FORBIDDEN = {"test", "lead", "test_test", "postgres", "template0", "template1"}


def database_url(name: str = DEFAULT_DB) -> str:
    return f"{PG}/{name}"


def bench_env(name: str = DEFAULT_DB) -> dict[str, str]:
    """The environment the app runs with in a benchmark: its own database and var/ folder."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(name),
        YIWANG_VAR_DIR=str(RESULTS / "site"),
        YIWANG_DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-not-for-production-" + "x" * 20,
        YIWANG_NOTIFY_SENDERS="",
        DJANGO_SETTINGS_MODULE="yiwang.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def apply_env(name: str = DEFAULT_DB) -> None:
    (RESULTS / "site" / "static").mkdir(parents=True, exist_ok=True)
    os.environ.update(bench_env(name))


def django_setup(name: str = DEFAULT_DB) -> None:
    apply_env(name)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def psql(sql: str, database: str = "postgres", *, check: bool = True) -> str:
    url = f"{PG}/{database}"
    done = subprocess.run(
        [str(PG_BIN / "psql"), url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode:
        raise RuntimeError(f"psql failed: {sql}\n{done.stderr}")
    return done.stdout.strip()


def create_database(name: str) -> None:
    if name in FORBIDDEN:
        raise SystemExit(f"refusing to use the database {name!r}: it belongs to someone else")
    drop_database(name)
    psql(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    if name in FORBIDDEN:
        raise SystemExit(f"refusing to drop the database {name!r}")
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(name: str) -> None:
    """Create, migrate and load the demo data (the users, items and departments we drive)."""
    create_database(name)
    env = bench_env(name)
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "load_demo", "--if-new"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )


@contextlib.contextmanager
def bench_database(name: str = DEFAULT_DB, *, keep: bool = False):
    """The database for a benchmark run alone (made and dropped here), or the one of run.py."""
    if os.environ.get("BENCH_DB_READY") == "1":
        yield name
        return
    prepare_database(name)
    try:
        yield name
    finally:
        if not keep:
            drop_database(name)


def machine() -> dict:
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgres": psql("SHOW server_version"),
        "load_average_at_start": os.getloadavg()[0],
        "date": datetime.date.today().isoformat(),
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"benchmark": name, "machine": machine(), **data}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return path


def read_result(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None
