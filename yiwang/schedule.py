"""The periodic jobs: APScheduler cron triggers that enqueue tasks on the task queue.

Add a line here for each job; the `scheduler` command (started by `make run`) reads this list
through `periodic_jobs`, and so does the test that runs every job, so a renamed task fails a test.
"""

import importlib

# (task path, cron fields in Asia/Shanghai)
PERIODIC = [
    ("yiwang.licences.tasks.apply_deemed_renewals_and_expiry", {"hour": 0, "minute": 45}),
    ("yiwang.licences.tasks.send_reminders", {"hour": 7, "minute": 30}),
    ("yiwang.audit.tasks.anchor_audit_streams", {"minute": "*"}),  # signed audit head
    ("yiwang.cases.tasks.apply_acceptance_deadline", {"hour": 0, "minute": 30}),
    ("yiwang.cases.tasks.refresh_deadline_levels", {"hour": 1, "minute": 0}),
    ("yiwang.cases.tasks.end_missed_supplements", {"hour": 1, "minute": 30}),
    ("yiwang.workdays.tasks.warn_if_next_year_provisional", {"hour": 8, "minute": 0}),
    ("yiwang.credit.tasks.daily_regrade", {"hour": 2, "minute": 0}),
    ("yiwang.appointments.tasks.open_slots_ahead", {"hour": 0, "minute": 15}),
    ("yiwang.appointments.tasks.send_booking_reminders", {"hour": 16, "minute": 0}),
    ("yiwang.appointments.tasks.record_no_shows", {"hour": 21, "minute": 0}),
    ("yiwang.supervision.tasks.flag_overdue_publications", {"hour": 2, "minute": 0}),
    ("yiwang.ratings.tasks.alert_rectification_deadlines", {"hour": 8, "minute": 10}),
    ("yiwang.disclosure.tasks.publish_and_alert", {"hour": 8, "minute": 20}),
    ("yiwang.complaints.tasks.refresh_ticket_levels", {"hour": 1, "minute": 15}),
    ("yiwang.indicators.tasks.roll_up", {"hour": 2, "minute": 0}),
    ("yiwang.licences.tasks.requeue_missing_documents", {"hour": 2, "minute": 15}),
    ("yiwang.guidance.tasks.recount_institutions", {"hour": 3, "minute": 0}),
]


def periodic_jobs():
    """(path, task, cron fields) for each line of PERIODIC, the task resolved from its path."""
    jobs = []
    for path, cron in PERIODIC:
        module, name = path.rsplit(".", 1)
        jobs.append((path, getattr(importlib.import_module(module), name), cron))
    return jobs
