import ctypes
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from yiwang.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM when the launcher dies, even by
    SIGKILL, so no server, worker or scheduler outlives it (Linux; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def child_environment(port: int) -> dict[str, str]:
    """The server, worker and scheduler print the address they are served at (QR codes, notices)
    unless YIWANG_PUBLIC_URL names another one (a proxy's public address)."""
    environment = dict(os.environ)
    environment.setdefault("YIWANG_PUBLIC_URL", f"http://127.0.0.1:{port}")
    return environment


class Command(BaseCommand):
    help = "Serve Yiwang on 127.0.0.1 with gunicorn, the task worker and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, port, workers, **options):
        python = sys.executable
        environment = child_environment(port)
        commands = [
            [python, "manage.py", "jobs_worker", "--queue-name", "default"],
            [python, "manage.py", "scheduler"],
            [
                python,
                "-m",
                "gunicorn",
                "yiwang.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
        ]
        processes = []
        for index, command in enumerate(commands):
            processes.append(
                subprocess.Popen(
                    command,
                    preexec_fn=die_with_parent,
                    stdout=subprocess.DEVNULL if index == 1 else None,
                    env=environment,
                )
            )
        self.stdout.write(self.style.SUCCESS(f"\nYiwang is serving at http://127.0.0.1:{port}/"))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, what in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {what}")
        self.stdout.write("Press Ctrl+C to stop.\n")

        stopping = []

        def stop(*_):
            stopping.append(True)

        signal.signal(signal.SIGTERM, stop)
        try:
            # Supervise: when any child ends (or we are told to stop), stop them all.
            while not stopping and all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
