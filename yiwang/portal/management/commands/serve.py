import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

from yiwang.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


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
        processes = [
            subprocess.Popen(
                [python, "manage.py", "db_worker", "--queue-name", "default"], env=environment
            ),
            subprocess.Popen(
                [python, "manage.py", "scheduler"], stdout=subprocess.DEVNULL, env=environment
            ),
            subprocess.Popen(
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
                env=environment,
            ),
        ]
        self.stdout.write(self.style.SUCCESS(f"\nYiwang is serving at http://127.0.0.1:{port}/"))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, what in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {what}")
        self.stdout.write("Press Ctrl+C to stop.\n")

        def stop(*_):
            for process in processes:
                process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            processes[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                process.wait(timeout=10)
