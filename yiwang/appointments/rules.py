"""The hall's own rules for bookings (a local service commitment, not a statute).

They live here once; services, tasks, pages and tests read them from this module.
"""

# Three missed bookings within 90 days block new bookings for 30 days (calendar days).
NO_SHOW_LIMIT = 3
NO_SHOW_WINDOW_DAYS = 90
BLOCK_DAYS = 30
# Slots are opened this many calendar days ahead by the daily job.
OPEN_AHEAD_DAYS = 14


def holder_key(*, applicant_id: int | None, phone: str) -> str:
    """Who a booking counts against: the applicant when known, otherwise the phone number."""
    if applicant_id:
        return f"applicant:{applicant_id}"
    digits = "".join(character for character in phone if character.isdigit())
    return f"phone:{digits}"
