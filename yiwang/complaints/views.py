"""Pages: the operator's intake, the department queue, the ticket with its timeline and actions,
the masked export, and the public pages (web complaint, lookup by number and code)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.complaints import selectors, services
from yiwang.complaints.models import Channel, Kind, Level, Status, Ticket, Urgency
from yiwang.errors import DomainError
from yiwang.permissions import Action, may, require, scope_of
from yiwang.regions.models import Department


def _refused(request, error: DomainError) -> None:
    text = str(error.message)
    if error.fields:
        text += " " + "；".join(f"{name}: {message}" for name, message in error.fields.items())
    messages.error(request, text)


def _departments(user):
    prefix = scope_of(user).region_prefix or ""
    return Department.objects.filter(region__code__startswith=prefix).order_by(
        "region__code", "name"
    )


def _intake_fields(post) -> dict:
    return {
        "channel": post.get("channel", ""),
        "kind": post.get("kind", ""),
        "urgency": post.get("urgency", Urgency.NORMAL),
        "content": post.get("content", ""),
        "subject_code": post.get("subject_code", ""),
        "subject_name": post.get("subject_name", ""),
        "reporter_name": post.get("reporter_name", ""),
        "reporter_phone": post.get("reporter_phone", ""),
        "anonymous": post.get("anonymous") == "on",
        "external_number": post.get("external_number", ""),
    }


@login_required
def intake(request):
    """The operator types while the caller speaks: one form, keyboard only, Ctrl+Enter saves."""
    require(request.user, Action.TICKET_INTAKE)
    form = {"channel": Channel.PHONE, "kind": Kind.COMPLAINT, "urgency": Urgency.NORMAL}
    status = 200
    if request.method == "POST":
        form = _intake_fields(request.POST)
        try:
            received = services.ticket_receive(actor=request.user, **form)
            department = request.POST.get("department", "")
            if department.isdigit():
                services.ticket_dispatch(
                    actor=request.user,
                    ticket_id=received.ticket.pk,
                    department_id=int(department),
                )
            messages.success(
                request,
                _("Ticket %(number)s taken. Read the lookup code to the caller: %(code)s")
                % {"number": received.ticket.number, "code": received.lookup_code or "—"},
            )
            return redirect("complaints:intake")
        except DomainError as error:
            _refused(request, error)
            status = error.status
    return render(
        request,
        "complaints/intake.html",
        {
            "form": form,
            "channels": Channel.choices,
            "kinds": Kind.choices,
            "urgencies": Urgency.choices,
            "departments": _departments(request.user),
        },
        status=status,
    )


@login_required
def queue(request):
    require(request.user, Action.WORKBENCH_ENTER)
    filters = {
        "status": request.GET.get("status", ""),
        "level": request.GET.get("level", ""),
        "mine": request.GET.get("all") != "1",
    }
    tickets = selectors.ticket_queue_for(
        request.user,
        status=filters["status"] or None,
        level=filters["level"] or None,
        mine=filters["mine"],
    )
    page = Paginator(tickets, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/queue.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Status.choices,
            "levels": Level.choices,
            "may_intake": may(request.user, Action.TICKET_INTAKE),
            "alerts": selectors.alerts_for(request.user),
        },
    )


def _actions(user, ticket: Ticket) -> list[str]:
    """The actions this user may take on the ticket in its present state, in page order."""
    actions = []
    if ticket.status in services.DISPATCHABLE and may(user, Action.TICKET_DISPATCH, ticket):
        actions.append("dispatch")
        if ticket.duplicate_of.filter(state="proposed").exists():
            actions.append("merge")
    if ticket.status == Status.DISPATCHED and may(user, Action.TICKET_HANDLE, ticket):
        actions += ["reply", "return"]
    if (
        ticket.status == Status.DISPATCHED
        and ticket.extended_round is None
        and may(user, Action.TICKET_EXTEND, ticket)
    ):
        actions.append("extend")
    if (
        ticket.kind == Kind.REPORT
        and not ticket.decision
        and ticket.status in (Status.DISPATCHED, Status.REPLIED)
        and may(user, Action.TICKET_DECIDE_INSPECTION, ticket)
    ):
        actions.append("decide_inspection")
    if ticket.status == Status.REPLIED and may(user, Action.TICKET_CLOSE, ticket):
        actions.append("close")
    if ticket.status in (Status.REPLIED, Status.CLOSED) and may(user, Action.TICKET_INTAKE, ticket):
        if not ticket.ratings.filter(round=ticket.round).exists():
            actions.append("rate")
        if ticket.reopen_count == 0:
            actions.append("reopen")
    return actions


@login_required
def ticket_page(request, ticket_id: int):
    ticket = selectors.access_ticket(user=request.user, ticket_id=ticket_id)
    return render(
        request,
        "complaints/ticket.html",
        {
            "ticket": ticket,
            "reporter": selectors.reporter_of(user=request.user, ticket=ticket, purpose="page"),
            "actions": _actions(request.user, ticket),
            "departments": _departments(request.user),
            "proposals": ticket.duplicate_of.filter(state="proposed").select_related("original"),
            "assisting": ticket.assignments.filter(lead=False, ended_at__isnull=True),
            "replies": ticket.replies.select_related("department").prefetch_related("attachments"),
        },
    )


def _int(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def ticket_act(request, ticket_id: int, action: str):
    selectors.access_ticket(user=request.user, ticket_id=ticket_id)
    post, user = request.POST, request.user
    try:
        if action == "dispatch":
            services.ticket_dispatch(
                actor=user,
                ticket_id=ticket_id,
                department_id=_int(post.get("department", "")),
                assisting_ids=[_int(v) for v in post.getlist("assisting") if v],
                note=post.get("note", ""),
            )
        elif action == "merge":
            services.ticket_merge(
                actor=user, ticket_id=ticket_id, into_id=_int(post.get("into", ""))
            )
        elif action == "reply":
            services.ticket_reply(actor=user, ticket_id=ticket_id, text=post.get("text", ""))
        elif action == "return":
            services.ticket_return(actor=user, ticket_id=ticket_id, reason=post.get("reason", ""))
        elif action == "extend":
            services.ticket_extend(actor=user, ticket_id=ticket_id, reason=post.get("reason", ""))
        elif action == "decide_inspection":
            services.ticket_decide_inspection(
                actor=user,
                ticket_id=ticket_id,
                open_inspection=post.get("open") == "yes",
                reason=post.get("reason", ""),
            )
        elif action == "close":
            services.ticket_close(
                actor=user,
                ticket_id=ticket_id,
                upheld=post.get("upheld") == "on",
                note=post.get("note", ""),
            )
        elif action == "rate":
            services.ticket_rate(
                actor=user,
                ticket_id=ticket_id,
                level=_int(post.get("level", "")) or 0,
                comment=post.get("comment", ""),
            )
        elif action == "reopen":
            services.ticket_reopen(actor=user, ticket_id=ticket_id, reason=post.get("reason", ""))
        else:
            raise Http404
        messages.success(request, _("Done."))
    except DomainError as error:
        _refused(request, error)
    if not selectors.tickets_visible_to(user).filter(pk=ticket_id).exists():
        return redirect("complaints:queue")  # returned: no longer this department's
    return redirect("complaints:ticket", ticket_id=ticket_id)


@login_required
def export(request):
    """The queue as CSV for reporting; reporters are always masked here (举报人保密)."""
    require(request.user, Action.WORKBENCH_ENTER)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tickets.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Ticket number"),
            _("Channel"),
            _("Kind"),
            _("Urgency"),
            _("Status"),
            _("Subject"),
            _("Reporter"),
            _("Phone"),
            _("Department"),
            _("Received"),
            _("Due"),
        ]
    )
    rows = selectors.tickets_visible_to(request.user).order_by("received_at")
    for ticket in rows.iterator(chunk_size=2000):
        reporter = selectors.masked_reporter(ticket)
        writer.writerow(
            [
                ticket.number,
                ticket.get_channel_display(),
                ticket.get_kind_display(),
                ticket.get_urgency_display(),
                ticket.get_status_display(),
                ticket.subject_entity.name if ticket.subject_entity_id else ticket.subject_text,
                reporter.name,
                reporter.phone,
                ticket.lead_department.name if ticket.lead_department_id else "",
                ticket.received_on.isoformat(),
                ticket.due_on.isoformat() if ticket.due_on else "",
            ]
        )
    return response


# Public ----------------------------------------------------------------------------------


def web_complaint(request):
    """The public files a complaint or report on the portal; anonymous is allowed."""
    form = {"kind": Kind.COMPLAINT}
    status = 200
    if request.method == "POST":
        form = {**_intake_fields(request.POST), "channel": Channel.WEB, "urgency": Urgency.NORMAL}
        try:
            received = services.ticket_receive(actor=request.user, **form)
            return render(
                request,
                "complaints/filed.html",
                {"ticket": received.ticket, "code": received.lookup_code},
                status=201,
            )
        except DomainError as error:
            _refused(request, error)
            status = error.status
    return render(
        request, "complaints/web.html", {"form": form, "kinds": Kind.choices}, status=status
    )


def lookup(request):
    """By the ticket number and the code given to the reporter: status, replies, rate, reopen."""
    found, number, code, status = None, "", "", 200
    if request.method == "POST":
        number = request.POST.get("number", "").strip()
        code = request.POST.get("code", "").strip()
        try:
            found = selectors.ticket_for_lookup(number=number, code=code)
            step = request.POST.get("do", "")
            if step == "rate":
                services.ticket_rate(
                    actor=None,
                    ticket_id=found.pk,
                    level=_int(request.POST.get("level", "")) or 0,
                    comment=request.POST.get("comment", ""),
                    code=code,
                )
                messages.success(request, _("Thank you for your rating."))
            elif step == "reopen":
                services.ticket_reopen(
                    actor=None,
                    ticket_id=found.pk,
                    reason=request.POST.get("reason", ""),
                    code=code,
                )
                messages.success(request, _("Your ticket is reopened."))
        except DomainError as error:
            _refused(request, error)
            status = error.status
    ticket = Ticket.objects.get(pk=found.pk) if found else None
    return render(
        request,
        "complaints/lookup.html",
        {"ticket": ticket, "number": number, "code": code if ticket else ""},
        status=status,
    )
