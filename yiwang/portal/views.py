from django.shortcuts import redirect, render

from yiwang.parties.models import Applicant
from yiwang.permissions import Action, may


def after_login(request):
    """Where signing in leads: staff to their workbench, everyone else to the portal."""
    if request.user.is_authenticated and may(request.user, Action.WORKBENCH_ENTER):
        return redirect("workbench")
    return redirect("home")


def home(request):
    represented = []
    if request.user.is_authenticated:
        represented = Applicant.objects.filter(representations__user=request.user).select_related(
            "region"
        )
    return render(request, "portal/home.html", {"represented": represented})
