"""Resource-layout guidance (医疗资源布局指引, seed 004): a region is classed per specialty as
abundant, relatively insufficient or weak from three figures — beds and licensed doctors per
1,000 residents (imported) and institutions of the specialty per 100,000 residents (counted in
the licence register) — each compared with its target by bands that are data. The overall
class is the weakest of the three: guidance points to where resources are lacking.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from yiwang import clock
from yiwang.audit.services import audit_record
from yiwang.errors import InvalidInput, invalid_field
from yiwang.guidance.models import (
    CLASS_ORDER,
    ClassThreshold,
    CountedInstitution,
    Measure,
    ResourceClass,
    ResourceFigures,
    Specialty,
    SpecialtyTarget,
)
from yiwang.licences.models import IN_FORCE, Licence
from yiwang.parties.models import Applicant
from yiwang.permissions import Action, require
from yiwang.regions.models import PREFIX_LENGTH, Region

# The licences that show a medical institution operating: the practice licence (医疗机构执业
# 许可证) and the clinic filing (诊所备案凭证).
OPERATING_ITEMS = ("010010020000", "130010040000")
HUNDRED = Decimal(100)


# Thresholds -------------------------------------------------------------------------------


def _percent(value: Any, field_name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as error:
        raise invalid_field(field_name, _("Give a number.")) from error
    if not number.is_finite() or number < 0:
        raise invalid_field(field_name, _("Give a number of zero or more."))
    return number


def thresholds_set(*, actor: Any, measure: str, bands: list[dict]) -> list[ClassThreshold]:
    """Replace the bands of one measure. Bands may leave gaps (a figure in a gap is not classed)
    but never overlap, and each class appears once."""
    require(actor, Action.LAYOUT_EDIT)
    if measure not in Measure.values:
        raise invalid_field("measure", _("Choose beds, doctors or institutions."))
    parsed = []
    for index, band in enumerate(bands):
        resource_class = band.get("resource_class")
        if resource_class not in ResourceClass.values:
            raise invalid_field(
                f"bands.{index}.resource_class", _("Choose abundant, insufficient or weak.")
            )
        low = _percent(band.get("min_percent"), f"bands.{index}.min_percent")
        high = _percent(band.get("max_percent"), f"bands.{index}.max_percent")
        if low is None:
            raise invalid_field(f"bands.{index}.min_percent", _("Give where the band starts."))
        if high is not None and high <= low:
            raise invalid_field(
                f"bands.{index}.max_percent", _("A band must end above where it starts.")
            )
        parsed.append((low, high, resource_class))
    classes = [band[2] for band in parsed]
    if len(set(classes)) != len(classes):
        raise invalid_field("bands", _("Each class may have one band only."), code="duplicate")
    parsed.sort(key=lambda band: band[0])
    for (_low, high, name), (next_low, _next_high, next_name) in pairwise(parsed):
        if high is None or high > next_low:
            raise InvalidInput(
                _("The bands %(first)s and %(second)s overlap; thresholds must not overlap.")
                % {"first": name, "second": next_name},
                code="thresholds_overlap",
                fields={"bands": _("Bands overlap.")},
            )
    with transaction.atomic():
        before = list(
            ClassThreshold.objects.filter(measure=measure).values(
                "resource_class", "min_percent", "max_percent"
            )
        )
        ClassThreshold.objects.filter(measure=measure).delete()
        created = ClassThreshold.objects.bulk_create(
            ClassThreshold(measure=measure, resource_class=name, min_percent=low, max_percent=high)
            for low, high, name in parsed
        )
        audit_record(
            actor=actor,
            action="layout.thresholds_set",
            object_type="guidance.classthreshold",
            object_id=measure,
            before=before,
            after=[{"class": name, "from": low, "below": high} for low, high, name in parsed],
        )
    return created


def bands_by_measure() -> dict[str, list[ClassThreshold]]:
    bands: dict[str, list[ClassThreshold]] = defaultdict(list)
    for band in ClassThreshold.objects.all():
        bands[band.measure].append(band)
    return bands


def classify(percent: Decimal | None, bands: list[ClassThreshold]) -> str | None:
    if percent is None:
        return None
    for band in bands:
        if percent >= band.min_percent and (band.max_percent is None or percent < band.max_percent):
            return band.resource_class
    return None


def weakest(classes: list[str | None]) -> str | None:
    known = [name for name in classes if name]
    return max(known, key=CLASS_ORDER.index) if known else None


# Figures and classes ----------------------------------------------------------------------


@dataclass
class Figure:
    measure: str
    value: Decimal | None
    target: Decimal | None
    resource_class: str | None

    @property
    def rounded(self) -> Decimal | None:
        return None if self.value is None else self.value.quantize(Decimal("0.01"))

    @property
    def percent(self) -> Decimal | None:
        if self.value is None or not self.target:
            return None
        return (self.value / self.target * HUNDRED).quantize(Decimal("0.1"))


@dataclass
class LayoutRow:
    region: Region
    year: int
    specialty: Specialty
    institutions: int
    figures: list[Figure] = field(default_factory=list)

    @property
    def resource_class(self) -> str | None:
        return weakest([figure.resource_class for figure in self.figures])

    @property
    def class_label(self) -> str:
        return str(ResourceClass(self.resource_class).label) if self.resource_class else ""


def _ancestor_codes(region: Region) -> list[str]:
    """The 12-digit codes of the region and each ancestor, nearest first."""
    codes = []
    for level in range(region.level, 0, -1):
        prefix = region.code[: PREFIX_LENGTH[level]]
        codes.append(prefix.ljust(12, "0"))
    return codes


def figures_for(region: Region, year: int | None = None) -> ResourceFigures | None:
    """The figures of the region, or of its nearest ancestor that has some (latest year)."""
    codes = _ancestor_codes(region)
    candidates = ResourceFigures.objects.filter(region__code__in=codes).select_related("region")
    if year is not None:
        candidates = candidates.filter(year=year)
    best = None
    for figures in candidates:
        rank = (codes.index(figures.region.code), -figures.year)
        if best is None or rank < best[0]:
            best = (rank, figures)
    return best[1] if best else None


def institution_counts(regions: list[Region], specialties: list[Specialty]) -> dict:
    """{(region id, specialty id): institutions in force}, in one query over the counted
    institutions (an index-only scan of the regions' subtrees). An institution counts once
    however many licences it holds."""
    if not regions or not specialties:
        return {}
    in_regions = Q()
    aggregates = {}
    for region in regions:
        in_region = Q(region_code__startswith=region.prefix)
        in_regions |= in_region
        # The counted column is in the index, so the count needs no table row.
        aggregates[f"r{region.pk}"] = Count("region_code", filter=in_region)
    rows = (
        CountedInstitution.objects.filter(in_regions, specialty__in=specialties)
        .values("specialty_id")
        .annotate(**aggregates)
        .order_by()
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        for region in regions:
            counts[(region.pk, row["specialty_id"])] = row[f"r{region.pk}"]
    return counts


def counted_rows(holder_ids: list[int] | None = None) -> set[tuple[int, int, str]]:
    """(holder, specialty, region code) of every institution counted towards a specialty, read
    from the licence register: of `holder_ids` only, or of the whole register."""
    specialties = [
        (specialty.pk, set(specialty.scope_terms))
        for specialty in Specialty.objects.all()
        if specialty.scope_terms
    ]
    licences = Licence.objects.filter(status__in=IN_FORCE, item__code__in=OPERATING_ITEMS)
    if holder_ids is not None:
        licences = licences.filter(holder_id__in=holder_ids)
    rows = set()
    for holder_id, region_code, scope in licences.values_list(
        "holder_id", "holder__region__code", "scope"
    ).iterator(chunk_size=10000):
        entries = set(scope or [])
        rows.update(
            (holder_id, specialty_id, region_code)
            for specialty_id, terms in specialties
            if entries & terms
        )
    return rows


def counted_institutions_refresh(holder_ids: list[int]) -> None:
    """Count these holders again from their licences in force (after a licence event). The
    holders are locked first, so two refreshes of one holder follow each other."""
    holder_ids = sorted(set(holder_ids))
    with transaction.atomic():
        list(Applicant.objects.select_for_update().filter(pk__in=holder_ids).values_list("pk"))
        CountedInstitution.objects.filter(holder_id__in=holder_ids).delete()
        _insert_counted(counted_rows(holder_ids))


def counted_institutions_rebuild() -> int:
    """Every counted institution again from the whole register (the terms of a specialty
    changed, or as the nightly check); returns how many rows there are."""
    with transaction.atomic():
        CountedInstitution.objects.all().delete()
        rows = counted_rows()
        _insert_counted(rows)
    return len(rows)


def _insert_counted(rows: set[tuple[int, int, str]]) -> None:
    CountedInstitution.objects.bulk_create(
        (
            CountedInstitution(holder_id=holder_id, specialty_id=specialty_id, region_code=code)
            for holder_id, specialty_id, code in sorted(rows)
        ),
        batch_size=5000,
    )


def _rows(
    figures: ResourceFigures, specialties: list[Specialty], counts: dict, bands: dict
) -> list[LayoutRow]:
    population = Decimal(figures.population)
    targets = {
        target.specialty_id: target.institutions_target
        for target in SpecialtyTarget.objects.filter(region=figures.region, year=figures.year)
    }
    beds = Decimal(figures.beds) * 1000 / population
    doctors = Decimal(figures.licensed_doctors) * 1000 / population
    rows = []
    for specialty in specialties:
        institutions = counts.get((figures.region.pk, specialty.pk), 0)
        per_100k = Decimal(institutions) * 100000 / population
        row = LayoutRow(
            region=figures.region, year=figures.year, specialty=specialty, institutions=institutions
        )
        for measure, value, target in (
            (Measure.BEDS, beds, figures.beds_target),
            (Measure.DOCTORS, doctors, figures.doctors_target),
            (Measure.INSTITUTIONS, per_100k, targets.get(specialty.pk)),
        ):
            figure = Figure(
                measure=measure,
                value=value,
                target=target,
                resource_class=None,
            )
            figure.resource_class = classify(figure.percent, bands.get(measure, []))
            row.figures.append(figure)
        rows.append(row)
    return rows


def region_layout(region: Region, *, specialty: Specialty | None = None) -> list[LayoutRow]:
    """The guidance an applicant of `region` sees: its (or its nearest ancestor's) figures."""
    figures = figures_for(region)
    if figures is None:
        return []
    specialties = [specialty] if specialty else list(Specialty.objects.all())
    counts = institution_counts([figures.region], specialties)
    return _rows(figures, specialties, counts, bands_by_measure())


def layout_table(year: int | None = None) -> list[LayoutRow]:
    """Every region with figures for the year (latest when not given), every specialty."""
    year = (
        year
        or ResourceFigures.objects.filter(year__lte=clock.today().year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if year is None:
        return []
    all_figures = list(ResourceFigures.objects.filter(year=year).select_related("region"))
    specialties = list(Specialty.objects.all())
    counts = institution_counts([figures.region for figures in all_figures], specialties)
    bands = bands_by_measure()
    rows = []
    for figures in all_figures:
        rows.extend(_rows(figures, specialties, counts, bands))
    return rows
