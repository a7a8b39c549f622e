"""The leaders' dashboard, its drill-down (page and Excel), its one-page PDF, the public figures."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yiwang import clock
from yiwang.cases.models import Channel, Procedure
from yiwang.indicators import selectors
from yiwang.indicators.definitions import BY_KEY
from yiwang.indicators.slices import PERIODS, parse_slice
from yiwang.licences.documents import font_faces
from yiwang.regions.models import Department
from yiwang.replica import reads_from_replica


def _context(request, slice_) -> dict:
    data = selectors.dashboard(slice_)
    charts = {
        "months": [row["month"] for row in data["by_month"]],
        "on_time": [row["on_time_rate"] for row in data["by_month"]],
        "used": [row["mean_used_working_days"] for row in data["by_month"]],
        "regions": [row["name"] for row in data["by_region"]],
        "region_decided": [row["decided"] for row in data["by_region"]],
        "region_on_time": [row["on_time_rate"] for row in data["by_region"]],
        "labels": {
            "on_time": _("On-time rate"),
            "used": _("Working days used"),
            "decided": _("Cases decided"),
        },
    }
    return {
        **data,
        "charts": charts,
        "query": urlencode(slice_.query()),
        "params": request.GET,
        "periods": PERIODS,
        "channels": Channel.choices,
        "procedures": Procedure.choices,
        "departments": Department.objects.filter(
            region__code__startswith=slice_.region_prefix
        ).select_related("region"),
    }


@login_required
@reads_from_replica
def dashboard(request):
    slice_ = parse_slice(request.user, request.GET)
    return render(request, "indicators/dashboard.html", _context(request, slice_))


@login_required
@reads_from_replica
def report_pdf(request):
    """The dashboard as a one-page printable report (WeasyPrint and the e-licences' font)."""
    # Loaded on first use, as for the e-licences: only PDF rendering needs Pango.
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    slice_ = parse_slice(request.user, request.GET)
    html = render_to_string(
        "indicators/report.html",
        {**selectors.dashboard(slice_), "today": clock.today(), "font_faces": font_faces()},
        request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        font_config=FontConfiguration()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="indicators-{slice_.start}-{slice_.end}.pdf"'
    )
    return response


@login_required
@reads_from_replica
def drill_down(request, indicator: str):
    slice_ = parse_slice(request.user, request.GET)
    cases = selectors.drill_down_counted(slice_, indicator)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/drill_down.html",
        {
            "slice": slice_,
            "indicator": BY_KEY[indicator],
            "page": page,
            "rows": [selectors.drill_down_row(case) for case in page],
            "query": urlencode(slice_.query()),
        },
    )


EXPORT_LIMIT = 100_000


@login_required
@reads_from_replica
def drill_down_export(request, indicator: str):
    """The same list as an Excel workbook (at most `EXPORT_LIMIT` rows)."""
    slice_ = parse_slice(request.user, request.GET)
    cases = selectors.drill_down(slice_, indicator)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(BY_KEY[indicator].name)[:31])
    headers = [
        ("number", _("Case number")),
        ("item_code", _("Item code")),
        ("item_name", _("Item")),
        ("department", _("Department")),
        ("channel", _("Channel")),
        ("procedure", _("Procedure")),
        ("status", _("Status")),
        ("received_on", _("Received on")),
        ("decided_on", _("Decided on")),
        ("closed_on", _("Closed on")),
        ("used_working_days", _("Working days used")),
        ("committed_limit", _("Committed limit")),
        ("on_time", _("On time")),
        ("visits", _("Visits")),
    ]
    sheet.append([str(label) for _key, label in headers])
    for case in cases[:EXPORT_LIMIT]:
        row = selectors.drill_down_row(case)
        sheet.append([row[key] for key, _label in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{indicator}-{slice_.start}-{slice_.end}.xlsx"'
    )
    return response


@reads_from_replica
def public(request):
    """The commission's headline figures for the year (no login, no personal data)."""
    year = clock.today().year
    text = request.GET.get("year", "")
    if text.isdigit() and 2004 <= int(text) <= year:
        year = int(text)
    return render(request, "indicators/public.html", selectors.public_figures(year=year))
