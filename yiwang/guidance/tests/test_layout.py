import datetime
from decimal import Decimal

import pytest

from yiwang.catalog.models import Item
from yiwang.errors import InvalidInput
from yiwang.events.testing import deliver_pending
from yiwang.guidance import importing, layout
from yiwang.guidance.demo import workbook
from yiwang.guidance.models import (
    ClassThreshold,
    CountedInstitution,
    ResourceFigures,
    Specialty,
)
from yiwang.licences.services import licence_create, licence_revoke
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department, Region

pytestmark = pytest.mark.django_db


def rows_by(rows):
    return {(row.region.code, row.specialty.code): row for row in rows}


def test_each_figure_gives_a_class_and_the_weakest_is_the_regions(guidance_demo):
    rows = rows_by(layout.layout_table())
    zhongshan = rows[("210202000000", "stomatology")]
    beds, doctors, institutions = zhongshan.figures
    assert (beds.rounded, beds.percent, beds.resource_class) == (
        Decimal("11.88"),
        Decimal("169.7"),
        "abundant",
    )
    assert (doctors.rounded, doctors.resource_class) == (Decimal("5.80"), "abundant")
    # One dental clinic holds a practice licence with 口腔科 in Zhongshan: 0.28 per 100,000.
    assert zhongshan.institutions == 1
    assert (institutions.rounded, institutions.percent, institutions.resource_class) == (
        Decimal("0.28"),
        Decimal("110.5"),
        "abundant",
    )
    assert zhongshan.resource_class == "abundant"
    assert rows[("210202000000", "internal")].resource_class == "insufficient"
    xigang = rows[("210203000000", "stomatology")]
    assert [figure.resource_class for figure in xigang.figures] == ["weak", "insufficient", "weak"]
    assert xigang.resource_class == "weak"


def _practice_licence(admin, holder, scope, note):
    return licence_create(
        actor=admin,
        holder=holder,
        item=Item.objects.get(code="010010020000"),
        department=Department.objects.get(name="大连市卫生健康委员会"),
        licence_type="医疗机构执业许可证",
        licence_type_code="PDY",
        valid_from=datetime.date(2026, 1, 5),
        valid_until=datetime.date(2031, 1, 4),
        validity_years=5,
        scope=scope,
        status="valid",
        imported=True,
        note=note,
    )


def test_institution_counts_come_from_the_licence_register(guidance_demo, user_named):
    before = rows_by(layout.layout_table())[("210203000000", "stomatology")].institutions
    clinic = Applicant.objects.get(name="大连仁心中医诊所")
    _practice_licence(user_named("admin"), clinic, ["中医科", "口腔科"], "测试")
    # Counted once the licence's event is delivered (the worker), not inside the issue.
    assert rows_by(layout.layout_table())[("210203000000", "stomatology")].institutions == 0
    deliver_pending()
    after = rows_by(layout.layout_table())[("210203000000", "stomatology")]
    assert (before, after.institutions) == (0, 1)
    assert after.figures[2].resource_class == "abundant"  # 0.32 per 100,000 against 0.30


def _stomatology(district="210203000000"):
    return rows_by(layout.layout_table())[(district, "stomatology")].institutions


def test_a_holder_counts_once_and_leaves_with_its_last_licence(guidance_demo, user_named):
    admin = user_named("admin")
    clinic = Applicant.objects.get(name="大连仁心中医诊所")
    first = _practice_licence(admin, clinic, ["口腔科"], "一")
    second = _practice_licence(admin, clinic, ["口腔科", "内科"], "二")
    deliver_pending()
    assert _stomatology() == 1  # two licences, one institution
    licence_revoke(actor=admin, licence=first, reason="测试吊销")
    deliver_pending()
    assert _stomatology() == 1  # the second still names the specialty
    licence_revoke(actor=admin, licence=second, reason="测试吊销")
    deliver_pending()
    assert _stomatology() == 0
    assert not CountedInstitution.objects.filter(holder=clinic).exists()


def test_the_counts_kept_by_events_equal_a_recount_of_the_register(guidance_demo, user_named):
    admin = user_named("admin")
    for index, applicant in enumerate(Applicant.objects.order_by("pk")[:4]):
        _practice_licence(admin, applicant, [["口腔科"], ["内科", "眼科"]][index % 2], str(index))
    deliver_pending()
    kept = set(CountedInstitution.objects.values_list("holder_id", "specialty_id", "region_code"))
    assert kept and kept == layout.counted_rows()
    assert layout.counted_institutions_rebuild() == len(kept)
    rebuilt = CountedInstitution.objects.values_list("holder_id", "specialty_id", "region_code")
    assert set(rebuilt) == kept


def test_new_scope_terms_of_a_specialty_recount_the_register(guidance_demo, user_named, client):
    admin = user_named("admin")
    clinic = Applicant.objects.get(name="大连仁心中医诊所")
    _practice_licence(admin, clinic, ["口腔颌面外科"], "一")
    deliver_pending()
    assert _stomatology() == 0
    stomatology = Specialty.objects.get(code="stomatology")
    client.force_login(admin)
    answer = client.post(
        f"/admin/guidance/specialty/{stomatology.pk}/change/",
        {
            "code": "stomatology",
            "name": "口腔科",
            "name_en": "Stomatology",
            "scope_terms": '["口腔科", "口腔颌面外科"]',
        },
    )
    assert answer.status_code == 302, answer.content[:500]
    assert _stomatology() == 1


def test_an_applicant_in_a_community_sees_its_districts_figures(guidance_demo):
    community = Region.objects.get(code="210202003002")
    rows = layout.region_layout(community, specialty=Specialty.objects.get(code="stomatology"))
    assert [(row.region.code, row.resource_class) for row in rows] == [("210202000000", "abundant")]


def test_overlapping_thresholds_are_refused_and_nothing_changes(guidance_demo, user_named):
    before = list(
        ClassThreshold.objects.filter(measure="beds").values_list(
            "resource_class", "min_percent", "max_percent"
        )
    )
    with pytest.raises(InvalidInput) as refused:
        layout.thresholds_set(
            actor=user_named("leader"),
            measure="beds",
            bands=[
                {"resource_class": "abundant", "min_percent": "90", "max_percent": None},
                {"resource_class": "insufficient", "min_percent": "70", "max_percent": "95"},
                {"resource_class": "weak", "min_percent": "0", "max_percent": "70"},
            ],
        )
    assert refused.value.code == "thresholds_overlap"
    assert "bands" in refused.value.fields
    after = list(
        ClassThreshold.objects.filter(measure="beds").values_list(
            "resource_class", "min_percent", "max_percent"
        )
    )
    assert after == before


def test_new_thresholds_change_the_class(guidance_demo, user_named):
    layout.thresholds_set(
        actor=user_named("leader"),
        measure="beds",
        bands=[
            {"resource_class": "abundant", "min_percent": "200"},
            {"resource_class": "insufficient", "min_percent": "150", "max_percent": "200"},
            {"resource_class": "weak", "min_percent": "0", "max_percent": "150"},
        ],
    )
    zhongshan = rows_by(layout.layout_table())[("210202000000", "stomatology")]
    assert zhongshan.figures[0].resource_class == "insufficient"
    assert zhongshan.resource_class == "insufficient"


def test_a_figures_workbook_with_bad_rows_imports_nothing(guidance_demo, user_named):
    content = workbook(
        {
            "figures": (
                importing.FIGURE_COLUMNS,
                [
                    ["210202000000", 2027, 370000, 4400, 2200, "7.0", "3.6"],
                    ["999999999999", 2027, "many", 10, 10, "7.0", "3.6"],
                ],
            ),
            "targets": (importing.TARGET_COLUMNS, [["210202000000", 2027, "dermatology", "0.2"]]),
        }
    )
    with pytest.raises(InvalidInput) as refused:
        importing.figures_import(actor=user_named("leader"), content=content)
    assert set(refused.value.fields) == {
        "figures!3.region_code",
        "figures!3.population",
        "targets!2.specialty_code",
    }
    assert not ResourceFigures.objects.filter(year=2027).exists()


def test_a_figures_workbook_replaces_the_years_figures(guidance_demo, user_named):
    content = workbook(
        {
            "figures": (
                importing.FIGURE_COLUMNS,
                [["210203000000", 2026, 309000, 2300, 1200, "7.0", "3.6"]],
            ),
            "targets": (importing.TARGET_COLUMNS, []),
        }
    )
    assert importing.figures_import(actor=user_named("leader"), content=content) == {
        "figures": 1,
        "targets": 0,
    }
    xigang = rows_by(layout.layout_table())[("210203000000", "internal")]
    assert xigang.figures[0].resource_class == "abundant"  # 7.44 beds per 1,000
