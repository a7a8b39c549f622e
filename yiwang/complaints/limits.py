"""The default ticket time limits, in working days (no Django imports: the data migration reads
them too). Administrators change the live values in the admin (`DeadlineRule`)."""

EXTENSION_DAYS = 5  # one extension, with a reason
REOPEN_DAYS = 10  # the reporter may reopen once within this many working days of the reply

# kind, urgency, reply days, days to decide whether a report opens a special inspection
DEFAULT_RULES = [
    ("complaint", "normal", 5, None),
    ("complaint", "urgent", 1, None),
    ("report", "normal", 5, 15),
    ("report", "urgent", 1, 15),
    ("consultation", "normal", 5, None),
    ("consultation", "urgent", 1, None),
    ("suggestion", "normal", 5, None),
    ("suggestion", "urgent", 1, None),
]
