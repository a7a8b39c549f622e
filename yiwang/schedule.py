"""The periodic jobs: APScheduler cron triggers that enqueue tasks on the task queue.

Add a line here for each job; the `scheduler` command (started by `make run`) reads this list.
"""

# (task path, cron fields in Asia/Shanghai)
PERIODIC = [
    ("yiwang.licences.tasks.apply_deemed_renewals_and_expiry", {"hour": 0, "minute": 45}),
    ("yiwang.licences.tasks.send_reminders", {"hour": 7, "minute": 30}),
    ("yiwang.audit.tasks.anchor_audit_streams", {"minute": "*"}),  # signed audit head
    ("yiwang.cases.tasks.apply_acceptance_deadline", {"hour": 0, "minute": 30}),
    ("yiwang.cases.tasks.refresh_deadline_levels", {"hour": 1, "minute": 0}),
    ("yiwang.cases.tasks.end_missed_supplements", {"hour": 1, "minute": 30}),
    ("yiwang.workdays.tasks.warn_if_next_year_provisional", {"hour": 8, "minute": 0}),
    ("yiwang.licences.tasks.requeue_missing_documents", {"hour": 2, "minute": 15}),
]
