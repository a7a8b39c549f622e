import pytest

from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.regions.models import Department, Region
from yiwang.regions.services import department_create, region_create, staff_create

pytestmark = pytest.mark.django_db


def test_region_code_must_extend_its_parent(demo, user_named):
    admin = user_named("admin")
    dalian = Region.objects.get(code="210200000000")
    with pytest.raises(InvalidInput) as error:
        region_create(actor=admin, code="220102000000", name="错位区", parent=dalian)
    assert "code" in error.value.fields
    created = region_create(actor=admin, code="210204000000", name="沙河口区", parent=dalian)
    assert created.level == Region.Level.COUNTY


def test_duplicate_region_code_is_a_conflict(demo, user_named):
    dalian = Region.objects.get(code="210200000000")
    with pytest.raises(Conflict):
        region_create(actor=user_named("admin"), code="210202000000", name="中山区", parent=dalian)


def test_clerk_cannot_create_departments(demo, user_named):
    with pytest.raises(PermissionRefused):
        department_create(
            actor=user_named("clerk"),
            name="新部门",
            kind="health_commission",
            region=Region.objects.get(code="210200000000"),
        )
    assert not Department.objects.filter(name="新部门").exists()


def test_staff_region_must_lie_inside_the_department_region(demo, user_named):
    zhongshan_bureau = Department.objects.get(name="中山区卫生健康局")
    with pytest.raises(InvalidInput) as error:
        staff_create(
            actor=user_named("admin"),
            username="wrong",
            password="x-long-password",
            display_name="错",
            department=zhongshan_bureau,
            roles=["reviewer"],
            region=Region.objects.get(code="210203000000"),
        )
    assert "region" in error.value.fields
