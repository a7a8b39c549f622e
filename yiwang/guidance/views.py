"""Guidance pages, all public: the resource-layout map and table, the check a would-be
institution makes before filing, the compliance guide (search, one violation, printable)."""

from __future__ import annotations

from django.shortcuts import render

from yiwang.guidance import compliance, layout, selectors
from yiwang.guidance.models import CLASS_ORDER, ResourceClass, Specialty
from yiwang.parties.models import Applicant
from yiwang.permissions import scope_of
from yiwang.replica import reads_from_replica

TILE = 150


@reads_from_replica
def layout_page(request):
    """A tile map (one tile per region with figures, coloured by the class of the chosen
    specialty) and the full table."""
    rows = layout.layout_table()
    specialties = list(Specialty.objects.all())
    chosen = request.GET.get("specialty") or (specialties[0].code if specialties else "")
    tiles = []
    for row in rows:
        if row.specialty.code == chosen:
            index = len(tiles)
            tiles.append(
                {
                    "row": row,
                    "x": 10 + (index % 4) * (TILE + 10),
                    "y": 10 + (index // 4) * (TILE // 2 + 10),
                    "width": TILE,
                    "height": TILE // 2,
                }
            )
    return render(
        request,
        "guidance/layout.html",
        {
            "rows": rows,
            "tiles": tiles,
            "specialties": specialties,
            "chosen": chosen,
            "legend": [(name, ResourceClass(name).label) for name in CLASS_ORDER],
            "map_height": 20 + ((len(tiles) + 3) // 4) * (TILE // 2 + 10),
        },
    )


@reads_from_replica
def layout_check(request):
    """Before filing: the class of the applicant's region for a specialty."""
    regions = selectors.regions_with_guidance()
    specialties = list(Specialty.objects.all())
    code = request.GET.get("region", "")
    if not code and request.user.is_authenticated:
        own = Applicant.objects.filter(pk__in=sorted(scope_of(request.user).applicant_ids))
        code = next((applicant.region.code for applicant in own.select_related("region")), "")
    region = next((r for r in regions if r.code == code), None)
    specialty = next((s for s in specialties if s.code == request.GET.get("specialty")), None)
    rows = layout.region_layout(region, specialty=specialty) if region else []
    return render(
        request,
        "guidance/check.html",
        {
            "regions": regions,
            "specialties": specialties,
            "region": region,
            "specialty": specialty,
            "rows": rows,
        },
    )


@reads_from_replica
def compliance_index(request):
    query = request.GET.get("q", "").strip()
    item_code = request.GET.get("item", "").strip()
    return render(
        request,
        "guidance/compliance.html",
        {
            "version": compliance.current_version(),
            "query": query,
            "item_code": item_code,
            "violations": compliance.violations_search(query=query, item_code=item_code),
            "laws": compliance.laws_current(),
        },
    )


@reads_from_replica
def violation_detail(request, code: str):
    return render(request, "guidance/violation.html", {"violation": compliance.violation_get(code)})


@reads_from_replica
def compliance_print(request):
    """The whole current guide on one page, laid out for printing."""
    return render(
        request,
        "guidance/print.html",
        {
            "version": compliance.current_version(),
            "laws": compliance.laws_current(),
            "violations": compliance.violations_search(),
        },
    )
