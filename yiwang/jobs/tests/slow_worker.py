"""A task worker whose PDF rendering hangs: the crash test kills it with SIGKILL mid-render."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from yiwang.licences import tasks  # noqa: E402


def hanging_render(licence):
    print("rendering", flush=True)
    time.sleep(600)


tasks.render_pdf = hanging_render
call_command("jobs_worker", "--no-startup-delay", "--interval", "0.2", "--worker-id", sys.argv[1])
