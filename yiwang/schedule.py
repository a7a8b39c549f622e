"""The periodic jobs: APScheduler cron triggers that enqueue tasks on the task queue.

Add a line here for each job; the `scheduler` command (started by `make run`) reads this list.
"""

# (task path, cron fields in Asia/Shanghai)
PERIODIC = [
    ("yiwang.audit.tasks.anchor_audit_streams", {"minute": "*/10"}),
]
