"""How a person who acted is named on pages: department and name for staff, "applicant …" for
portal users, "the system" for rules that act by themselves."""

from __future__ import annotations

from django.utils.translation import gettext as _


def actor_name(user) -> str:
    if user is None:
        return _("The system")
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.department.name} {staff.display_name}"
    return _("Applicant %(name)s") % {"name": user.get_full_name() or user.username}
