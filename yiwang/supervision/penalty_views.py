"""Pages of the penalty record (行政处罚): the four-list entries proposed to the inspector as
they record a violation, and the leader's decision page (phone-friendly, confirmed first)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yiwang import clock
from yiwang.errors import DomainError
from yiwang.permissions import Action, require
from yiwang.supervision import leniency, outcomes, selectors
from yiwang.supervision.views import _refused


@login_required
def proposals_partial(request):
    """The entries of the four lists matching the violation type chosen (htmx partial)."""
    require(request.user, Action.WORKBENCH_ENTER)
    kind = request.GET.get("violation_kind", "")
    return render(
        request,
        "supervision/_proposals.html",
        {"proposals": leniency.proposals_for(violation_kind=kind, on=clock.today())},
    )


@login_required
def penalty_list(request):
    require(request.user, Action.WORKBENCH_ENTER)
    status = request.GET.get("status", "open")
    return render(
        request,
        "supervision/penalties.html",
        {"penalties": selectors.penalties_for(request.user, status=status)[:200], "status": status},
    )


@login_required
def penalty_page(request, penalty_id: int):
    penalty = selectors.access_penalty(user=request.user, penalty_id=penalty_id)
    if request.method == "POST":
        try:
            outcomes.penalty_decide(
                actor=request.user,
                penalty_id=penalty.pk,
                legal_basis=request.POST.get("legal_basis", ""),
                amount=request.POST.get("amount", ""),
                inclusive_measure=request.POST.get("inclusive_measure") or None,
            )
            messages.success(request, _("The penalty is decided."))
            return redirect("supervision:penalty", penalty.pk)
        except DomainError as error:
            _refused(request, error)
    applied = penalty.inclusive_measure_id
    return render(
        request,
        "supervision/penalty.html",
        {"penalty": penalty, "task": penalty.inspection.task, "applied": applied},
    )
