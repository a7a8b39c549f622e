"""The periodic jobs: APScheduler cron triggers that enqueue tasks on the task queue.

Add a line here for each job; the `scheduler` command (started by `make run`) reads this list.
"""

# (task path, cron fields in Asia/Shanghai)
PERIODIC = [
    ("yiwang.audit.tasks.anchor_audit_streams", {"minute": "*/10"}),
    ("yiwang.cases.tasks.apply_acceptance_deadline", {"hour": 0, "minute": 30}),
    ("yiwang.cases.tasks.refresh_deadline_levels", {"hour": 1, "minute": 0}),
    ("yiwang.workdays.tasks.warn_if_next_year_provisional", {"hour": 8, "minute": 0}),
]
