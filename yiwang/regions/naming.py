"""How a person who acted is named on pages: department and name for staff, "applicant …" for
portal users, "the system" for rules that act by themselves."""

from __future__ import annotations

from django.utils.translation import gettext as _


def actor_name(user, *, on_behalf_of: str = "") -> str:
    """`on_behalf_of`: the applicant's (masked) name, for a portal user acting for it."""
    if user is None:
        return _("The system")
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.department.name} {staff.display_name}"
    return _("Applicant %(name)s") % {"name": on_behalf_of or user.get_full_name() or user.username}
