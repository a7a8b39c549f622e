"""Template context: the staff member and region shown in every page's header."""

from yiwang.permissions import Action, may
from yiwang.regions.selectors import staff_of


def staff_context(request):
    user = getattr(request, "user", None)
    staff = staff_of(user) if user is not None else None
    return {
        "current_staff": staff,
        "may_enter_workbench": bool(user and may(user, Action.WORKBENCH_ENTER)),
    }
