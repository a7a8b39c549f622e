from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiwang.errors import DomainError
from yiwang.panels import tiles_for
from yiwang.parties.selectors import access_applicant, applicants_visible_to, shows_identity
from yiwang.permissions import Action, require

# The names of the figures tiles show.
COUNT_LABELS = {
    "queue": _("in my queue"),
    "overdue": _("overdue"),
    "to_decide": _("awaiting my decision"),
    "pending": _("pending"),
}


@login_required
def home(request):
    """Each role's own home: only the tiles the user may open, each with its figures."""
    require(request.user, Action.WORKBENCH_ENTER)
    tiles = [
        {
            "tile": entry,
            "url": reverse(entry.url_name),
            "counts": entry.counts(request.user) if entry.counts else {},
        }
        for entry in tiles_for(request.user)
    ]
    for shown in tiles:
        urgent = shown["tile"].urgent
        shown["attention"] = bool(urgent and shown["counts"].get(urgent))
    return render(request, "workbench/home.html", {"tiles": tiles, "labels": COUNT_LABELS})


@login_required
def applicant_list(request):
    require(request.user, Action.WORKBENCH_ENTER)
    query = request.GET.get("q", "").strip()
    page = Paginator(applicants_visible_to(request.user, query=query), 25).get_page(
        request.GET.get("page")
    )
    rows = [(applicant, shows_identity(request.user, applicant)) for applicant in page]
    return render(
        request, "workbench/applicants.html", {"page": page, "rows": rows, "query": query}
    )


@login_required
def applicant_detail(request, applicant_id: int):
    applicant = access_applicant(user=request.user, applicant_id=applicant_id)
    return render(
        request,
        "workbench/applicant.html",
        {"applicant": applicant, "full_identity": shows_identity(request.user, applicant)},
    )


def domain_error_page(request, error: DomainError):
    return render(request, "error.html", {"error": error}, status=error.status)
