"""Sections this app adds to lower apps' pages (see `yiwang.panels`): the region's resource
class for setting up a medical institution, and the compliance guide for the item."""

from django.template.loader import render_to_string

from yiwang.guidance import compliance, layout
from yiwang.panels import panel

# Items for setting up or registering a medical institution: the applicant sees its region's
# class before filing, the reviewer on the case (seed 004).
SETTING_UP_ITEMS = ("010010010000", "010010020000", "130010040000")


def _code(item) -> str | None:
    return getattr(item, "code", None) or getattr(getattr(item, "item", None), "code", None)


def _render(request, *, region, item_code: str, for_reviewer: bool) -> str | None:
    rows = layout.region_layout(region) if item_code in SETTING_UP_ITEMS and region else []
    violations = list(compliance.violations_search(item_code=item_code)) if item_code else []
    if not rows and not violations:
        return None
    return render_to_string(
        "guidance/_panel.html",
        {
            "rows": rows,
            "region": region,
            "violations": violations,
            "item_code": item_code,
            "for_reviewer": for_reviewer,
        },
        request=request,
    )


@panel("case.apply", order=40)
def layout_before_filing(request, **context) -> str | None:
    """The would-be institution sees its region's class per specialty before it files."""
    applicant = context.get("applicant")
    return _render(
        request,
        region=getattr(applicant, "region", None),
        item_code=_code(context.get("item")) or "",
        for_reviewer=False,
    )


@panel("case.detail", order=40)
def layout_on_case(request, **context) -> str | None:
    """The reviewer sees the class of the applicant's region on the case."""
    case = context.get("case")
    if case is None:
        return None
    return _render(
        request, region=case.applicant.region, item_code=case.item.code, for_reviewer=True
    )
